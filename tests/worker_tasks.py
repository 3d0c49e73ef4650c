"""A task for the worker tests only: slow the first time it runs, quick the second."""

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
