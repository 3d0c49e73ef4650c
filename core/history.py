"""The history of the domain's records (DESIGN §11): who, when, old → new.

Every record §11 lists keeps its history with django-simple-history, declared with
`tracked()`. Each history row also stores the id of the account the record hangs off
(`history_account_id`), worked out once when the row is written: an account's Activity
reads one indexed column per table instead of joining up to the account, and the row
stays findable after its parents are gone.

Writes that bypass `save()` (bulk writes, queryset updates) go through `bulk_create`,
`bulk_update` and `update` here, so no write path skips the history
(tests/core/test_history_paths.py reads the code to hold that line). The actor is the
signed-in user of the request (simple-history's middleware), or whoever `acting_as`
names for work done outside a request (an import run by the worker, an offboarding); a
scheduled job acts as nobody and is shown as Strata.
"""

import contextlib
import functools
from types import SimpleNamespace

from django.conf import settings
from django.db import connections, models, router, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

BATCH = 1000


class AccountHistory(models.Model):
    """What every history row of a tracked record adds: the account it belongs to."""

    history_account_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


def tracked(*, excluded=()) -> HistoricalRecords:
    """The history of a domain model. `excluded` names fields a job recomputes (caches,
    derived scores): changing only those records no history."""
    return HistoricalRecords(bases=[AccountHistory], excluded_fields=list(excluded))


_paths: dict[type, str | None] = {}


def _account_path(model) -> str | None:
    """ "pk" for the account itself (its `history_account_path`), else the lookup path of
    its account-scoped queryset (core.scope)."""
    if model not in _paths:
        queryset = model._default_manager.get_queryset()
        _paths[model] = getattr(model, "history_account_path", None) or getattr(
            queryset, "account_path", None
        )
    return _paths[model]


def is_tracked(model) -> bool:
    """Whether `model` keeps a history (declared with `tracked()`)."""
    history = getattr(model, "history", None)
    return history is not None and issubclass(getattr(history, "model", object), AccountHistory)


def account_id_of(instance) -> int | None:
    """The id of the account `instance` hangs off, following its queryset's account path
    (core.scope) through the objects already loaded, then in one query from the first
    parent that is not (a tactic saved on its own: one query, not three)."""
    path = _account_path(type(instance))
    if path is None:
        return None
    if path == "pk":  # the account itself
        return instance.pk
    node = instance
    hops = path.split("__")
    for n, hop in enumerate(hops):
        field = node._meta.get_field(hop)
        if n == len(hops) - 1 or not field.is_cached(node):
            key = getattr(node, field.attname)
            if key is None or n == len(hops) - 1:
                return key
            rest = "__".join(hops[n + 1 :])
            return (
                field.related_model._base_manager.filter(pk=key)
                .values_list(f"{rest}_id", flat=True)
                .first()
            )
        node = getattr(node, hop)
        if node is None:
            return None
    return None


@receiver(pre_create_historical_record)
def _stamp_account(sender, instance, history_instance, **kwargs):
    if isinstance(history_instance, AccountHistory) and history_instance.history_account_id is None:
        history_instance.history_account_id = account_id_of(instance)


@contextlib.contextmanager
def acting_as(user):
    """Record the writes inside as made by `user` (None: by Strata itself)."""
    context = HistoricalRecords.context
    missing = object()
    previous = getattr(context, "request", missing)
    context.request = SimpleNamespace(user=user or SimpleNamespace(is_authenticated=False))
    try:
        yield
    finally:
        if previous is missing:
            del context.request
        else:
            context.request = previous


def account_ids(objs) -> list[int | None]:
    """The account id of each of `objs` (one model), worked out once per parent."""
    if not objs:
        return []
    path = _account_path(type(objs[0]))
    if path in (None, "pk") or "__" not in path:
        return [account_id_of(obj) for obj in objs]
    hop = type(objs[0])._meta.get_field(path.split("__")[0]).attname
    known: dict = {}
    out = []
    for obj in objs:
        key = getattr(obj, hop)
        if key not in known:
            known[key] = account_id_of(obj)
        out.append(known[key])
    return out


