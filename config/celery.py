"""The Celery application.

Settings come from Django's settings under the CELERY_ namespace: a filesystem broker
that needs no server in the embedded default, Redis when REDIS_URL is set. A worker
started without DJANGO_SETTINGS_MODULE uses the production settings (`make run` names the
local ones), like the web server.
"""

import os

from celery import Celery

# Counts task failures (Prometheus) in every worker from its first task.
from config.observability import counters  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("strata")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
