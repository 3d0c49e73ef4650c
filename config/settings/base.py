"""Settings shared by every environment; all switches come from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_currency,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("STRATA_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-only-for-the-embedded-default")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_prometheus",
    "axes",
    # The second factor: authenticator apps (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "core",
    "accounts_app",
    "segmentation",
    "plans",
    "opportunities",
    "scorecards",
    "insights",
    "imports",
    "demo",
]

MIDDLEWARE = [
    # Counts every request and times it (/metrics), with its pair just before axes.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every answer but PDFs (CONTENT_SECURITY_POLICY).
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified once their second factor is given in this session...
    "django_otp.middleware.OTPMiddleware",
    # A GET request reads the accounts its user may see once (core.request_memo).
    "core.request_memo.RequestMemoMiddleware",
    # Moves a signed-in session's expiry on as its user comes back (idle timeout).
    "core.sessions.IdleTimeoutMiddleware",
    # ...and sends a signed-in user who owes one to give it, or to set it up (the policy).
    "accounts_app.signin.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the plans' history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Django's, with <select> lists written in Python: a list of hundreds of people costs
# a page tens of milliseconds through the templates (core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.QuickSelectRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "plans.context_processors.notifications",
                "scorecards.context_processors.alerts",
            ],
        },
    }
]

# --- Database: DATABASE_URL, or a SQLite file for the embedded default -------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from exc
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "strata.sqlite3",
            # The web server and the Celery worker write to the same file: WAL lets
            # readers go on during a write, IMMEDIATE transactions and a timeout make
            # a writer wait for the lock instead of failing with "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, results and cache when REDIS_URL is set -----------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_DATA_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "strata",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A job taken by a worker that then dies whole (the machine, the container, SIGKILL
    # of the worker and its processes) goes back on the queue once it has been out this
    # long without an ack (the death of one pool process requeues at once:
    # task_reject_on_worker_lost). Longer than the longest job: a job still running when
    # it passes is delivered again, and waits for the first (core.jobs.run_exclusive).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("STRATA_BROKER_VISIBILITY_TIMEOUT", 3600)
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # kombu's filesystem transport: a broker that needs no server. Producer and worker
    # exchange messages through the same folder.
    for sub in ("queue", "processed", "results", "control"):
        (CELERY_DATA_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic jobs the beat sends (config/settings/schedule.py).
from .schedule import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

# --- Auth ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts_app.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on and the second factor (config/settings/signin.py).
from .signin import *  # noqa: E402, F403

if STRATA_OIDC_ENABLED:  # noqa: F405
    AUTHENTICATION_BACKENDS.append("accounts_app.signin.oidc.Backend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins are counted three ways, each against its own limit (config/lockout.py):
# one user name from one address (AXES_FAILURE_LIMIT: a mistyping person or a guesser),
# one user name from any address (a guesser spread over many addresses), and one
# address over any user names (one password sprayed over many user names). Reaching any
# one locks sign-in for AXES_COOLOFF_MINUTES: that user name everywhere, that address
# for everyone, or the pair.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
STRATA_LOCKOUT_USERNAME_LIMIT = env_int("STRATA_LOCKOUT_USERNAME_LIMIT", 20)
STRATA_LOCKOUT_ADDRESS_LIMIT = env_int("STRATA_LOCKOUT_ADDRESS_LIMIT", 30)
if min(AXES_FAILURE_LIMIT, STRATA_LOCKOUT_USERNAME_LIMIT, STRATA_LOCKOUT_ADDRESS_LIMIT) < 1:
    raise ImproperlyConfigured("The sign-in lockout limits must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "config.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a load balancer every request comes from its address: with AXES_PROXY_COUNT
# trusted proxies in front, the client is read from X-Forwarded-For (config/client_ip.py).
STRATA_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# --- I18N ----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files: vendored under static/, served by WhiteNoise -----------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Hashed names always (long cache lifetimes); gzip copies only where STATIC_COMPRESS is on
# (production's default): compressing the 40 MB of admin and API-docs assets takes over a
# minute, which `make run` and `make test` should not pay on every start.
STATIC_COMPRESS = env_bool("STATIC_COMPRESS", False)


def static_storages(compress: bool) -> dict:
    static_backend = (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if compress
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    )
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": static_backend},
    }


STORAGES = static_storages(STATIC_COMPRESS)

# --- Security (tightened by production settings) -------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (core/sessions.py), eight hours by
# default: a working day's pauses, not a forgotten laptop's week.
STRATA_SESSION_IDLE_MINUTES = env_int("STRATA_SESSION_IDLE_MINUTES", 8 * 60)
if STRATA_SESSION_IDLE_MINUTES < 5:
    raise ImproperlyConfigured("STRATA_SESSION_IDLE_MINUTES must be 5 or more.")
SESSION_COOKIE_AGE = STRATA_SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from
# Strata's own static files, nothing inline. Inline scripts, event-handler attributes,
# style attributes and <style> blocks are all refused, so an injected fragment of HTML
# can neither run nor restyle anything. htmx is told not to eval (allowEval false in
# base.html's htmx-config) and not to inject its indicator styles. `data:` images are
# for Swagger UI's icons. docs/decisions.md, "CSP and CI gates (issue 19)".
STRATA_CSP_REPORT_URI = env_str("STRATA_CSP_REPORT_URI", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [STRATA_CSP_REPORT_URI]} if STRATA_CSP_REPORT_URI else {}),
    },
}

# --- Email: console in the embedded default -------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "strata@localhost")
# Where people reach Strata: the links in e-mails sent by background jobs (alerts).
STRATA_BASE_URL = env_str("STRATA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- REST API (config/settings/api.py) -----------------------------------
from .api import *  # noqa: E402, F403

# --- Strata ----------------------------------------------------------------------------
# True in the production settings: `seed_demo` refuses to run there unless told.
STRATA_PRODUCTION = False
# Debounce window for the per-account snapshot job queued after a change.
STRATA_SNAPSHOT_DEBOUNCE_SECONDS = env_int("STRATA_SNAPSHOT_DEBOUNCE_SECONDS", 5)
# Graphviz, which lays out the relationship map: the `dot` binary and a time limit.
STRATA_GRAPHVIZ_DOT = env_str("STRATA_GRAPHVIZ_DOT", "dot")
STRATA_RELMAP_TIMEOUT_SECONDS = env_int("STRATA_RELMAP_TIMEOUT_SECONDS", 10)
# Return on effort: what an hour of the team's effort costs (DESIGN §3).
STRATA_HOURLY_COST_RATE = env_int("STRATA_HOURLY_COST_RATE", 100)
# The executive portfolio pack has a page for each Tier I account, the largest revenue
# first, up to this many (the pack says how many of how many it shows).
STRATA_PORTFOLIO_PACK_ACCOUNTS = env_int("STRATA_PORTFOLIO_PACK_ACCOUNTS", 100)
# The month (1–12) the fiscal year starts in: an account plan covers one fiscal year,
# named after the calendar year it ends in (FY2027 from April 2026 if this is 4).
STRATA_FISCAL_YEAR_START_MONTH = env_int("STRATA_FISCAL_YEAR_START_MONTH", 1)
# Generated packs kept per account and for the portfolio (older ones: a daily job).
STRATA_PACKS_KEPT = env_int("STRATA_PACKS_KEPT", 20)
# A contract's renewal opportunity is opened this many days before it ends (DESIGN §13).
STRATA_RENEWAL_LEAD_DAYS = env_int("STRATA_RENEWAL_LEAD_DAYS", 120)
# The records' history (the Activity) is kept this many days (0: for ever); older rows
# are removed by a daily job.
STRATA_HISTORY_DAYS = env_int("STRATA_HISTORY_DAYS", 0)
# Imports (DESIGN §10): the largest file accepted, in MB.
STRATA_IMPORT_MAX_MB = env_int("STRATA_IMPORT_MAX_MB", 20)
if not 1 <= STRATA_FISCAL_YEAR_START_MONTH <= 12:
    raise ImproperlyConfigured("STRATA_FISCAL_YEAR_START_MONTH must be a month from 1 to 12.")
# The organisation's currency (an ISO 4217 code), shown with every amount (DESIGN §10):
# "€3,034,500" in tables, "€3.0M" in tiles and charts (core/money.py).
STRATA_CURRENCY = env_currency("STRATA_CURRENCY", "EUR")

# --- Observability and logging (config/settings/observability.py) ----------------
from .observability import *  # noqa: E402, F403
