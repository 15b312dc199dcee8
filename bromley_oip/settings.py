"""Settings for OIP Tracker.

One settings module, configured through environment variables. The helpers
below fail loudly on values they cannot understand, so a typo in production
configuration stops the server instead of silently falling back to a default.
SQLite is the zero-setup default; DATABASE_URL switches to PostgreSQL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envchoice(name, default, choices):
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"

# Local development answers on the loopback names only; production must say
# which host names it serves (the test client's "testserver" is added by the
# test runner itself, never here).
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off, e.g. ALLOWED_HOSTS=oip.bromley.gov.uk")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Demo accounts exist only for local evaluation; create_demo_users refuses to
# run unless this is on. It follows DEBUG unless set explicitly.
DEMO_MODE = envbool("DEMO_MODE", DEBUG)
# Where create_demo_users keeps the password it generates (git-ignored), so
# every `make run` prints the same one; DEMO_PASSWORD overrides it.
DEMO_PASSWORD_FILE = Path(os.environ.get("DEMO_PASSWORD_FILE") or BASE_DIR / ".demo-password")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "programmes",
    "actions",
    "committees",
    "workspace",
    "exchange",
]

# A change's reason (a project's move, "Moved from … to …: why") can be longer
# than the 100 characters simple_history allows by default.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.SignedInPagesMiddleware",
    # Last, so it sees the login view's lockout flag and answers with our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bromley_oip.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "bromley_oip.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite's default (deferred) transactions read first and upgrade to a write
    # lock later; two writers that both read then both try to write deadlock,
    # and one gets "database is locked" at once. IMMEDIATE takes the write lock
    # at BEGIN, so writers queue behind each other for up to `timeout` seconds
    # instead; WAL lets readers carry on while one writes. SQLite still suits
    # one server only: see "Operations" in the README.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

AUTHENTICATION_BACKENDS = [
    # Refuses a login while its username and address are locked out (below).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j M Y, H:i"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the npm registry at install time (package-lock.json
    # pins it); nothing third-party is committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
# Uploaded appendices and issued packs: outside STATIC_ROOT, never served
# directly, only through views that check permissions (core/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private-media")
# The largest PDF a clerk may upload as a report's appendix (its pages are
# printed inside the pack, so every issue reads it whole).
APPENDIX_UPLOAD_MAX_MB = envint("APPENDIX_UPLOAD_MAX_MB", 20)
# Spreadsheet imports (exchange app): the largest file and the most rows one
# import takes. A larger sheet is refused with a message to split it.
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 10)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20_000)
# What prints the pack and report PDFs (core/pdf.py): "chromium" (headless,
# through Playwright), "weasyprint", or "auto": Chromium when CHROMIUM_PATH
# exists, else WeasyPrint. Chromium is about 6x quicker on a large pack
# (bench/pack_pdf.py); WeasyPrint needs nothing but Python packages.
PDF_ENGINE = envchoice("PDF_ENGINE", "auto", ("auto", "chromium", "weasyprint"))
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Source maps are fetched only by developer tools; compressing Bootstrap's
# would triple collectstatic's time for nothing. Only our own bundles, maps
# aside, are stored compressed, and only hashed names are kept.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *Compressor.SKIP_COMPRESS_EXTENSIONS,
    "map",
)
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (issuing a meeting's pack) go through Django's tasks
# interface. The database backend needs nothing but the database: a worker
# (`manage.py db_worker`, started by `make run`; its own service in
# production, see the README) takes them from there. A pack still
# "generating" after ISSUING_STALE_MINUTES is taken to be lost with its
# worker, and the clerk may issue it again.
# The list pages keep their rendered content for PAGE_CACHE_SECONDS, keyed by
# user, address, date and the database's data stamp, so any write shows at
# once (core/datastamp.py, core/templatetags/page_cache.py). Each process
# keeps its own copy in memory; 0 turns it off.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 300)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "oip-default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "oip-pages",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_ENTRIES", 200)},
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ISSUING_STALE_MINUTES = envint("ISSUING_STALE_MINUTES", 15)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oip-tracker@bromley.example.org")
# Used to build absolute links in emails sent outside a request (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sessions end after a working day without activity (core.middleware keeps
# an active session alive without writing it on every request), or at browser
# close where the council prefers that.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 8 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for
# one username from one address, that pair is locked out for
# LOGIN_LOCKOUT_MINUTES. An administrator unlocks it in Django admin (Axes →
# Access attempts → delete) or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address: name how
# many trusted proxies add X-Forwarded-For, so the client's own address is used.
# The right-most addresses are the ones our own proxies added; anything to
# their left came from the client and could be forged.
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# HTTPS. Production defaults are the safe ones; each can be changed from the
# environment (see the README's Configuration table).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health probe speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# gov.uk, under which council sites live, is itself on the browsers' HSTS
# preload list, so asking for preload commits a council to nothing new.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
# Set only behind a proxy that terminates HTTPS and always sets this header,
# e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
_proxy_ssl_header = envlist("SECURE_PROXY_SSL_HEADER", [])
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = envchoice("SESSION_COOKIE_SAMESITE", "Lax", ["Lax", "Strict"])
CSRF_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logs go to stderr, where gunicorn, systemd or a container runtime collect
# them. In production each line is one JSON object with the request's path,
# method and user id (core.logging), ready for a log shipper.
LOG_LEVEL = envchoice("LOG_LEVEL", "WARNING", ["DEBUG", "INFO", "WARNING", "ERROR"])
LOG_FORMAT = envchoice("LOG_FORMAT", "text" if DEBUG else "json", ["json", "text"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(method)s %(path)s %(user_id)s %(status_code)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s [%(method)s %(path)s user=%(user_id)s]"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default handlers would print 5xx errors a second time.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        # A 404 or 403 is not an incident: only server errors are logged.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

# Council networks block third-party hosts: everything the pages use is ours.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
