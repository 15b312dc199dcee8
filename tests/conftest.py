"""The shared cast and the switches that make CI strict.

The cast follows the council's roles: an officer who owns actions (through
their team), a colleague in another team, an outsider who owns nothing, a
programme manager, a committee clerk and an administrator.
"""

import os
import shutil

import pytest
from django.conf import settings

from core import roles
from tests import factories
from tests.seed_cache import restore_seed_data

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser):
    parser.addoption(
        "--require-postgresql",
        action="store_true",
        help="Fail unless the tests run on PostgreSQL (used for the second pass of make test).",
    )


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; Django's
    # async-safety guard would otherwise refuse the database calls the
    # live-server tests make from that thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Strong hashing is the point in production and pure cost in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_sessionstart(session):
    engine = settings.DATABASES["default"]["ENGINE"]
    if session.config.getoption("--require-postgresql") and "postgresql" not in engine:
        pytest.exit(f"--require-postgresql given but the database engine is {engine}", returncode=3)
    print(f"\nDatabase: {engine.rsplit('.', 1)[-1]}")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render templates without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seed_data(db):
    """The 2010 seed data (fixtures/*.json) as `manage.py load_seed_data`
    leaves it, restored from the first real load rather than loaded again
    (tests/seed_cache.py)."""
    restore_seed_data()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Cached page parts are keyed by the data stamp, which a rolled-back test
    # leaves as it found it; settings a test changes are not in the key.
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _seed_data_first(request):
    # Seed before any other fixture adds rows: the cheap restore needs the
    # database as it was when the real load was recorded.
    if "seed_data" in request.fixturenames:
        request.getfixturevalue("seed_data")


@pytest.fixture
def officer_team(db):
    return factories.make_owner("Officer's Team", full_name="The officer's team")


@pytest.fixture
def officer(db, officer_team):
    """Alice: an officer whose team owns actions."""
    user = factories.make_user("alice", roles.OFFICER, first_name="Alice", last_name="Officer")
    officer_team.members.add(user)
    return user


@pytest.fixture
def colleague_team(db):
    return factories.make_owner("Colleague's Team")


@pytest.fixture
def colleague(db, colleague_team):
    """Bob: an officer in another team; reads everything, owns none of Alice's work."""
    user = factories.make_user("bob", roles.OFFICER, first_name="Bob", last_name="Colleague")
    colleague_team.members.add(user)
    return user


@pytest.fixture
def outsider(db):
    """Charlie: a login with no role and no ownership."""
    return factories.make_user("charlie", first_name="Charlie", last_name="Outsider")


@pytest.fixture
def manager(db):
    """Pat: manages the programme built by the `programme` fixture."""
    return factories.make_user("pat", roles.PROGRAMME_MANAGER, first_name="Pat", last_name="Manager")


@pytest.fixture
def clerk(db):
    return factories.make_user("cleo", roles.COMMITTEE_CLERK, first_name="Cleo", last_name="Clerk")


@pytest.fixture
def administrator(db):
    return factories.make_user("ada", roles.ADMINISTRATOR, first_name="Ada", last_name="Admin", is_staff=True)


@pytest.fixture
def programme(db, manager):
    programme = factories.make_programme(name="Organisational Improvement Programme", ref="oip")
    programme.managers.add(manager)
    return programme


@pytest.fixture
def chromium_path():
    """Debian's Chromium. Missing in CI is a failure, elsewhere a visible skip."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        if IN_CI:
            pytest.fail("CI=true but /usr/bin/chromium is missing: the browser tests must run in CI")
        pytest.skip("SKIPPED browser test: /usr/bin/chromium not installed (apt-get install chromium)")
    return path


@pytest.fixture(params=["weasyprint", "chromium"])
def pdf_engine(request, settings):
    """Each PDF engine in turn (settings.PDF_ENGINE, core/pdf.py). Chromium
    must be there in CI; elsewhere its runs are skipped, visibly, without it."""
    if request.param == "chromium" and not os.path.exists(settings.CHROMIUM_PATH):
        if IN_CI:
            pytest.fail(f"CI=true but {settings.CHROMIUM_PATH} is missing: packs print with Chromium in CI")
        pytest.skip(f"SKIPPED Chromium PDF: {settings.CHROMIUM_PATH} not installed (apt-get install chromium)")
    settings.PDF_ENGINE = request.param
    return request.param
