"""Evaluating the alert rules: each kind raises at its boundary (exactly N days) and not
just below; one live alert per (rule, account, subject), updated not duplicated,
resolved by itself when the condition clears; tiers limit a rule; a switched-off rule
resolves what it raised; the partial unique index refuses a duplicate."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts_app.models import AccountSnapshot, Contact
from core import periods
from demo.factories import (
    AccountFactory,
    ContactFactory,
    InteractionFactory,
    TierAssignmentFactory,
    TierChangeFactory,
)
from insights.alerts.evaluate import rule_evaluate, rules_evaluate
from insights.snapshots import account_snapshots_refresh
from opportunities import services as opportunities
from opportunities.models import Opportunity
from plans import reviews
from plans import services as plans
from plans.models import Goal, Strategy, Tactic
from scorecards import services, surveys
from scorecards.models import Alert, AlertEvent, AlertRule, Metric, SurveyTemplate
from segmentation.models import TierChange

pytestmark = pytest.mark.django_db


def rule(kind, **parameters):
    r = AlertRule.objects.get(kind=kind)
    if parameters:
        r.parameters = {**r.parameters, **parameters}
        r.save()
    return r


def live(kind, account=None):
    alerts = Alert.objects.filter(rule__kind=kind, status__in=Alert.LIVE)
    return alerts.filter(account=account) if account else alerts


TODAY = timezone.localdate


def test_no_decision_maker_contact_fires_at_exactly_n_days(account, owner):
    met = ContactFactory(account=account, name="Met Boss", buying_role="decision_maker")
    InteractionFactory(account=account, date=TODAY() - timedelta(days=59)).contacts.add(met)
    r = rule("no_decision_maker_contact", days=60)
    rule_evaluate(rule=r)
    assert not live("no_decision_maker_contact").exists()  # 59 days: not yet
    InteractionFactory(account=account, date=TODAY() - timedelta(days=60)).contacts.add(
        ContactFactory(account=account, name="Old Friend", buying_role="decision_maker")
    )
    ContactFactory(account=account, name="Just A User", buying_role="user")
    rule_evaluate(rule=r)
    labels = sorted(live("no_decision_maker_contact").values_list("subject_label", flat=True))
    assert labels == ["Old Friend"]
    old = live("no_decision_maker_contact").get(subject_label="Old Friend")
    assert "last met 60 days ago" in old.description and old.assignee == owner
    assert old.numbers == {"days_since": 60, "days": 60, "never_met": False}


def test_a_decision_maker_never_met_gets_the_grace_from_when_they_were_added(account):
    """DESIGN §12: a contact added a minute ago raises nothing; one added 60 days ago and
    never met fires, and the text says so."""
    fresh = ContactFactory(account=account, name="Just Added", buying_role="decision_maker")
    added = ContactFactory(account=account, name="Long Ignored", buying_role="decision_maker")
    almost = ContactFactory(account=account, name="Nearly There", buying_role="decision_maker")
    for contact, days in ((added, 60), (almost, 59)):
        Contact.objects.filter(pk=contact.pk).update(  # untracked: a test's dating
            created_at=timezone.now() - timedelta(days=days)
        )
    rule_evaluate(rule=rule("no_decision_maker_contact", days=60))
    alert = live("no_decision_maker_contact").get()
    assert alert.subject_label == "Long Ignored" and fresh.pk != added.pk
    assert "nobody has met them in the 60 days since they were added" in alert.description
    assert "(the rule fires after 60 days)" in alert.description
    assert alert.numbers == {"days_since": 60, "days": 60, "never_met": True}


def test_tactic_overdue_fires_at_exactly_n_days(account, owner):
    plan = plans.plan_create(account=account, by=owner)
    goal = plans.item_create(model=Goal, by=owner, parent=plan, text="G")
    strategy = plans.item_create(model=Strategy, by=owner, parent=goal, text="S")
    for text, days in (("Seven late", 7), ("Six late", 6)):
        plans.item_create(
            model=Tactic,
            by=owner,
            parent=strategy,
            text=text,
            due_date=TODAY() - timedelta(days=days),
        )
    plans.item_create(
        model=Tactic,
        by=owner,
        parent=strategy,
        text="Done late",
        status="done",
        due_date=TODAY() - timedelta(days=30),
    )
    rule_evaluate(rule=rule("tactic_overdue", days=7))
    assert list(live("tactic_overdue").values_list("subject_label", flat=True)) == ["Seven late"]
    assert "7 days ago" in live("tactic_overdue").get().description


def test_opportunity_stalled_fires_at_exactly_n_days(account, owner):
    opportunities.ensure_defaults()
    now = timezone.now()
    stuck = opportunities.opportunity_create(account=account, by=owner, name="Stuck")
    fresh = opportunities.opportunity_create(account=account, by=owner, name="Fresh")
    Opportunity.objects.filter(pk=stuck.pk).update(stage_changed_at=now - timedelta(days=45))
    Opportunity.objects.filter(pk=fresh.pk).update(
        stage_changed_at=now - timedelta(days=44, hours=23)
    )
    rule_evaluate(rule=rule("opportunity_stalled", days=45), now=now)
    assert list(live("opportunity_stalled").values_list("subject_label", flat=True)) == ["Stuck"]


def test_metric_off_target_below_the_threshold(account, owner):
    card = services.scorecard_create(
        account=account,
        by=owner,
        period_start=periods.period_start(TODAY(), "quarterly"),
        metrics=[Metric.objects.get(name="Revenue"), Metric.objects.get(name="On-time delivery")],
    )
    revenue, delivery = card.lines.order_by("position")
    services.line_update(line=revenue, by=owner, target="100", actual="89.99")  # 0.8999
    services.line_update(line=delivery, by=owner, target="100", actual="90")  # 0.9: near
    rule_evaluate(rule=rule("metric_off_target"))
    alert = live("metric_off_target").get()
    assert alert.subject_label == "Revenue"
    assert "Revenue is at 90 % of its target" in alert.description  # 89.99 % rounds to 90
    assert ": €90 against €100 (higher is better" in alert.description  # a money metric
    assert alert.numbers["attainment_pct"] == 89.99


def test_rpi_below_target_and_dropped(account, owner, seeded_tiers):
    tier = seeded_tiers[0]
    tier.rpi_target = 50
    tier.save()
    TierAssignmentFactory(account=account, tier=tier)
    account_snapshots_refresh(account_ids=[account.pk], on=TODAY() - timedelta(days=30))
    AccountSnapshot.objects.filter(account=account).update(rpi=D("60.0"))
    account_snapshots_refresh(account_ids=[account.pk])  # today: no contacts, RPI 0
    rule_evaluate(rule=rule("rpi_below_target"))
    assert "RPI" in live("rpi_below_target").get().subject_label
    assert "under the" in live("rpi_below_target").get().description
    rule_evaluate(rule=rule("rpi_dropped", points=60, days=30))  # exactly 60 points
    assert "fell from 60.0 to 0.0" in live("rpi_dropped").get().description
    rule_evaluate(rule=rule("rpi_dropped", points=60.1, days=30))
    assert not live("rpi_dropped").exists()  # just below the threshold: resolved


def test_plan_missing_for_a_tier_that_requires_one(account, owner, seeded_tiers):
    tier = seeded_tiers[0]
    tier.plan_required = True
    tier.save()
    TierAssignmentFactory(account=account, tier=tier)
    r = rule("plan_missing", grace_days=0)
    rule_evaluate(rule=r)
    assert "there is none for FY" in live("plan_missing").get().description
    plans.plan_create(account=account, by=owner)
    rule_evaluate(rule=r)
    assert "the FY" in live("plan_missing").get().description  # still a draft
    rule_evaluate(rule=rule("plan_missing", grace_days=365))  # within the grace period
    assert not live("plan_missing").exists()


def test_survey_low_and_blind_spots(account, owner, django_capture_on_commit_callbacks):
    contact = ContactFactory(account=account, email="c@x.example")
    with django_capture_on_commit_callbacks(execute=True):
        survey = surveys.round_create(
            account=account,
            by=owner,
            template=SurveyTemplate.objects.get(),
            title="T",
            contacts=[contact],
            link_base="https://x/s/",
        )
    invitation = survey.invitations.get()
    invitation.token_hash = surveys.token_hash("k")
    invitation.save()
    dimensions = list(survey.template.dimensions.all())
    answers = {d.pk: 3 for d in dimensions} | {dimensions[0].pk: 2}  # mean 17/6 = 2.83
    surveys.customer_answer(token="k", answers=answers)
    surveys.prediction_set(survey=survey, by=owner, answers={d.pk: 3 for d in dimensions})
    rule_evaluate(rule=rule("survey_low"))
    found = sorted(live("survey_low").values_list("subject_label", flat=True))
    assert found == ["Customer survey", dimensions[0].name]  # mean under 3; gap 1.0: blind
    assert "2.83 of 5" in live("survey_low").get(subject_label="Customer survey").description


def test_detractor_decision_maker(account):
    ContactFactory(
        account=account, name="Grumpy", buying_role="decision_maker", attitude="detractor"
    )
    ContactFactory(account=account, name="Fan", buying_role="decision_maker", attitude="champion")
    rule_evaluate(rule=rule("detractor_decision_maker"))
    assert list(live("detractor_decision_maker").values_list("subject_label", flat=True)) == [
        "Grumpy"
    ]


def test_review_overdue_fires_at_exactly_n_days(account, owner, seeded_tiers):
    """Tier: an external review every 90 days, an internal one every 30; the rule fires
    7 days or more past the due date."""
    r = rule("review_overdue")
    assert r.active and r.inactive_because is None
    tier = seeded_tiers[0]
    tier.external_review_days, tier.internal_review_days = 90, 30
    tier.save()
    TierAssignmentFactory(account=account, tier=tier)
    TierChangeFactory(account=account, to_tier=tier)
    # Entered the tier 36 days ago, no internal review: due 6 days ago, not yet 7.
    TierChange.objects.update(at=timezone.now() - timedelta(days=36))

    def held(kind, days_ago):
        day = TODAY() - timedelta(days=days_ago)
        return reviews.review_save(
            account=account, by=owner, kind=kind, scheduled_for=day, held_on=day
        )

    last = held("external", 96)  # due 6 days ago: not yet
    assert rule_evaluate(rule=r)["raised"] == 0
    last.held_on = TODAY() - timedelta(days=97)  # due exactly 7 days ago
    last.save()
    TierChange.objects.update(at=timezone.now() - timedelta(days=37))
    assert rule_evaluate(rule=r)["raised"] == 2
    external = live("review_overdue", account).get(subject_key="review:external")
    assert "every 90 days; the last was held on" in external.description
    assert external.numbers["days_overdue"] == 7
    internal = live("review_overdue", account).get(subject_key="review:internal")
    assert "none has been held" in internal.description
    # Holding the reviews clears both: the alerts resolve themselves.
    held("external", 0)
    held("internal", 2)
    assert rule_evaluate(rule=r)["resolved"] == 2
    assert not live("review_overdue", account).exists()


def test_review_overdue_needs_a_cadence(account, owner, seeded_tiers):
    tier = seeded_tiers[0]
    tier.external_review_days = tier.internal_review_days = None
    tier.save()
    TierAssignmentFactory(account=account, tier=tier)
    assert rule_evaluate(rule=rule("review_overdue", days=0))["raised"] == 0


def test_re_evaluation_updates_and_a_cleared_condition_resolves_itself(account):
    grumpy = ContactFactory(
        account=account, name="Grumpy", buying_role="decision_maker", attitude="detractor"
    )
    r = rule("detractor_decision_maker")
    assert rule_evaluate(rule=r)["raised"] == 1
    assert rule_evaluate(rule=r) == {"raised": 0, "updated": 0, "resolved": 0}
    Contact.objects.filter(pk=grumpy.pk).update(title="CFO")
    assert rule_evaluate(rule=r)["updated"] == 1
    assert "Grumpy, CFO decides" in live("detractor_decision_maker").get().description
    Contact.objects.filter(pk=grumpy.pk).update(attitude="neutral")
    assert rule_evaluate(rule=r)["resolved"] == 1
    alert = Alert.objects.get()
    assert (alert.status, alert.close_note) == (
        "resolved",
        "Resolved by itself: the condition no longer holds.",
    )
    assert list(alert.events.values_list("kind", flat=True)) == ["raised", "auto_resolved"]


def test_running_everything_twice_raises_nothing_twice(account, outsider):
    boss = ContactFactory(account=account, buying_role="decision_maker", attitude="detractor")
    Contact.objects.filter(pk=boss.pk).update(  # untracked: a test's dating
        created_at=timezone.now() - timedelta(days=90)
    )  # a detractor, and never met in the 90 days since they were added
    first = rules_evaluate()
    second = rules_evaluate()
    assert first["raised"] >= 2 and second["raised"] == 0
    assert Alert.objects.count() == first["raised"]


def test_the_database_refuses_a_second_live_alert(account):
    ContactFactory(account=account, buying_role="decision_maker", attitude="detractor")
    rule_evaluate(rule=rule("detractor_decision_maker"))
    alert = Alert.objects.get()
    copy = Alert(
        rule=alert.rule,
        account=alert.account,
        subject_key=alert.subject_key,
        subject_label="x",
        description="x",
        severity="high",
        raised_at=alert.raised_at,
        evaluated_at=alert.raised_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    alert.status = "resolved"
    alert.save()
    copy.save()  # once the first is closed, a new one may be raised


def test_a_rule_limited_to_tiers_and_a_rule_switched_off(account, outsider, seeded_tiers):
    ContactFactory(account=account, buying_role="decision_maker", attitude="detractor")
    top = seeded_tiers[0]
    r = rule("detractor_decision_maker")
    r.tiers.set([top])
    rule_evaluate(rule=r)
    assert not live("detractor_decision_maker").exists()  # the account is not in that tier
    TierAssignmentFactory(account=account, tier=top)
    rule_evaluate(rule=r)
    assert live("detractor_decision_maker").count() == 1
    r.active = False
    r.save()
    rule_evaluate(rule=r)
    assert Alert.objects.get().close_note == "Resolved by itself: the rule was switched off."


def test_evaluating_one_account_leaves_the_others_alone(account, owner):
    other = AccountFactory(owner=owner)
    for a in (account, other):
        ContactFactory(account=a, buying_role="decision_maker", attitude="detractor")
    r = rule("detractor_decision_maker")
    rule_evaluate(rule=r)
    Contact.objects.filter(account=other).update(attitude="neutral")
    rule_evaluate(rule=r, account_ids=[account.pk])
    assert live("detractor_decision_maker").count() == 2  # other's waits for its own run
    assert AlertEvent.objects.filter(kind="auto_resolved").count() == 0