def records_actor(service):
    """A service's writes are recorded as made by its `by=` user, whether it runs in a
    request, a worker or a command."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        by = kwargs.get("by")
        if by is None:
            return service(*args, **kwargs)
        with acting_as(by):
            return service(*args, **kwargs)

    run.records_actor = True
    return run


def _write_history(model, objs, kind: str, *, by, at, batch_size) -> None:
    """One history row per object of `objs` (just written), of `kind` ("+" created, "~"
    changed), each with its own account, in bulk."""
    if not is_tracked(model) or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    when = at or timezone.now()
    users = [by if by is not None else history.get_default_history_user(obj) for obj in objs]
    accounts = account_ids(objs)
    connection = connections[router.db_for_write(history)]
    if connection.vendor == "postgresql":
        _copy_history(connection, history, objs, kind, when, users, accounts)
        return
    rows = [
        history(
            history_date=when,
            history_user=user,
            history_type=kind,
            history_account_id=account_id,
            **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields},
        )
        for obj, user, account_id in zip(objs, users, accounts, strict=True)
    ]
    history.objects.bulk_create(rows, batch_size=batch_size)


def _copy_history(connection, history, objs, kind, when, users, accounts) -> None:
    """The rows of `_write_history` with PostgreSQL's COPY: a first import writes tens of
    thousands of history rows, and COPY streams them for a fraction of what INSERTs of
    model instances cost (bench/README.md, issue 17)."""
    fields = [history._meta.get_field(field.name) for field in history.tracked_fields]
    quote = connection.ops.quote_name
    columns = ["history_date", "history_user_id", "history_type", "history_account_id"]
    columns += [field.column for field in fields]
    sql = (
        f"COPY {quote(history._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    )
    # Every value read before COPY starts: a deferred field or a relation loaded on the
    # way would query the connection that COPY holds, and wait for ever.
    rows = [
        (
            when,
            user.pk if user is not None else None,
            kind,
            account_id,
            *(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields),
        )
        for obj, user, account_id in zip(objs, users, accounts, strict=True)
    ]
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def bulk_create(model, objs, *, by=None, at=None, batch_size=BATCH, record=True, **options) -> list:
    """`model.objects.bulk_create(objs)` with a history row for each (dated `at` if
    given, else now). Only for inserts that set the primary keys (not ignore_conflicts).
    `record=False` leaves the rows to `record_created`, for a writer that completes the
    records first (an import's links inside its file): one row each, as they end up."""
    objs = list(objs)
    if not objs:
        return objs
    with transaction.atomic(savepoint=False):
        created = model.objects.bulk_create(objs, batch_size=batch_size, **options)
        if record:
            _write_history(model, created, "+", by=by, at=at, batch_size=batch_size)
    return created


def record_created(model, pks, *, by=None, batch_size=BATCH) -> None:
    """The "created" history rows of records `bulk_create(..., record=False)` wrote, as
    they are now, read back a thousand at a time."""
    pks = list(pks)
    for start in range(0, len(pks), batch_size):
        chunk = pks[start : start + batch_size]
        objs = list(model._base_manager.filter(pk__in=chunk).order_by("pk"))
        _write_history(model, objs, "+", by=by, at=None, batch_size=batch_size)


def bulk_update(model, objs, fields, *, by=None, at=None, batch_size=BATCH) -> int:
    """`model.objects.bulk_update(objs, fields)` with a history row for each."""
    objs = list(objs)
    if not objs:
        return 0
    with transaction.atomic(savepoint=False):
        count = model.objects.bulk_update(objs, fields, batch_size=batch_size)
        _write_history(model, objs, "~", by=by, at=at, batch_size=batch_size)
    return count


def save_derived(obj, fields: list[str]) -> None:
    """Save fields a job works out from others (excluded from the history, such as a
    score) without a history row: the change that moved them has its own."""
    obj.skip_history_when_saving = True
    try:
        obj.save(update_fields=fields)
    finally:
        del obj.skip_history_when_saving


def update(queryset, *, by=None, **values) -> int:
    """`queryset.update(**values)` (one UPDATE per thousand rows, as before), with a
    history row for each record it changed."""
    objs = list(queryset)
    if not objs:
        return 0
    model = queryset.model
    with transaction.atomic(savepoint=False):
        for start in range(0, len(objs), BATCH):
            keys = [obj.pk for obj in objs[start : start + BATCH]]
            model._base_manager.filter(pk__in=keys).update(**values)  # untracked: below
        for obj in objs:
            for name, value in values.items():
                setattr(obj, name, value)
        _write_history(model, objs, "~", by=by, at=None, batch_size=BATCH)
    return len(objs)


def field_changes(before, after, fields) -> list[tuple[str, object, object]]:
    """(name, old, new) for each of `fields` ((name, attname) pairs) whose stored value
    differs between two history rows of one record: ids for relations, raw values."""
    return [
        (name, getattr(before, attname), getattr(after, attname))
        for name, attname in fields
        if getattr(before, attname) != getattr(after, attname)
    ]


__all__ = [
    "AccountHistory",
    "account_id_of",
    "acting_as",
    "bulk_create",
    "bulk_update",
    "is_tracked",
    "record_created",
    "records_actor",
    "save_derived",
    "field_changes",
    "tracked",
    "update",
]


def backfill(apps, app_label: str, model_name: str, account_path: str) -> None:
    """For a migration that starts tracking `model_name`: one "created" history row per
    existing record, dated when it was created if it says so, so the Activity and the
    RPI's past start with what an installation already holds."""
    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    names = {f.name for f in model._meta.concrete_fields}
    born = next((n for n in ("created_at", "joined_at") if n in names), None)
    tracked_fields = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    account = "pk" if account_path == "pk" else f"{account_path}_id"
    now = timezone.now()
    rows = []
    for obj in model.objects.annotate(_account=models.F(account)).iterator(chunk_size=BATCH):
        rows.append(
            history(
                history_date=getattr(obj, born) if born else now,
                history_type="+",
                history_account_id=obj._account,
                **{f.attname: getattr(obj, f.attname) for f in tracked_fields},
            )
        )
        if len(rows) >= BATCH:
            history.objects.bulk_create(rows)
            rows = []
    history.objects.bulk_create(rows)
