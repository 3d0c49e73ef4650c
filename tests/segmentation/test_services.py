"""Segmentation runs, overrides and presets against the database."""

import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.factories import AccountFactory, TierFactory
from segmentation import services
from segmentation.models import (
    Criterion,
    SegmentationRun,
    SegmentationSettings,
    Tier,
    TierAssignment,
    TierChange,
)
from segmentation.tasks import scheduled_segmentation_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    """Three accounts worked by hand in test_scoring: A → Tier I (strategic), B → Tier I
    (revenue), C → Tier III; composites with equal weights A 60, B 65, C 25."""
    return {
        "A": AccountFactory(
            name="A",
            annual_revenue=100,
            wallet_estimate=400,
            gross_margin_pct=20,
            strategic_value=5,
        ),
        "B": AccountFactory(
            name="B",
            annual_revenue=300,
            wallet_estimate=300,
            gross_margin_pct=40,
            strategic_value=1,
        ),
        "C": AccountFactory(
            name="C",
            annual_revenue=200,
            wallet_estimate=None,
            gross_margin_pct=None,
            strategic_value=3,
        ),
    }


def by_name(changes, portfolio):
    names = {account.pk: name for name, account in portfolio.items()}
    return {names[c["account"]]: c for c in changes}


def test_a_dry_run_lists_every_change_and_writes_nothing(
    admin_user, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=True)
    done = SegmentationRun.objects.get(pk=started.pk)
    assert done.status == "done" and done.total == done.processed == 3
    changes = by_name(done.changes, portfolio)
    assert changes["A"]["from_tier"] is None and changes["A"]["to_tier"] == "Tier I"
    assert changes["B"]["to_tier"] == "Tier I"
    assert changes["C"]["to_tier"] == "Tier III"
    assert changes["A"]["composite"] == 60.0 and changes["B"]["composite"] == 65.0
    assert changes["A"]["scores"]["strategic"] == 100.0
    assert not TierAssignment.objects.exists()
    assert not TierChange.objects.exists()


def test_applying_writes_assignments_and_history_once(
    admin_user, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.segmentation_run_start(by=admin_user, dry_run=False)
    assignment = TierAssignment.objects.get(account=portfolio["B"])
    assert assignment.tier == TierFactory(name="Tier I")
    assert assignment.composite == Decimal("65.00")
    assert assignment.scores["revenue"] == 100.0
    assert TierChange.objects.filter(cause="run").count() == 3
    stamps = dict(TierAssignment.objects.values_list("pk", "updated_at"))

    with django_capture_on_commit_callbacks(execute=True):
        second = services.segmentation_run_start(by=admin_user, dry_run=False)
    assert SegmentationRun.objects.get(pk=second.pk).changes == []
    assert TierChange.objects.count() == 3  # no history for unchanged data
    assert dict(TierAssignment.objects.values_list("pk", "updated_at")) == stamps


def test_a_change_of_data_moves_the_account_and_writes_one_history_row(
    admin_user, portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.segmentation_run_start(by=admin_user, dry_run=False)
    a = portfolio["A"]
    a.strategic_value = 1  # no longer strategic: rules now say Tier II or III
    a.save()
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=False)
    changes = SegmentationRun.objects.get(pk=started.pk).changes
    assert [c["account"] for c in changes] == [a.pk]
    latest = TierChange.objects.filter(account=a).first()
    assert (latest.from_tier.name, latest.cause, latest.by) == ("Tier I", "run", admin_user)
    assert TierChange.objects.filter(account=a).count() == 2


def test_a_cap_drops_the_lowest_composite_and_flags_it(
    admin_user, portfolio, django_capture_on_commit_callbacks
):
    Tier.objects.filter(name="Tier I").update(cap=1)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=False)
    a = TierAssignment.objects.get(account=portfolio["A"])
    assert (a.tier.name, a.capped) == ("Tier II", True)
    assert by_name(SegmentationRun.objects.get(pk=started.pk).changes, portfolio)["A"]["capped"]


