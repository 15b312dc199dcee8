"""gunicorn settings for `make serve`. Every value can be overridden from the
environment (gunicorn itself reads WEB_CONCURRENCY and GUNICORN_CMD_ARGS)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# The committee pack PDF of a very large action plan takes up to ~30 s to lay
# out (bench/README.md) until it is generated in the background.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Logs to stderr, one access line per request, for the same collector as the app's logs.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the reverse proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket defaults to one path per user account, which two
# servers on one machine would share; nothing here uses it.
control_socket_disable = True
