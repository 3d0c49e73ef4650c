"""The account page's Plan tab and its header strip (DESIGN §12): this year's plan at a
glance with the way to it, or the way to start it; tier, health, RPI, plan status and
the next review on every tab, each a link."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demo.factories import (
    BusinessReviewFactory,
    PlanFactory,
    StrategyFactory,
    TacticFactory,
    TierAssignmentFactory,
)
from insights.recompute import account_recompute
from segmentation.models import Tier
from tests.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_tiers")]


def tab(account):
    return f"/accounts/{account.pk}/plan/"


def test_the_plan_tab_shows_this_years_plan_and_its_tactics(client_for, owner, account):
    plan = PlanFactory(account=account)
    strategy = StrategyFactory(goal__plan=plan)
    today = timezone.localdate()
    late = TacticFactory(
        strategy=strategy, owner=owner, text="Send the audit", due_date=today - timedelta(days=4)
    )
    TacticFactory(strategy=strategy, text="Plan the visit", due_date=today + timedelta(days=9))
    page = client_for(owner).get(tab(account))
    shown, html = text(page), page.content.decode()
    assert page.status_code == 200
    assert f"{plan.label} account plan Draft" in shown
    assert "2 open tactics 1 overdue 0 done" in shown
    assert shown.index("Send the audit") < shown.index("Plan the visit")
    assert "Overdue since" in shown and "What the plan still lacks" in shown
    assert f'href="/plans/{plan.pk}/"' in html
    assert f'href="/plans/{plan.pk}/#tactic-{late.pk}"' in html
    assert 'aria-selected="true"' in html and 'id="tab-plan"' in html


def test_without_a_plan_the_team_may_start_one(client_for, owner, manager, account):
    shown = text(client_for(owner).get(tab(account)))
    assert "No plan for FY" in shown and "Start the FY" in shown
    # The owner's manager sees the account but does not write its plan.
    assert "Start the FY" not in text(client_for(manager).get(tab(account)))


def test_an_outsider_gets_404(client_for, outsider, account):
    assert client_for(outsider).get(tab(account)).status_code == 404


def test_the_header_strip_says_tier_health_plan_and_next_review(client_for, owner, account):
    tier = Tier.objects.get(name="Tier I")
    TierAssignmentFactory(account=account, tier=tier)
    PlanFactory(account=account)
    held = timezone.localdate() - timedelta(days=20)
    BusinessReviewFactory(account=account, scheduled_for=held, held_on=held)
    account_recompute(account_id=account.pk)
    account.refresh_from_db()
    snapshot = account.latest_snapshot
    assert snapshot.plan_status == "draft"
    # The review due first by the tier's cadences: the external one from the one held,
    # the internal one (none held) from the day the account entered the tier, today.
    today = timezone.localdate()
    due = {
        "external": held + timedelta(days=tier.external_review_days),
        "internal": today + timedelta(days=tier.internal_review_days),
    }
    kind = min(due, key=due.get)
    assert (snapshot.next_review_due, snapshot.next_review_kind) == (due[kind], kind)
    page = client_for(owner).get(f"/accounts/{account.pk}/contacts/")
    shown, html = text(page), page.content.decode()
    assert "Tier Tier I" in shown and "Plan Draft" in shown and "Next review" in shown
    assert f'href="/accounts/{account.pk}/plan/"' in html
    assert f'href="/accounts/{account.pk}/reviews/"' in html
    assert f'href="/accounts/{account.pk}/tier/"' in html
