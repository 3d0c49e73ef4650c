"""Counters kept by every process, web and worker. Imported by config/celery.py so a
worker counts from its first task.

With PROMETHEUS_MULTIPROC_DIR set (several gunicorn workers, Celery workers on the same
machine), prometheus_client keeps the values in files in that folder and /metrics adds
up every process's; without it each process counts for itself and /metrics shows only
the web process that answers.
"""

from celery.signals import task_failure
from prometheus_client import Counter

TASK_FAILURES = Counter(
    "strata_celery_task_failures",
    "Celery tasks that failed for good (after their retries), by task name.",
    ["task"],
)


@task_failure.connect(weak=False)
def count_task_failure(sender=None, **kwargs) -> None:
    TASK_FAILURES.labels(task=getattr(sender, "name", None) or "unknown").inc()
