"""Background jobs of opportunities. Thin: a service call, idempotent."""

from celery import shared_task

from .contracts import renewals_open
from .services import qualification_scores_refresh


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_qualification_scores() -> int:
    """After the qualification criteria changed: every stored score recomputed."""
    return qualification_scores_refresh()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def open_renewals() -> int:
    """Daily: the renewal opportunity of every contract within STRATA_RENEWAL_LEAD_DAYS of
    its end, opened once (a redelivered or repeated run opens nothing twice)."""
    return renewals_open()
