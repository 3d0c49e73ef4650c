"""The one message that goes up the layers: "this account changed, recompute it".

Every service that changes what an account's snapshot, health, plan quality or alerts
read calls `recompute_later(account_id)`. The recompute itself lives above every app
(insights.tasks.recompute_account); the services below name it by its task name, the
interface Celery gives jobs, instead of importing the app that reads them all.
"""

import contextlib
import threading

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

RECOMPUTE_TASK = "insights.tasks.recompute_account"


_batch = threading.local()


def recompute_later(account_id: int) -> None:
    """Recompute the account once this change is committed, debounced per account (or
    once at the end of the `recompute_batched` block around it)."""
    pending = getattr(_batch, "accounts", None)
    if pending is not None:
        pending.add(account_id)
        return
    transaction.on_commit(lambda: schedule_recompute(account_id))


@contextlib.contextmanager
def recompute_batched():
    """Recompute each account changed inside once, when the block ends: a run of many
    services over many accounts (the demo's seed) queues one job per account, not one
    per write. Nothing is queued if the block fails."""
    if getattr(_batch, "accounts", None) is not None:  # inside another batch: it queues
        yield
        return
    _batch.accounts = set()
    try:
        yield
        accounts = _batch.accounts
    finally:
        _batch.accounts = None
    for account_id in sorted(accounts):
        recompute_later(account_id)


def schedule_recompute(account_id: int) -> None:
    """Queue the account's recompute, at most one per account per debounce window.

    A burst of edits to one account (an import, a busy editing session) costs one job:
    the first change queues a job delayed by the window; later changes inside it find
    the marker and rely on that job, which reads the data as it is when it runs.
    """
    task = current_app.tasks[RECOMPUTE_TASK]
    delay = settings.STRATA_SNAPSHOT_DEBOUNCE_SECONDS
    if delay <= 0:
        task.delay(account_id)
        return
    if cache.add(f"snapshot-pending:{account_id}", 1, timeout=delay):
        task.apply_async(args=[account_id], countdown=delay)
