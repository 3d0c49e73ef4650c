"""Background jobs of plans. Thin: ids in, a service call, idempotent."""

import logging

from celery import shared_task

from .models import Plan
from .services import plan_quality_refresh

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_plan_quality() -> int:
    """Nightly: recompute every plan's quality ("updated in the last 90 days" changes with
    the date alone, and relationship changes move the decision-maker check)."""
    count = 0
    for plan in Plan.objects.select_related("account").iterator(chunk_size=500):
        plan_quality_refresh(plan=plan)
        count += 1
    logger.info("refreshed the quality of %s plans", count)
    return count
