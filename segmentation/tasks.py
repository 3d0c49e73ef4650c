"""Segmentation jobs: thin, ids in, idempotent."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from core.jobs import run_exclusive

from .models import SegmentationSettings
from .services import segmentation_run_execute, segmentation_run_start

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def execute_segmentation_run(self, run_id: int) -> str | None:
    """Carry out segmentation run `run_id`; a run already finished is left as it is, one
    still running elsewhere is waited for."""
    run = run_exclusive(
        self, "segmentation-run", run_id, lambda: segmentation_run_execute(run_id=run_id)
    )
    return run.status if run else None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def scheduled_segmentation_run() -> int | None:
    """Nightly: a run that applies its changes where the settings say so, else a dry run.
    Skipped (and logged) while another run is still under way."""
    settings = SegmentationSettings.load()
    try:
        run = segmentation_run_start(by=None, dry_run=not settings.scheduled_apply, scheduled=True)
    except ValidationError as exc:
        logger.warning("scheduled segmentation run skipped: %s", " ".join(exc.messages))
        return None
    return run.pk
