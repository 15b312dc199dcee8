"""Settings for the servers tests/test_concurrency.py starts: the project's
own, DATABASES included, with the cheap password hasher the rest of the suite
uses (tests/conftest.py), so logging ten people in costs milliseconds rather
than most of the test's time budget."""

from bromley_oip.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
