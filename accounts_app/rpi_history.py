"""The RPI has a real past (DESIGN §11): an account's contacts, relationships, team and
business units as they stood at the end of a past day, rebuilt from their history
tables (core.history) and fed to the same rule as the RPI now
(`rpi.state_penetration`).

Each history row keeps the account it belongs to (`history_account_id`), so one
account's past is one indexed read per table. The state at a moment is, per object, its
latest history row dated before that moment; an object whose latest row is a deletion is
gone, an archived one is kept here and left out by `rpi.present`, like now. A record
written without a history row (a raw bulk write) has no past: it is not there.
"""

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .penetration import SOURCES, account_state
from .rpi import AccountState

DELETED = "-"


def day_end(day: date) -> datetime:
    """The end of `day` in the current time zone, as the exclusive bound of what it saw."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def account_state_as_of(*, account_id: int, day: date) -> AccountState:
    """The account's RPI inputs as they stood at the end of `day` (four queries: per
    table, the latest history row of each object up to then)."""
    end = day_end(day)
    rows = {}
    for key, model, fields in SOURCES:
        history = model.history.model
        before = history.objects.filter(history_account_id=account_id, history_date__lt=end)
        latest = (
            before.filter(id=OuterRef("id"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows[key] = (
            before.filter(history_id=Subquery(latest))
            .exclude(history_type=DELETED)
            .values_list(*fields)
        )
    return account_state(**rows)


@dataclass
class Timeline:
    """Every history row of one account's RPI inputs, oldest first, by kind (the keys of
    penetration.SOURCES): the state at any number of moments, evaluated in Python."""

    rows: dict[str, list[tuple]] = field(default_factory=dict)  # (date, type, *fields)

    @property
    def first(self) -> datetime | None:
        """When the first of these records was written, if any was."""
        return min((rows[0][0] for rows in self.rows.values() if rows), default=None)

    def states(self, moments: Sequence[datetime]) -> list[AccountState]:
        """The state just before each moment (moments in ascending order)."""
        current: dict[str, dict[int, tuple]] = {key: {} for key in self.rows}
        applied = dict.fromkeys(self.rows, 0)
        states = []
        for moment in moments:
            for key, rows in self.rows.items():
                upto = bisect_left(rows, moment, key=lambda row: row[0])
                for _when, kind, *row in rows[applied[key] : upto]:
                    if kind == DELETED:
                        current[key].pop(row[0], None)
                    else:
                        current[key][row[0]] = row
                applied[key] = max(applied[key], upto)
            states.append(account_state(**{k: list(v.values()) for k, v in current.items()}))
        return states


def account_timelines(account_ids: Iterable[int]) -> dict[int, Timeline]:
    """The Timeline of each account, by id (four queries whatever their number)."""
    ids = list(account_ids)
    timelines = {pk: Timeline({key: [] for key, _, _ in SOURCES}) for pk in ids}
    for key, model, fields in SOURCES:
        for account_id, *row in (
            model.history.model.objects.filter(history_account_id__in=ids)
            .order_by("history_date", "history_id")
            .values_list("history_account_id", "history_date", "history_type", *fields)
        ):
            timelines[account_id].rows[key].append(tuple(row))
    return timelines


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months before today's, oldest first."""
    ends, day = [], today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends[::-1]
