"""The recompute job's figures in each account's snapshot, against a case worked by
hand: RPI, the latest scorecard score, the latest customer survey, plan execution,
engagement recency, account health with its components and band, the open pipeline and
the plan; missing components dropped; the latest-snapshot pointer; one row per day."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db.models import F
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot
from core import periods
from demo.factories import AccountFactory, ContactFactory, InteractionFactory, RelationshipFactory
from insights.snapshots import account_snapshots_refresh
from opportunities import services as opportunities
from opportunities.models import Stage
from plans import services as plans
from plans.models import Goal, Strategy, Tactic
from scorecards import services, surveys
from scorecards.models import Metric, SurveyTemplate

pytestmark = pytest.mark.django_db


def test_an_account_with_nothing_measured_has_no_health(outsider):
    account = AccountFactory()
    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    # RPI 0 is measured (no contacts: 0); nothing else is, so health = RPI = 0: red.
    assert snapshot.rpi == D("0.0") and snapshot.scorecard_score is None
    assert (snapshot.health, snapshot.health_band) == (D("0.0"), "red")
    assert snapshot.health_components["rpi"] == {"value": 0.0, "weight": 1.0, "contribution": 0.0}
    assert snapshot.health_components["survey"]["value"] is None


@pytest.fixture
def today():
    return timezone.localdate()


def test_health_and_its_components_worked_by_hand(
    account, owner, teammate, today, django_capture_on_commit_callbacks
):
    """One executive decision maker, related at strength 4 by the owner:
    High 1, Wide 1 (no units, best ≥ 2), Deep 1 → RPI 100.
    Scorecard of this period: revenue 900 of 1,000 → score 90.0.
    Survey: the customer answers 4 everywhere → mean 4 → (4 − 1)·25 = 75.
    Tactics due (dropped ones aside): 4, of which 3 done by their date → plan execution
    75.0; one open and overdue. A tactic done after its due date is not on time.
    The decision maker was met 75 days ago → engagement 100·(120 − 75)/90 = 50.0.
    Health = (100·0.25 + 90·0.25 + 75·0.20 + 75·0.15 + 50·0.15)/1 = 25 + 22.5 + 15 +
    11.25 + 7.5 = 81.25 → 81.3, green."""
    boss = ContactFactory(
        account=account, level="executive", buying_role="decision_maker", email="b@x.example"
    )
    RelationshipFactory(contact=boss, user=owner, strength=4)
    InteractionFactory(account=account, date=today - timedelta(days=75)).contacts.add(boss)

    card = services.scorecard_create(
        account=account,
        by=owner,
        period_start=periods.period_start(today, "quarterly"),
        metrics=[Metric.objects.get(name="Revenue")],
    )
    services.line_update(line=card.lines.get(), by=owner, target="1000", actual="900")

    with django_capture_on_commit_callbacks(execute=True):
        survey = surveys.round_create(
            account=account,
            by=owner,
            template=SurveyTemplate.objects.get(),
            title="T",
            contacts=[boss],
            link_base="https://x/s/",
        )
    invitation = survey.invitations.get()
    token = "known-token"
    invitation.token_hash = surveys.token_hash(token)
    invitation.save()
    surveys.customer_answer(
        token=token, answers={d.pk: 4 for d in survey.template.dimensions.all()}
    )

    plan = plans.plan_create(account=account, by=owner)
    strategy = plans.item_create(
        model=Strategy,
        by=owner,
        text="S",
        parent=plans.item_create(model=Goal, by=owner, parent=plan, text="G"),
    )
    for n, (due_in, status) in enumerate(
        [(-10, "done"), (-5, "done"), (0, "done"), (-3, "open"), (30, "open"), (-1, "dropped")]
    ):
        plans.item_create(
            model=Tactic,
            by=owner,
            parent=strategy,
            text=f"T{n}",
            due_date=today + timedelta(days=due_in),
            status=status,
        )
    # T0 and T1 were done on their due date (marked today they would be late); T2 is
    # due and done today.
    Tactic.objects.filter(text__in=["T0", "T1"]).update(done_on=F("due_date"))
    opportunities.ensure_defaults()
    opportunities.opportunity_create(
        account=account,
        by=owner,
        name="Deal",
        value=D(100000),
        stage=Stage.objects.get(name="Propose"),
    )
    opportunities.opportunity_create(
        account=account, by=owner, name="Won", value=D(5), stage=Stage.objects.get(name="Won")
    )

    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert snapshot.rpi == D("100.0")
    assert snapshot.scorecard_score == D("90.0")
    assert snapshot.survey_mean == D("4.00")
    assert snapshot.plan_execution == D("75.0") and snapshot.tactics_overdue == 1
    assert snapshot.engagement == D("50.0")
    assert (snapshot.health, snapshot.health_band) == (D("81.3"), "green")
    assert snapshot.health_components["survey"] == {
        "value": 75.0,
        "weight": 0.2,
        "contribution": 15.0,
    }
    assert snapshot.health_components["plan_execution"]["contribution"] == 11.3  # 11.25
    assert (snapshot.pipeline_open_value, snapshot.pipeline_weighted) == (D(100000), D(60000))
    assert (snapshot.opportunities_open, snapshot.opportunities_unqualified) == (1, 1)
    assert (snapshot.plan_status, snapshot.plan_quality) == ("draft", plan.quality)
    account.refresh_from_db()
    assert account.latest_snapshot_id == snapshot.pk


def test_a_decision_maker_never_met_counts_as_no_engagement(account, owner):
    ContactFactory(account=account, buying_role="decision_maker")
    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert snapshot.engagement == D("0.0")
    assert snapshot.health_components["engagement"]["value"] == 0.0


def test_the_latest_scored_period_that_has_begun_counts(account, owner, today):
    start = periods.period_start(today, "quarterly")
    metric = Metric.objects.get(name="Revenue")
    earlier = services.scorecard_create(
        account=account,
        by=owner,
        period_start=periods.shift(start, "quarterly", -1),
        metrics=[metric],
    )
    services.line_update(line=earlier.lines.get(), by=owner, target="100", actual="50")
    current = services.scorecard_next(scorecard=earlier, by=owner)  # not measured yet
    ahead = services.scorecard_next(scorecard=current, by=owner)
    services.line_update(line=ahead.lines.get(), by=owner, actual="100")
    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert snapshot.scorecard_score == D("50.0")


def test_recomputing_twice_keeps_one_row_a_day_and_the_pointer(account):
    first = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    second = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert first.pk == second.pk
    assert AccountSnapshot.objects.filter(account=account).count() == 1
    older = account_snapshots_refresh(account_ids=[account.pk], on=date(2020, 1, 1))
    assert older[account.pk].pk != first.pk
    assert Account.objects.get(pk=account.pk).latest_snapshot_id == first.pk  # the newest


def test_a_tactic_done_after_its_due_date_is_late(account, owner, today):
    plan = plans.plan_create(account=account, by=owner)
    goal = plans.item_create(model=Goal, by=owner, parent=plan, text="G")
    strategy = plans.item_create(model=Strategy, by=owner, parent=goal, text="S")
    plans.item_create(
        model=Tactic,
        by=owner,
        parent=strategy,
        text="late",
        due_date=today - timedelta(days=1),
        status="done",
    )  # done today
    plans.item_create(
        model=Tactic, by=owner, parent=strategy, text="on time", due_date=today, status="done"
    )
    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert snapshot.plan_execution == D("50.0")
