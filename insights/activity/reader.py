"""Reading the Activity (DESIGN §11): one page of an account's (or, for admins, the whole
installation's) history, newest first.

One UNION ALL over the sources picks the page: each branch selects the same five
columns from one history table (or the alert and tier logs), filtered in its indexed
columns (`history_account_id`, `history_date`); LIMIT/OFFSET takes the page and one
row more, which says whether there is an older page (nothing is counted). Then, for the
page's rows only: one query per source present loads the rows with the id of each
one's previous version, one more loads those previous versions, and one per related
model names what the rows refer to. The diff is made at read time, so writing a
history row costs nothing more than the row.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from accounts_app.models import Account, User
from core.history import field_changes
from plans.models import Plan

from .sources import BY_KEY, SOURCES, Source

# Fields that change with every save, or that the entry's action already says.
NOT_SHOWN = {
    "id",
    "updated_at",
    "created_at",
    "version",
    "position",
    "joined_at",
    "stage_changed_at",
    "done_on",
    "updated_by",
    "archived_at",
    "archived_by",
}
STATES = {"archived": ("archived", "restored"), "deleted_at": ("deleted", "restored")}


@dataclass
class Change:
    field: str
    label: str
    old: object
    new: object


@dataclass
class Entry:
    at: dt.datetime
    by_id: int | None
    by_name: str
    object_type: str
    type_label: str
    object_id: int
    object_label: str
    action: str
    changes: list[Change] = field(default_factory=list)
    url: str | None = None
    account_id: int | None = None
    account_name: str = ""


@dataclass
class ActivityPage:
    entries: list[Entry]
    number: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.number > 1


@dataclass(frozen=True)
class ActivityFilters:
    account_id: int | None = None
    kind: str | None = None
    user_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def branches(self):
        sources = [BY_KEY[self.kind]] if self.kind else SOURCES
        zone = timezone.get_current_timezone()
        # From the start of `since` up to the start of the day after `until`. The first
        # and the last day a date can name bound nothing, and the day after the last
        # (or the start of the first, east of UTC) is past what a datetime can hold.
        since = until = None
        if self.since and self.since > dt.date.min:
            since = dt.datetime.combine(self.since, dt.time.min, zone)
        if self.until and self.until < dt.date.max:
            until = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, zone)
        return [
            source.branch(
                account_id=self.account_id, user_id=self.user_id, since=since, until=until
            )
            for source in sources
        ]


def _union(filters: ActivityFilters, *, newest: int | None = None):
    """The branches as one query; with `newest`, each branch gives only its `newest`
    latest rows where the database takes a LIMIT in a union's parts (PostgreSQL): each
    reads them down its date index instead of the union sorting every row it has."""
    branches = filters.branches()
    if (
        newest is not None
        and len(branches) > 1  # one branch alone is ordered and sliced by the caller
        and connection.features.supports_slicing_ordering_in_compound
    ):
        branches = [branch.order_by("-when", "-row_pk")[:newest] for branch in branches]
    first, *rest = branches
    return first.union(*rest, all=True) if rest else first


def activity_count(filters: ActivityFilters) -> int:
    """How many entries match (for one account: its indexed rows only)."""
    return _union(filters).count()


# Far past any account's history, and within the 64-bit integer a database's OFFSET takes.
MAX_OFFSET = 2**62


def activity_page(
    filters: ActivityFilters, *, page: int = 1, per_page: int = 25, with_accounts=False
) -> ActivityPage:
    """Page `page` (1 = newest) of the entries matching `filters`."""
    offset = (max(page, 1) - 1) * per_page
    if offset > MAX_OFFSET:  # past any page there can be; the database refuses the number
        return ActivityPage(entries=[], number=page, has_older=False)
    keys = list(
        _union(filters, newest=offset + per_page + 1).order_by("-when", "-row_pk")[
            offset : offset + per_page + 1
        ]
    )
    has_older = len(keys) > per_page
    keys = keys[:per_page]
    return ActivityPage(
        entries=_entries(keys, with_accounts=with_accounts), number=page, has_older=has_older
    )


# --- The page's rows, in full ---------------------------------------------------------


def _load(source: Source, pks: list[int]) -> tuple[dict, dict]:
    """The rows `pks` of `source` by key, and for history rows their previous versions
    by the later row's key (two queries, whatever the number of rows)."""
    table = source.table
    if not source.history:
        related = ("alert__rule",) if source.key == "alert" else ("from_tier", "to_tier")
        return {r.pk: r for r in table.objects.filter(pk__in=pks).select_related(*related)}, {}
    earlier = (
        table.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = {
        r.history_id: r
        for r in table.objects.filter(history_id__in=pks).annotate(prev_id=Subquery(earlier))
    }
    prev_ids = {r.prev_id: r.history_id for r in rows.values() if r.prev_id}
    previous = {
        prev_ids[p.history_id]: p for p in table.objects.filter(history_id__in=list(prev_ids))
    }
    return rows, previous


def _shown_fields(source: Source):
    return [f for f in source.table.tracked_fields if f.name not in NOT_SHOWN]


def _raw(source: Source, row, before) -> tuple[str, list]:
    """The action and the (field, old, new) changes of one row, values as stored."""
    if source.key == "tier":
        tiers = (row.from_tier, row.to_tier)
        return "changed", [("tier", *(t.name if t else None for t in tiers))]
    if source.key == "alert":
        if row.kind == "raised":
            return "created", []
        return "changed", [("status", None, row.get_kind_display())]
    fields = _shown_fields(source)
    if row.history_type == "+":
        changes = [
            (f, None, getattr(row, f.attname))
            for f in fields
            if getattr(row, f.attname) not in (None, "", False) and f.name not in STATES
        ]
        return "created", changes
    if row.history_type == "-":
        return "deleted", []
    if before is None:
        return "changed", []
    by_name = {f.name: f for f in fields}
    changes = field_changes(before, row, [(f.name, f.attname) for f in fields])
    action = "changed"
    for name, _old, new in changes:
        if name in STATES:
            went, came_back = STATES[name]
            action = came_back if new in (None, False) else went
    return action, [(by_name[n], old, new) for n, old, new in changes if n not in STATES]


def _labels(model, ids) -> dict:
    """One query: the label of each record `ids` of `model`."""
    manager = model._base_manager.filter(pk__in=ids)
    if model is User:
        return {
            pk: f"{first} {last}".strip() or username
            for pk, first, last, username in manager.values_list(
                "pk", "first_name", "last_name", "username"
            )
        }
    names = {f.name for f in model._meta.concrete_fields}
    for attr in ("name", "title", "text", "subject_label"):
        if attr in names:
            return {pk: _clip(value) for pk, value in manager.values_list("pk", attr)}
    if model is Plan:
        return {pk: f"FY{period}" for pk, period in manager.values_list("pk", "period")}
    return {obj.pk: str(obj) for obj in manager}


def _clip(text, size=80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _shown(f, value, names):
    """A stored value as people read it: a related record's label, a choice's label."""
    if value is None or isinstance(f, str):
        return value
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _entries(keys, *, with_accounts: bool) -> list[Entry]:
    by_source: dict[str, list[int]] = {}
    for src, pk, *_ in keys:
        by_source.setdefault(src, []).append(pk)
    loaded = {src: _load(BY_KEY[src], pks) for src, pks in by_source.items()}

    wanted: dict[type, set] = {User: set()}
    raws = []
    for src, pk, when, who, acct in keys:
        source = BY_KEY[src]
        rows, previous = loaded[src]
        row = rows.get(pk)
        if row is None:  # pruned between the two reads
            continue
        action, changes = _raw(source, row, previous.get(pk))
        raws.append((source, row, when, who, acct, action, changes))
        if who:
            wanted[User].add(who)
        for attname in source.refs:
            f = source.table._meta.get_field(attname.removesuffix("_id"))
            wanted.setdefault(f.related_model, set()).add(getattr(row, attname))
        for f, old, new in changes:
            if not isinstance(f, str) and f.is_relation:
                wanted.setdefault(f.related_model, set()).update(v for v in (old, new) if v)
    if with_accounts:
        wanted.setdefault(Account, set()).update(acct for *_, acct, _, _ in raws if acct)
    names = {}
    for model, ids in wanted.items():
        ids.discard(None)
        if ids:
            names.update({(model, pk): label for pk, label in _labels(model, ids).items()})

    entries = []
    for source, row, when, who, acct, action, changes in raws:

        def ref(attname, row=row, source=source):
            f = source.table._meta.get_field(attname.removesuffix("_id"))
            value = getattr(row, attname)
            return names.get((f.related_model, value), f"#{value}")

        entries.append(
            Entry(
                at=when,
                by_id=who,
                by_name=names.get((User, who), "Strata") if who else "Strata",
                object_type=source.key,
                type_label=source.label,
                object_id=row.alert_id if source.key == "alert" else row.id,
                object_label=source.title(row, ref),
                action=action,
                changes=[
                    Change(
                        field=f if isinstance(f, str) else f.name,
                        label=f if isinstance(f, str) else str(f.verbose_name),
                        old=_shown(f, old, names),
                        new=_shown(f, new, names),
                    )
                    for f, old, new in changes
                ],
                url=source.link(row, acct) if source.link and action != "deleted" else None,
                account_id=acct,
                account_name=names.get((Account, acct), "") if with_accounts else "",
            )
        )
    return entries
