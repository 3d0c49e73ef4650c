"""A segmentation run whose worker was lost midway is delivered again: it finishes once,
its list of changes is whole, and no account's change is recorded twice."""

import pytest

from demo.factories import AccountFactory
from segmentation import tasks
from segmentation.models import SegmentationRun, TierAssignment, TierChange
from segmentation.services import runs
from tests.workers import (
    kill_pool_process,
    start_pausing_worker,
    stop_worker,
    wait_for_file,
    worker_was_lost,
)

FACTS = {"wallet_estimate": None, "gross_margin_pct": None}


def three_accounts() -> None:
    AccountFactory(name="Big", annual_revenue=900, strategic_value=1, **FACTS)
    AccountFactory(name="Small", annual_revenue=10, strategic_value=1, **FACTS)
    AccountFactory(name="Strategic", annual_revenue=50, strategic_value=5, **FACTS)


def assert_finished_once(run: SegmentationRun) -> None:
    run.refresh_from_db()
    assert run.status == SegmentationRun.Status.DONE
    assert (run.total, run.processed) == (3, 3)
    assert sorted(c["to_tier"] for c in run.changes) == ["Tier I", "Tier I", "Tier III"]
    assert all(c["from_tier"] is None for c in run.changes)
    assert TierChange.objects.filter(run=run).count() == 3  # one per account, not more
    assert TierAssignment.objects.count() == 3


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, no `except` catches."""


@pytest.mark.django_db
def test_a_run_delivered_again_after_its_first_batch_lists_every_change_once(
    admin_user, monkeypatch
):
    three_accounts()
    run = SegmentationRun.objects.create(dry_run=False, started_by=admin_user)
    monkeypatch.setattr(runs, "BATCH", 1)
    original, calls = runs._still_current, []

    def killed_at_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerKilled
        return original(*args, **kwargs)

    monkeypatch.setattr(runs, "_still_current", killed_at_the_second_batch)
    with pytest.raises(WorkerKilled):
        runs.segmentation_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SegmentationRun.Status.RUNNING
    assert TierChange.objects.filter(run=run).count() == 1  # the first batch, committed

    monkeypatch.setattr(runs, "_still_current", original)
    runs.segmentation_run_execute(run_id=run.pk)  # delivered again
    assert_finished_once(run)
    runs.segmentation_run_execute(run_id=run.pk)  # and again: a finished run stays as it is
    assert_finished_once(run)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_has_the_run_finished_once(
    sending_to_workers, admin_user, tmp_path
):
    three_accounts()
    marker = tmp_path / "paused"
    queue, process, log = start_pausing_worker("STRATA_TEST_SEGMENTATION_PAUSE_MARKER", marker)
    try:
        run = SegmentationRun.objects.create(dry_run=False, started_by=admin_user)
        result = tasks.execute_segmentation_run.apply_async(args=[run.pk], queue=queue)
        assert wait_for_file(marker), "the worker never reached the middle of the run"
        assert TierChange.objects.filter(run=run).count() == 1
        kill_pool_process(process)  # mid-run

        assert result.get(timeout=120) == "done"
    finally:
        output = stop_worker(process, log)
    assert worker_was_lost(output), output[-3000:]
    assert output.count(f"segmentation run {run.pk} done") == 1, output[-3000:]
    assert_finished_once(run)
