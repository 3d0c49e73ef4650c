"""The recompute and dashboard jobs: scheduled, late-acknowledged, idempotent; and a real
worker killed in the middle of the nightly recompute has the job redone, its results
stored exactly once."""

import pytest
from django.conf import settings
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot
from config.celery import app as celery_app
from demo.factories import AccountFactory, ContactFactory, RelationshipFactory
from insights import tasks
from scorecards.models import PortfolioSnapshot
from tests.workers import (
    kill_pool_process,
    start_pausing_worker,
    stop_worker,
    wait_for_file,
    worker_was_lost,
)

pytestmark = pytest.mark.django_db


def test_the_jobs_ack_late_and_are_scheduled():
    for task in (tasks.nightly_recompute, tasks.refresh_portfolio):
        assert task.acks_late is True and task.reject_on_worker_lost is True
        assert task.name in celery_app.tasks
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["nightly-recompute"]["task"] == "insights.tasks.nightly_recompute"
    assert schedule["portfolio-aggregates"]["task"] == "insights.tasks.refresh_portfolio"
    # Plan quality is stored before the snapshots read it.
    assert schedule["nightly-plan-quality"]["schedule"].hour == {1}


def test_running_the_nightly_job_twice_stores_each_figure_once(account, outsider):
    assert tasks.nightly_recompute.delay().get() == 2
    assert tasks.nightly_recompute.delay().get() == 2
    today = timezone.localdate()
    assert AccountSnapshot.objects.filter(date=today).count() == 2
    assert PortfolioSnapshot.objects.filter(date=today).count() == 1
    assert all(a.latest_snapshot.date == today for a in Account.objects.all())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_recompute_has_the_job_redone_once(sending_to_workers, tmp_path):
    """Five accounts in batches of two; the worker's process is killed after the first
    batch is written. The job goes back on the queue, the next process redoes it from the
    start, and every account ends with exactly one snapshot for today and the portfolio
    with one row."""
    accounts = [AccountFactory(name=f"Killed Co {n}") for n in range(5)]
    for account in accounts:
        RelationshipFactory(contact=ContactFactory(account=account, level="senior"), strength=2)
    marker = tmp_path / "paused"
    queue, process, log = start_pausing_worker("STRATA_TEST_PAUSE_MARKER", marker)
    try:
        result = tasks.nightly_recompute.apply_async(queue=queue)
        assert wait_for_file(marker), "the worker never reached the middle of the job"
        today = timezone.localdate()
        assert AccountSnapshot.objects.filter(date=today).count() == 2  # the first batch
        assert not PortfolioSnapshot.objects.exists()
        kill_pool_process(process)  # mid-job

        assert result.get(timeout=120) == 5
    finally:
        output = stop_worker(process, log)
    assert worker_was_lost(output), output[-3000:]
    for account in accounts:
        rows = AccountSnapshot.objects.filter(account=account, date=today)
        assert rows.count() == 1
        assert rows.get().rpi is not None
        account.refresh_from_db()
        assert account.latest_snapshot_id == rows.get().pk
    assert PortfolioSnapshot.objects.filter(date=today).count() == 1
    assert PortfolioSnapshot.objects.get().data["total"]["accounts"] == 5
