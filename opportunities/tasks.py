"""Background jobs of opportunities. Thin: a service call, idempotent."""

from celery import shared_task

from .services import qualification_scores_refresh


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_qualification_scores() -> int:
    """After the qualification criteria changed: every stored score recomputed."""
    return qualification_scores_refresh()
