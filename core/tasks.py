"""Core's one job: the beat's heartbeat."""

from celery import shared_task

from .heartbeats import BEAT, heartbeat_stamp


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by the beat every minute: stamps the time a worker ran it, which
    /healthz and /metrics report as the last beat. A stale stamp means the beat, the
    broker or every worker stopped."""
    heartbeat_stamp(name=BEAT)
