"""Settings for the CSP Portal, read from the environment.

Development needs nothing set: SQLite in the project folder and a dev secret key.
Production (DJANGO_DEBUG off) refuses to start without DJANGO_SECRET_KEY.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator, validate_email

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: "
            "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Names under which only this machine reaches the site (Django's test client sends
# "testserver").
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
if DEBUG and not os.environ.get("DJANGO_DEBUG", "").strip() and set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    # Debugging is the default (DJANGO_DEBUG unset or blank, as env_bool reads it) so that
    # development needs nothing set; a server others reach must not inherit it (tracebacks
    # shown to anyone, sessions signed with the development key, reset mail printed).
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS names "
        + ", ".join(sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS))
        + " but DJANGO_DEBUG is not set, so the site would run in debug mode with the "
        "development secret key: set DJANGO_DEBUG=false and DJANGO_SECRET_KEY for a "
        "server others reach (or DJANGO_DEBUG=true if you mean to debug on that host)"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "axes",
    "csp",
    "csp_portal.core",
    "indicators",
    "actions",
    "commissioning",
    "reports",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "csp_portal.core.sessions.AuthenticationMiddleware",
    # A signed-in person's pages and files are stored by no cache (Cache-Control).
    "csp_portal.core.sessions.PrivateResponsesMiddleware",
    "csp_portal.core.sessions.SlidingSessionMiddleware",
    "csp_portal.core.sessions.SignInEndedMiddleware",
    "csp_portal.core.sessions.PartnershipWithSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "csp_portal.core.admin_styles.AdminStylesMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csp_portal.urls"
WSGI_APPLICATION = "csp_portal.wsgi.application"

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
                "csp_portal.core.context_processors.portal",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database: two people saving at once queue for the write lock (taken
    # when a transaction begins, waited for up to 20 seconds) rather than one of them
    # getting "database is locked" part-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Figure-page fragments are cached under each partnership's data
# version (indicators/data_version.py), so entries never go stale: they are only evicted.
# Memory of each worker process by default; a shared backend (Redis, memcached, the
# database) lets workers share the work.
CACHE_BACKEND = os.environ.get(
    "DJANGO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
)


def code_version() -> str:
    """A digest of the code and templates that make the cached fragments: a new release
    reads none of the fragments an older one wrote to a shared cache (their data version
    is the same, their wording may not be)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=6)
    for app in ("csp_portal", "indicators", "actions", "commissioning", "reports", "opendata"):
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" not in path.parts:
                digest.update(path.read_bytes())
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


CACHES = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "csp-portal"),
        "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX") or code_version(),
        "TIMEOUT": env_int("DJANGO_CACHE_SECONDS", 24 * 60 * 60),
        # Only Django's own stores count their entries (Redis and memcached evict by memory).
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 10000)}
        if CACHE_BACKEND.split(".")[-2] in {"locmem", "filebased", "db"}
        else {},
    }
}

# Figures kept between requests in each worker's memory (indicators/figures_memo.py), one
# entry an indicator and period, keyed by everything they are computed from. An entry
# holds about 16 KB (bench/figures_bench.py): 5,000 are some 80 MB a worker.
FIGURES_MEMO_ENTRIES = env_int("FIGURES_MEMO_ENTRIES", 5_000)

# Imports through the browser must finish within a request; bigger ones are refused with
# a message naming `python manage.py import_data`, which has no limits.
IMPORT_UPLOAD_MAX_MB = env_int("IMPORT_UPLOAD_MAX_MB", 10)
IMPORT_UPLOAD_MAX_ROWS = env_int("IMPORT_UPLOAD_MAX_ROWS", 100000)
IMPORT_UPLOAD_MAX_SECONDS = env_int("IMPORT_UPLOAD_MAX_SECONDS", 20)
# What an uploaded workbook may unpack to (a zip of a few MB can unpack to gigabytes,
# which openpyxl would read whole before the first row): csp_portal/core/zips.py.
IMPORT_UPLOAD_MAX_UNZIPPED_MB = env_int("IMPORT_UPLOAD_MAX_UNZIPPED_MB", 200)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Council machines are often shared: a session lasts a working day from the last request
# (csp_portal/core/sessions.py, SlidingSessionMiddleware) unless configured.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60)
# However busy it is, a session ends this long after sign-in: a long working day.
SESSION_MAX_SECONDS = env_int("DJANGO_SESSION_MAX_SECONDS", 12 * 60 * 60)
# Sessions live in the database and are read with their user in one query a request, so
# signing out ends a session in every server process at once (csp_portal/core/sessions.py).
SESSION_ENGINE = "csp_portal.core.sessions"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-in while a user name or an address is locked out, before any
    # password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user with a prepared statement.
    "csp_portal.core.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "csp-portal@localhost")
# Whom the accessibility statement asks readers to write to, besides their partnership's
# coordinator: an email address, or none.
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "").strip()
if ACCESSIBILITY_CONTACT:
    try:
        validate_email(ACCESSIBILITY_CONTACT)
    except ValidationError:
        raise ImproperlyConfigured(
            f"ACCESSIBILITY_CONTACT must be an email address, not {ACCESSIBILITY_CONTACT!r}"
        ) from None


def site_url() -> str:
    """The site's address, for what is read away from it (a report's PDF and Word files
    give the accessibility statement's full address): SITE_URL, else https:// and the
    first host DJANGO_ALLOWED_HOSTS names, else the development server's."""
    raw = os.environ.get("SITE_URL", "").strip().rstrip("/")
    if raw:
        try:
            URLValidator(schemes=["http", "https"])(raw)
        except ValidationError:
            raise ImproperlyConfigured(
                f"SITE_URL must be the site's address, such as https://csp.example.gov.uk, "
                f"not {raw!r}"
            ) from None
        return raw
    hosts = [host for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
    if DEBUG or not hosts:
        return "http://localhost:8000"
    return f"https://{hosts[0]}"


SITE_URL = site_url()

DJANGO_TABLES2_TEMPLATE = "includes/table.html"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one
# user name, or from one address, sign-in is refused for that name or address for
# the cool-off time, even with the right password. An admin unlocks from
# "Access attempts" in the admin, or with `manage.py axes_reset_username NAME`; a
# completed password reset unlocks its user name (core/passwords.py).
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not django-axes's reset on success, which clears the address's failures as well as
# the user name's: signing in as yourself would clear your guesses at someone else's
# password. A sign-in clears its own user name's failures (core.signin.failures_clear).
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False  # not its banner on every command and worker start
# The lockout page names the time sign-in reopens: trying again before then must not
# move it (django-axes would start the cool-off again at each refused attempt).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "csp_portal.core.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "csp_portal.core.signin.client_address"
# Proxies in front of the site that append to X-Forwarded-For (0: use REMOTE_ADDR).
# Behind one proxy every request comes from the proxy's address, so without this
# one person's failures would lock out everybody.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Content-Security-Policy (django-csp): our own origin only, scripts by nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Report documents: kaleido, choreographer and WeasyPrint log every step at INFO.
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("kaleido", "choreographer", "weasyprint")},
        # Django's own console handler (DEBUG) would print each of its lines a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

SERVICE_NAME = "CSP Portal"

# Python's cyclic collector in a server worker (csp_portal/wsgi.py): a young-generation
# sweep every this many allocations (700 is Python's default).
GC_THRESHOLD = env_int("DJANGO_GC_THRESHOLD", 10000)
