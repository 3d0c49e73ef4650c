"""Observability settings (metrics, health, logs, Sentry): part of config.settings.base,
which imports them last."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_choice, env_float, env_int, env_str

# --- Observability (README, Operations) ------------------------------------------------
# GET /metrics answers a scraper sending `Authorization: Bearer <token>`; without a token
# set it answers 404. Long enough not to be guessed.
STRATA_METRICS_TOKEN = env_str("STRATA_METRICS_TOKEN")
if STRATA_METRICS_TOKEN is not None and len(STRATA_METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("STRATA_METRICS_TOKEN must be at least 16 characters.")
# /healthz reports the beat "stale" (and itself "degraded") past this many seconds
# without the beat's minute tick being run.
STRATA_BEAT_STALE_SECONDS = env_int("STRATA_BEAT_STALE_SECONDS", 300)
# "text" (the default) or "json": one JSON object per line, web and workers alike.
STRATA_LOG_FORMAT = env_choice("STRATA_LOG_FORMAT", "text", ("text", "json"))
# A worker keeps Django's logging (JSON lines) instead of installing its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = STRATA_LOG_FORMAT == "text"
# Errors to Sentry, only when a DSN is set; never personal data (config/observability).
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
if not 0.0 <= SENTRY_TRACES_SAMPLE_RATE <= 1.0:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be from 0 to 1.")
if SENTRY_DSN:
    from config.observability.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# The survey links' tokens are masked in every line that may hold a URL (core/logscrub.py):
# the handlers' lines, Django's "Not Found: /s/…" (django.request) and the development
# server's request lines (django.server, redefined here with the filter added). With
# STRATA_LOG_FORMAT=json the console writes one JSON object per line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_tokens": {"()": "core.logscrub.ScrubTokensFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "config.observability.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub_tokens"],
            **({"formatter": "json"} if STRATA_LOG_FORMAT == "json" else {}),
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if STRATA_LOG_FORMAT == "json" else "django.server",
            "filters": ["scrub_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["scrub_tokens"]},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
