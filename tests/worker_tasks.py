"""For the worker tests only: a task slow the first time it runs, quick the second; and
a pause in the middle of the recompute job."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def slow_once(marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.write_text("started")
        time.sleep(60)  # long enough to be killed in the middle
        return "first run finished"
    return "ran again after the worker was lost"


# In a worker started with STRATA_TEST_PAUSE_MARKER set (the recompute test): batches of
# two accounts, and the first batch written, a pause long enough to kill the worker
# in the middle of the job. The job itself is the real one.
_marker = os.environ.get("STRATA_TEST_PAUSE_MARKER")
if _marker:
    from insights import snapshots

    _original_batch = snapshots._refresh_batch
    snapshots.BATCH = 2

    def _pausing_batch(account_ids, day):
        written = _original_batch(account_ids, day)
        path = Path(_marker)
        if not path.exists():
            path.write_text("first batch written")
            time.sleep(60)
        return written

    snapshots._refresh_batch = _pausing_batch


@shared_task
def always_fails() -> None:
    """Fails at once, for the task-failure counter's test."""
    raise RuntimeError("this task always fails")


# In a worker started with STRATA_TEST_SEGMENTATION_PAUSE_MARKER set: segmentation runs
# apply one account a batch, and pause once the first batch is committed (as the second
# begins), long enough to kill the worker in the middle of the run.
_segmentation_marker = os.environ.get("STRATA_TEST_SEGMENTATION_PAUSE_MARKER")
if _segmentation_marker:
    from segmentation.services import runs

    _original_still_current = runs._still_current
    runs.BATCH = 1
    _batches = []

    def _pausing_still_current(*args, **kwargs):
        _batches.append(1)
        path = Path(_segmentation_marker)
        if len(_batches) == 2 and not path.exists():
            path.write_text("first batch applied")
            time.sleep(60)
        return _original_still_current(*args, **kwargs)

    runs._still_current = _pausing_still_current
