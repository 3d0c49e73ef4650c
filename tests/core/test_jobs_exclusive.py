"""One run of a long job at a time: a job delivered again while the first delivery still
runs in another process waits (the task is retried later) instead of running twice."""

import time

import pytest
from celery.exceptions import Retry
from django.db import connection, connections

from core import jobs
from imports import tasks as import_tasks
from insights import tasks as insights_tasks
from segmentation import tasks as segmentation_tasks

pytestmark = pytest.mark.django_db


def test_a_job_held_by_another_connection_is_busy_here_until_it_is_let_go():
    if connection.vendor != "postgresql":
        # The embedded default runs one worker: nothing to wait for.
        with jobs.job_exclusive("nightly-recompute") as mine:
            assert mine
        return
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # another worker's process, running the job
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _lock("segmentation-run", 7))
        with jobs.job_exclusive("segmentation-run", 7) as mine:
            assert not mine
        with jobs.job_exclusive("segmentation-run", 8) as mine:
            assert mine  # another run is another job
    finally:
        other.close()  # a killed worker's connection: the lock goes with it
    for _ in range(50):  # once the server has ended that connection's session
        with jobs.job_exclusive("segmentation-run", 7) as mine:
            if mine:
                break
        time.sleep(0.1)
    assert mine


def _lock(name: str, key: int) -> tuple[int, int]:
    import zlib

    return zlib.crc32(name.encode()) & 0x7FFFFFFF, key


@pytest.mark.parametrize(
    ("task", "args", "service"),
    [
        (segmentation_tasks.execute_segmentation_run, [1], "segmentation_run_execute"),
        (insights_tasks.render_portfolio_pack, [1], "portfolio_pack_render"),
        (insights_tasks.nightly_recompute, [], "_nightly_recompute"),
        (import_tasks.run_import, [1], None),
    ],
)
def test_a_job_running_elsewhere_is_retried_and_then_runs_once(monkeypatch, task, args, service):
    holders = iter([False, True])  # busy the first time, free when retried
    monkeypatch.setattr(jobs, "job_exclusive", lambda name, key=0: _held(next(holders)))
    ran = []
    if service is None:
        from imports import engine

        monkeypatch.setattr(engine, "run", lambda job_id: ran.append(job_id) or _Done())
    else:
        module = {
            "segmentation_run_execute": segmentation_tasks,
            "portfolio_pack_render": insights_tasks,
            "_nightly_recompute": insights_tasks,
        }[service]
        monkeypatch.setattr(module, service, lambda **kw: ran.append(kw) or _Done())
    with pytest.raises(Retry):  # busy elsewhere: put back for later, nothing done here
        task(*args)
    assert ran == []
    task(*args)  # retried once the other is done (or gone): it runs
    assert len(ran) == 1


class _Done:
    status = "done"
    pk = 1

    def __len__(self):
        return 0


def _held(mine: bool):
    import contextlib

    @contextlib.contextmanager
    def held():
        yield mine

    return held()
