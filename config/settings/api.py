"""REST API settings (authentication, tokens, throttles, the schema): part of
config.settings.base, which imports them where they stood."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_rate

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a bad token a 401, not a 403.
        "accounts_app.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # drf-spectacular's, with the error responses every operation can give (core/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Each throttle reads its rate from the STRATA_*_RATE settings below (core/throttles.py).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttles.UserThrottle", "core.throttles.AnonThrottle"],
}
# Request limits ("N/second|minute|hour|day", or "off"), counted in the default cache:
# Redis with REDIS_URL, shared by every gunicorn worker and web node; without it each
# process counts on its own (the embedded default is one process). Past a limit the API
# answers 429 with Retry-After, a page answers the 429 page.
STRATA_API_RATE_USER = env_rate("STRATA_API_RATE_USER", "1000/hour")
STRATA_API_RATE_ANON = env_rate("STRATA_API_RATE_ANON", "100/hour")
# Rendering a pack, a one-pager or a relationship map (PDF or SVG) costs a second or two
# of CPU: each person may start this many renders, pages and API together.
STRATA_RENDER_RATE = env_rate("STRATA_RENDER_RATE", "30/hour")
# The public survey link (no login), per address: room for a customer's whole office
# answering from behind one address.
STRATA_SURVEY_RATE = env_rate("STRATA_SURVEY_RATE", "120/hour")
# API tokens (django-rest-knox, in accounts_app.ApiToken): hashed, named, several per
# user; a new one lasts STRATA_TOKEN_TTL_DAYS unless its maker picks another number of
# days, up to STRATA_TOKEN_MAX_TTL_DAYS. All of a user's go when their password changes
# or they are deactivated.
STRATA_TOKEN_TTL_DAYS = env_int("STRATA_TOKEN_TTL_DAYS", 90)
STRATA_TOKEN_MAX_TTL_DAYS = env_int("STRATA_TOKEN_MAX_TTL_DAYS", 365)
# Live tokens one user may hold: a script that asks for a new token on every run is told
# to reuse it (or revoke old ones) rather than pile up keys.
STRATA_TOKEN_LIMIT_PER_USER = env_int("STRATA_TOKEN_LIMIT_PER_USER", 50)
if not 1 <= STRATA_TOKEN_TTL_DAYS <= STRATA_TOKEN_MAX_TTL_DAYS:
    raise ImproperlyConfigured(
        "STRATA_TOKEN_TTL_DAYS must be from 1 to STRATA_TOKEN_MAX_TTL_DAYS "
        f"({STRATA_TOKEN_MAX_TTL_DAYS})."
    )
KNOX_TOKEN_MODEL = "accounts_app.ApiToken"
REST_KNOX = {"TOKEN_TTL": timedelta(days=STRATA_TOKEN_TTL_DAYS), "AUTO_REFRESH": False}
# knox's migrations would create its own token table, unused once the model is swapped.
MIGRATION_MODULES = {"knox": None}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strata API",
    "DESCRIPTION": "Strategic account management: accounts, contacts, teams, relationships.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs describe every endpoint: for signed-in users only (a
    # session or a token); anonymous calls answer 401, the docs page sends to sign-in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RelationshipStrengthEnum": "accounts_app.models.Relationship.Strength",
        "UserRoleEnum": "accounts_app.models.User.Role",
        "TeamRoleEnum": "accounts_app.models.TeamMember.Role",
        # The segmentation run's keeps the name it had before plans had statuses too.
        "StatusEnum": "segmentation.models.SegmentationRun.Status",
        "PlanStatusEnum": "plans.models.Plan.Status",
        "TacticStatusEnum": "plans.models.Tactic.Status",
    },
}
