"""The one servicing verdict (insights.servicing): each unmet requirement with the URL of
the page that fixes it; the plan and review alerts read the same verdict, so an alert
never calls unmet what the Tier tab calls met; a change that meets a requirement
re-evaluates the alerts at once; an alert's page shows its requirement as it is now."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.periods import fiscal_year
from insights.alerts.evaluate import rule_evaluate, rules_evaluate
from insights.servicing import account_servicing, servicing_verdicts
from plans import reviews
from plans import services as plans
from scorecards.models import Alert, AlertRule
from segmentation.models import TierChange
from segmentation.services import tier_pin, tier_unpin

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def rule(kind, **parameters):
    found = AlertRule.objects.get(kind=kind)
    found.parameters = {**found.parameters, **parameters}
    found.save()
    return found


def live(kind, account):
    return Alert.objects.filter(rule__kind=kind, account=account, status__in=Alert.LIVE)


def entered_tier(days_ago: int) -> None:
    TierChange.objects.update(at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def tier_one(account, manager, seeded_tiers):
    """`account` pinned to Tier I: an executive sponsor, an approved plan, an external
    review every 90 days and an internal one every 30."""
    tier_pin(account=account, tier=seeded_tiers[0], reason="Key account", by=manager)
    return seeded_tiers[0]


def test_each_unmet_requirement_links_to_the_page_that_fixes_it(account, owner, tier_one):
    entered_tier(31)  # the internal review fell due yesterday; the external one in 59 days
    verdict = account_servicing(account=account)
    assert verdict.meets is False
    assert [r.key for r in verdict.unmet] == ["role:executive_sponsor", "plan", "review:internal"]
    found = {r.key: r for r in verdict.requirements}
    assert found["role:executive_sponsor"].fix_url == (
        reverse("accounts:team", args=[account.pk]) + "#team-add"
    )
    assert found["plan"].fix_url == reverse("plans:start", args=[account.pk])
    assert found["review:internal"].fix_url == (
        reverse("reviews:account", args=[account.pk]) + "?kind=internal#reviews-due-heading"
    )
    assert found["review:external"].met and found["review:external"].fix_url == ""

    plan = plans.plan_create(account=account, by=owner)
    found = account_servicing(account=account).requirement("plan")
    assert found.fix_url == reverse("plans:detail", args=[plan.pk])
    assert found.fix_label == f"Finish and submit the FY{fiscal_year()} plan"


def test_an_account_without_a_tier_has_no_verdict_yet(account, outsider):
    verdicts = servicing_verdicts(account_ids=[account.pk])
    assert verdicts[account.pk].meets is None and verdicts[account.pk].requirements == []


def test_a_pin_or_unpin_in_the_same_tier_leaves_the_reviews_clock_running(
    account, manager, tier_one
):
    """The internal review fell due 10 days ago; removing the pin, or pinning the tier
    the account is in, is no new start in the tier (the review stayed overdue)."""
    entered_tier(40)
    due = timezone.localdate() - timedelta(days=10)
    tier_unpin(account=account, by=manager)
    tier_pin(account=account, tier=tier_one, reason="Still key", by=manager)
    requirement = account_servicing(account=account).requirement("review:internal")
    assert not requirement.met and requirement.facts["due"] == due
    account.refresh_from_db()
    assert {d.kind: d.due for d in reviews.reviews_due(account=account)}["internal"] == due


def test_the_review_alert_never_fires_where_the_verdict_calls_the_review_met(account, tier_one):
    """With "0 days past the due date", the alert used to fire on the due day, while the
    Tier tab called the review met until the day after."""
    review_rule = rule("review_overdue", days=0)
    entered_tier(30)  # the internal review is due today
    rule_evaluate(rule=review_rule)
    assert account_servicing(account=account).requirement("review:internal").met
    assert not live("review_overdue", account).exists()
    entered_tier(31)  # due yesterday
    rule_evaluate(rule=review_rule)
    assert not account_servicing(account=account).requirement("review:internal").met
    alert = live("review_overdue", account).get()
    assert alert.subject_key == "review:internal"
    assert "Tier I calls for an internal business review every 30 days; none has been held" in (
        alert.description
    )
    assert alert.numbers["days_overdue"] == 1


def test_recording_the_review_held_resolves_its_alert_at_once(
    account, owner, tier_one, django_capture_on_commit_callbacks
):
    entered_tier(40)
    rules_evaluate(account_ids=[account.pk])
    assert live("review_overdue", account).filter(subject_key="review:internal").exists()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        reviews.review_save(
            account=account, by=owner, kind="internal", scheduled_for=today, held_on=today
        )
    assert account_servicing(account=account).requirement("review:internal").met
    assert not live("review_overdue", account).exists()


def test_starting_the_plan_updates_the_plan_alert_at_once(
    account, owner, tier_one, django_capture_on_commit_callbacks
):
    rule("plan_missing", grace_days=0)
    rules_evaluate(account_ids=[account.pk])
    assert "there is none for FY" in live("plan_missing", account).get().description
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_create(account=account, by=owner)
    assert f"the FY{fiscal_year()} plan is draft" in live("plan_missing", account).get().description


def test_a_new_tier_re_evaluates_the_alerts_at_once(
    account, manager, tier_one, seeded_tiers, django_capture_on_commit_callbacks
):
    rules_evaluate(account_ids=[account.pk])
    assert live("plan_missing", account).exists()  # Tier I requires a plan; there is none
    with django_capture_on_commit_callbacks(execute=True):
        tier_pin(account=account, tier=seeded_tiers[2], reason="Winding down", by=manager)
    assert "plan" not in {r.key for r in account_servicing(account=account).requirements}
    assert not live("plan_missing", account).exists()


def test_the_alert_page_shows_its_requirement_now_and_where_it_is_fixed(
    client_for, account, owner, manager, tier_one
):
    rules_evaluate(account_ids=[account.pk])
    alert = live("plan_missing", account).get()
    url = reverse("scorecards:alert", args=[alert.pk])
    response = client_for(owner).get(url)
    year = fiscal_year()
    assert (
        f"The tier's requirement now ✗ An approved account plan for FY{year} : "
        f"No account plan for FY{year} → Start the FY{year} plan"
    ) in text(response)
    assert f'href="{reverse("plans:start", args=[account.pk])}"' in response.content.decode()

    # Met since it was raised (no evaluation yet): the page says so, not the opposite.
    plan = plans.plan_create(account=account, by=owner)
    plans.plan_submit(plan=plan, by=owner)
    plans.plan_approve(plan=plan, by=manager)
    page = text(client_for(owner).get(url))
    assert f"✓ An approved account plan for FY{year} : met · approved" in page
    assert "Met since this alert was raised: it resolves itself at the next check." in page


def test_a_review_alert_opens_the_reviews_tab(client_for, account, owner, tier_one):
    entered_tier(40)
    rules_evaluate(account_ids=[account.pk])
    alert = live("review_overdue", account).get(subject_key="review:internal")
    body = client_for(owner).get(reverse("scorecards:alert", args=[alert.pk])).content.decode()
    assert f'href="{reverse("reviews:account", args=[account.pk])}?kind=internal"' in body
