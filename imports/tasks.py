"""The import job: the whole run in a worker, its progress kept on the job."""

from celery import shared_task

from core.jobs import run_exclusive

from . import engine


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_import(self, job_id: int) -> str:
    """Import job `job_id`; one already finished is left as it is, one still running
    elsewhere (delivered again) is waited for, never applied twice at once."""
    return run_exclusive(self, "import", job_id, lambda: engine.run(job_id)).status