def test_an_override_survives_a_run_and_is_reported_as_overridden(
    admin_user, manager, portfolio, django_capture_on_commit_callbacks
):
    services.tier_pin(
        account=portfolio["C"], tier=TierFactory(name="Tier I"), reason="Board mandate", by=manager
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=False)
    c = TierAssignment.objects.get(account=portfolio["C"])
    assert (c.tier.name, c.pinned, c.pin_reason) == ("Tier I", True, "Board mandate")
    assert c.composite == Decimal("25.00")  # scores kept current under the pin
    report = by_name(SegmentationRun.objects.get(pk=started.pk).changes, portfolio)
    assert report["C"]["overridden"] is True and report["C"]["to_tier"] == "Tier I"
    assert not TierChange.objects.filter(account=portfolio["C"], cause="run").exists()


def test_an_override_needs_a_reason_and_its_removal_is_history(admin_user, portfolio):
    with pytest.raises(ValidationError, match="Say why"):
        services.tier_pin(
            account=portfolio["A"], tier=TierFactory(name="Tier II"), reason="  ", by=admin_user
        )
    services.tier_pin(
        account=portfolio["A"], tier=TierFactory(name="Tier II"), reason="Test", by=admin_user
    )
    services.tier_unpin(account=portfolio["A"], by=admin_user)
    causes = list(TierChange.objects.filter(account=portfolio["A"]).values_list("cause", flat=True))
    assert causes == ["unpin", "override"]
    assert not TierAssignment.objects.get(account=portfolio["A"]).pinned


def test_archived_accounts_are_left_out(admin_user, portfolio, django_capture_on_commit_callbacks):
    AccountFactory(name="Gone", archived=True, annual_revenue=10**9)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=True)
    done = SegmentationRun.objects.get(pk=started.pk)
    assert done.total == 3
    # B still tops revenue: the archived giant is not ranked.
    assert by_name(done.changes, portfolio)["B"]["scores"]["revenue"] == 100.0


def test_a_run_with_all_weights_zero_fails_with_a_message(
    admin_user, portfolio, django_capture_on_commit_callbacks
):
    Criterion.objects.update(weight=0)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=True)
    failed = SegmentationRun.objects.get(pk=started.pk)
    assert failed.status == "failed"
    assert "weight above zero" in failed.error


def test_only_admins_start_runs(manager):
    with pytest.raises(PermissionDenied):
        services.segmentation_run_start(by=manager, dry_run=True)


