"""A segmentation run carried out by a real Celery worker process, as in production:
the page's request only records the run; the worker computes and applies it."""

import time

import pytest

from demo.factories import AccountFactory
from segmentation import tasks
from segmentation.models import SegmentationRun, TierAssignment, TierChange


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_applies_a_run_and_a_second_run_changes_nothing(real_worker, admin_user):
    facts = {"wallet_estimate": None, "gross_margin_pct": None}
    AccountFactory(name="Big", annual_revenue=900, strategic_value=1, **facts)
    AccountFactory(name="Small", annual_revenue=10, strategic_value=1, **facts)
    AccountFactory(name="Strategic", annual_revenue=50, strategic_value=5, **facts)

    def run_through_the_worker(dry_run: bool) -> SegmentationRun:
        run = SegmentationRun.objects.create(dry_run=dry_run, started_by=admin_user)
        result = tasks.execute_segmentation_run.apply_async(args=[run.pk], queue=real_worker)
        assert result.get(timeout=90) == "done"
        run.refresh_from_db()
        return run

    started = time.monotonic()
    dry = run_through_the_worker(dry_run=True)
    assert (dry.total, dry.processed, len(dry.changes)) == (3, 3, 3)
    assert not TierAssignment.objects.exists()

    applied = run_through_the_worker(dry_run=False)
    assert dict(TierAssignment.objects.values_list("account__name", "tier__name")) == {
        "Big": "Tier I",  # revenue percentile 100
        "Strategic": "Tier I",  # strategic (5 − 1) × 25 = 100
        "Small": "Tier III",
    }
    assert TierChange.objects.filter(run=applied).count() == 3

    again = run_through_the_worker(dry_run=False)
    assert again.changes == [] and TierChange.objects.count() == 3
    print(f"three runs through the worker: {time.monotonic() - started:.1f}s")
