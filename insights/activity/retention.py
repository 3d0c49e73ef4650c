"""How long the history is kept (DESIGN §11): `STRATA_HISTORY_DAYS` days (0, the
default: for ever). A daily job removes older rows from every tracked record's history
table; the alert and tier logs are the alerts' and tiers' own records and stay."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .sources import SOURCES


def history_prune(*, days: int | None = None, now=None) -> int:
    """Delete the history rows older than `days` days; returns how many (0 when the
    history is kept for ever)."""
    days = settings.STRATA_HISTORY_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    removed = 0
    for source in SOURCES:
        if source.history:
            # Nothing refers to a history row: one DELETE per table.
            deleted, _ = source.table.objects.filter(history_date__lt=cutoff).delete()
            removed += deleted
    return removed