def test_a_finished_run_is_not_run_again(admin_user, portfolio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = services.segmentation_run_start(by=admin_user, dry_run=False)
    services.segmentation_run_execute(run_id=started.pk)
    assert TierChange.objects.count() == 3


@pytest.mark.parametrize("apply", [False, True])
def test_the_scheduled_run_applies_only_where_configured(
    portfolio, apply, django_capture_on_commit_callbacks
):
    settings = SegmentationSettings.load()
    settings.scheduled_apply = apply
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_id = scheduled_segmentation_run.delay().get()
    scheduled = SegmentationRun.objects.get(pk=run_id)
    assert scheduled.scheduled and scheduled.dry_run is not apply
    assert TierAssignment.objects.exists() is apply


def test_run_queries_do_not_grow_with_accounts(admin_user):
    def queries_for(n):
        AccountFactory.create_batch(n)
        run_row = SegmentationRun.objects.create(dry_run=False, started_by=admin_user)
        with CaptureQueriesContext(connection) as queries:
            services.segmentation_run_execute(run_id=run_row.pk)
        return len(queries)

    assert queries_for(5) == queries_for(40)


def test_a_preset_replaces_the_tiers_until_accounts_are_placed(admin_user, portfolio):
    tiers = services.preset_apply(name="key-strategic-marginal")
    assert [t.name for t in tiers] == ["Key", "Strategic", "Marginal"]
    assert list(Tier.objects.values_list("name", flat=True)) == ["Key", "Strategic", "Marginal"]
    services.tier_pin(account=portfolio["A"], tier=tiers[0], reason="x", by=admin_user)
    with pytest.raises(ValidationError, match="already placed"):
        services.preset_apply(name="tiers")
    with pytest.raises(ValidationError):
        services.preset_apply(name="nope")


def _assert_default_model():
    assert list(Tier.objects.values_list("name", flat=True)) == ["Tier I", "Tier II", "Tier III"]
    assert set(Criterion.objects.values_list("key", flat=True)) == {
        "revenue",
        "growth",
        "margin",
        "lifetime_value",
        "strategic",
    }
    first = Tier.objects.get(name="Tier I")
    assert [(c.criterion, c.threshold) for c in first.conditions.all()] == [
        ("revenue", Decimal("80.00")),
        ("strategic", Decimal("75.00")),
    ]


def test_a_missing_model_is_seeded_again_before_a_run():
    Tier.objects.all().delete()
    Criterion.objects.all().delete()
    services.ensure_default_model()
    _assert_default_model()


def test_the_data_migration_seeds_the_default_model():
    from django.apps import apps

    migration = importlib.import_module("segmentation.migrations.0002_default_model")
    Tier.objects.all().delete()
    Criterion.objects.all().delete()
    migration.seed(apps, None)
    _assert_default_model()


def test_a_pin_made_while_a_run_is_under_way_is_not_overwritten(admin_user, manager, portfolio):
    """The run computes, a manager pins C to Tier I, then the run writes: C keeps the pin
    (and its tier); the others are placed; no run history for C."""
    run = SegmentationRun.objects.create(dry_run=False, started_by=admin_user)
    scores, composites, placements = services.segmentation_compute()
    services.tier_pin(
        account=portfolio["C"], tier=TierFactory(name="Tier I"), reason="Board", by=manager
    )
    services.runs._apply(run, scores, composites, placements)
    c = TierAssignment.objects.get(account=portfolio["C"])
    assert (c.tier.name, c.pinned, c.pin_reason) == ("Tier I", True, "Board")
    assert not TierChange.objects.filter(account=portfolio["C"], cause="run").exists()
    assert TierAssignment.objects.get(account=portfolio["A"]).tier.name == "Tier I"
    # The next run keeps the pin too, and reports it as overridden.
    services.segmentation_run_execute(
        run_id=SegmentationRun.objects.create(dry_run=False, started_by=admin_user).pk
    )
    assert TierAssignment.objects.get(account=portfolio["C"]).tier.name == "Tier I"


def test_an_unexpected_error_fails_the_run_instead_of_leaving_it_running(
    admin_user, portfolio, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.runs, "_apply", broken)
    run = SegmentationRun.objects.create(dry_run=False, started_by=admin_user)
    services.segmentation_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "RuntimeError" in run.error
    monkeypatch.undo()
    # …and a new run may start at once.
    assert services.segmentation_run_start(by=admin_user, dry_run=True).status == "pending"


def test_archived_accounts_neither_block_a_tier_nor_a_preset(admin_user, portfolio):
    services.segmentation_run_execute(
        run_id=SegmentationRun.objects.create(dry_run=False, started_by=admin_user).pk
    )
    Account = type(portfolio["C"])
    Account.objects.filter(pk=portfolio["C"].pk).update(archived=True)  # C stays in Tier III
    watch = services.tier_save(tier=None, name="Watch", conditions=[("margin", 100)])
    TierAssignment.objects.filter(account=portfolio["C"]).update(tier=watch)
    services.tier_delete(tier=watch)  # only the archived C was in it
    assert not Tier.objects.filter(name="Watch").exists()
    assert not TierAssignment.objects.filter(account=portfolio["C"]).exists()
    assert TierChange.objects.filter(account=portfolio["C"]).exists()  # history kept
    Account.objects.filter(pk__in=[portfolio["A"].pk, portfolio["B"].pk]).update(archived=True)
    services.preset_apply(name="key-strategic-marginal")
    assert list(Tier.objects.values_list("name", flat=True)) == ["Key", "Strategic", "Marginal"]


def test_the_moved_accounts_snapshots_follow_an_applied_run(
    admin_user, portfolio, django_capture_on_commit_callbacks
):
    """Another tier is another servicing model and review cadence: the snapshots of the
    accounts a run moved are recomputed once it is applied (one job for them all), so the
    homes and dashboards that read them do not wait for the nightly recompute."""
    from accounts_app.models import AccountSnapshot

    with django_capture_on_commit_callbacks(execute=True):
        services.segmentation_run_start(by=admin_user, dry_run=True)
    assert not AccountSnapshot.objects.exists()  # a dry run moves nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.segmentation_run_start(by=admin_user, dry_run=False)
    tier_1 = AccountSnapshot.objects.get(account=portfolio["A"])
    assert tier_1.servicing_gaps is not None and tier_1.next_review_due is not None
    assert AccountSnapshot.objects.count() == 3
