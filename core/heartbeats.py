"""When the periodic jobs last ran, kept in the database so that every web node sees
what any worker stamped (the embedded default's cache is per process)."""

from datetime import datetime

from django.utils import timezone

from .models import Heartbeat

# A worker ran the task that the beat schedules every minute (core.tasks.beat_heartbeat).
BEAT = "beat"
# The nightly recompute of every account's snapshot finished (insights.tasks).
NIGHTLY_RECOMPUTE = "nightly-recompute"


def heartbeat_stamp(*, name: str, at: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})


def heartbeat_times() -> dict[str, datetime]:
    return dict(Heartbeat.objects.values_list("name", "at"))
