"""Running an import in this process: the dry run, then (apply=True) its apply, as the
Celery task would."""

import pytest

from imports import engine, services


@pytest.fixture
def run_import():
    """Dry run (and with apply=True, apply) a file as `by`, in this process."""

    def run(by, kind, text, *, apply=False, preset="", mapping=None, name="file.csv"):
        content = text.encode() if isinstance(text, str) else text
        job = services.import_start(
            by=by,
            kind=kind,
            file_name=name,
            content=content,
            preset=preset,
            mapping=mapping,
            queue=False,
        )
        job = engine.run(job.pk)
        if apply:
            job.refresh_from_db()
            assert job.applicable, (job.message, job.errors)
            applied = services.import_apply(job=job, by=by, queue=False)
            return engine.run(applied.pk)
        return job

    return run
