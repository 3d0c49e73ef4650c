"""Segmentation jobs: thin, ids in, idempotent."""

from celery import shared_task

from .models import SegmentationSettings
from .services import segmentation_run_execute, segmentation_run_start


@shared_task(acks_late=True, reject_on_worker_lost=True)
def execute_segmentation_run(run_id: int) -> str | None:
    """Carry out segmentation run `run_id`; a run already finished is left as it is."""
    run = segmentation_run_execute(run_id=run_id)
    return run.status if run else None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def scheduled_segmentation_run() -> int:
    """Nightly: a run that applies its changes where the settings say so, else a dry run."""
    settings = SegmentationSettings.load()
    return segmentation_run_start(by=None, dry_run=not settings.scheduled_apply, scheduled=True).pk
