"""The periodic jobs' last runs, read from the heartbeats the jobs stamp."""

from datetime import datetime

from django.conf import settings
from django.db.utils import DatabaseError
from django.utils import timezone

from core.heartbeats import BEAT, heartbeat_times


def last_runs() -> dict[str, datetime]:
    try:
        return heartbeat_times()
    except DatabaseError:  # the table not migrated yet: nothing known
        return {}


def beat_report(last_run: datetime | None) -> dict:
    """ "ok" when a worker ran the beat's minute tick within STRATA_BEAT_STALE_SECONDS,
    "stale" when longer ago, "unknown" when it never did."""
    if last_run is None:
        return {"status": "unknown", "last_run": None, "age_seconds": None}
    age = max(0, int((timezone.now() - last_run).total_seconds()))
    status = "ok" if age <= settings.STRATA_BEAT_STALE_SECONDS else "stale"
    return {"status": status, "last_run": last_run.isoformat(), "age_seconds": age}


def beat_last_run() -> datetime | None:
    return last_runs().get(BEAT)
