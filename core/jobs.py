"""The one message that goes up the layers: "this account changed, recompute it".

Every service that changes what an account's snapshot, health, plan quality or alerts
read calls `recompute_later(account_id)`. The recompute itself lives above every app
(insights.tasks.recompute_account); the services below name it by its task name, the
interface Celery gives jobs, instead of importing the app that reads them all.

And the rule every long job keeps: one run of it at a time (`run_exclusive`).
"""

import contextlib
import threading
import zlib

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

RECOMPUTE_TASK = "insights.tasks.recompute_account"
SNAPSHOTS_TASK = "insights.tasks.refresh_snapshots"


_batch = threading.local()


def recompute_later(account_id: int) -> None:
    """Recompute the account once this change is committed, debounced per account (or
    once at the end of the `recompute_batched` block around it)."""
    pending = getattr(_batch, "accounts", None)
    if pending is not None:
        pending.add(account_id)
        return
    transaction.on_commit(lambda: schedule_recompute(account_id))


def snapshots_refresh_later(account_ids: list[int]) -> None:
    """Today's snapshots of many accounts a bulk change moved (a segmentation run),
    once the change is committed: one job in set-based batches, not one per account."""
    if account_ids:
        ids = sorted(set(account_ids))
        transaction.on_commit(lambda: current_app.tasks[SNAPSHOTS_TASK].delay(ids))


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


# --- One run of a job at a time -------------------------------------------------------
# A job is delivered again when its worker is lost (task_acks_late with
# task_reject_on_worker_lost, or the Redis broker's visibility timeout for a worker that
# died whole). The services make the second delivery harmless once the first finished
# (a finished run or pack is left as it is); these make it wait while the first is still
# running somewhere, instead of running the same job twice at once.

JOB_BUSY_RETRY_SECONDS = 15


@contextlib.contextmanager
def job_exclusive(name: str, key: int = 0):
    """Yield True when this process holds the job `name`/`key` until the block ends, False
    when another process holds it now. On PostgreSQL a session advisory lock, which dies
    with its connection, so a worker killed mid-job never leaves it held; elsewhere (the
    embedded SQLite, one worker) always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    lock = (zlib.crc32(name.encode()) & 0x7FFFFFFF, key & 0x7FFFFFFF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", lock)
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
            except DatabaseError:
                pass  # the connection is gone, and the lock with it


def run_exclusive(task, name: str, key: int, work):
    """`work()` for `task` (a bound Celery task) unless the same job is running in another
    process: then the task is retried later, by when it has finished (and `work` finds
    it done) or died (and `work` runs it)."""
    with job_exclusive(name, key) as mine:
        if not mine:
            raise task.retry(countdown=JOB_BUSY_RETRY_SECONDS, max_retries=None)
        return work()
