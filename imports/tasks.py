"""The import job: the whole run in a worker, its progress kept on the job."""

from celery import shared_task

from . import engine


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> str:
    return engine.run(job_id).status
