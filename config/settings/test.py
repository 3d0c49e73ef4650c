"""Tests: the same settings, with a file test database so a real worker can share it."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
STRATA_SNAPSHOT_DEBOUNCE_SECONDS = 0
# WhiteNoise indexes every collected static file each time a test client builds the
# middleware (a third of a second per test); autorefresh looks files up on demand.
WHITENOISE_AUTOREFRESH = True
# The suite makes many requests as the same few users from one address: limits stay on
# but far out of reach; the tests of the limits set low rates themselves.
STRATA_API_RATE_USER = STRATA_API_RATE_ANON = "10000/minute"
STRATA_RENDER_RATE = STRATA_SURVEY_RATE = "10000/minute"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: the Celery worker started by the worker test must see it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("STRATA_TEST_DB", str(VAR_DIR / "test.sqlite3"))
    }
