"""Background jobs of accounts_app. Thin: ids in, a service call, idempotent."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from .services import account_snapshot_refresh

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def refresh_account_snapshot(account_id: int) -> int | None:
    """Recompute today's snapshot of account `account_id`; quietly ends if it is gone.

    Returns the snapshot's id (or None) so a caller waiting on the result can check it.
    """
    snapshot = account_snapshot_refresh(account_id=account_id)
    if snapshot:
        # The alert rules see the account's new figures at once (not at the next run).
        from scorecards.alerts.evaluate import rules_evaluate

        rules_evaluate(account_ids=[account_id])
    return snapshot.pk if snapshot else None


def schedule_account_snapshot(account_id: int) -> None:
    """Queue a snapshot refresh after a change, at most one per account per debounce window.

    Called from transaction.on_commit, so the worker sees the committed change. A burst
    of edits to one account (an import, a busy editing session) costs one job: the first
    change queues a job delayed by the window; later changes inside it find the marker
    and rely on that job, which reads the data as it is when it runs.
    """
    delay = settings.STRATA_SNAPSHOT_DEBOUNCE_SECONDS
    if delay <= 0:
        refresh_account_snapshot.delay(account_id)
        return
    if cache.add(f"snapshot-pending:{account_id}", 1, timeout=delay):
        refresh_account_snapshot.apply_async(args=[account_id], countdown=delay)
