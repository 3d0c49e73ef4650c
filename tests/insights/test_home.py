"""The home page at `/` (DESIGN §12): each role's items, each a link; nobody sees
another's; a fixed number of queries whatever the number of items."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_app.models import AccountSnapshot
from demo.factories import (
    AccountFactory,
    AlertFactory,
    BusinessReviewFactory,
    PlanFactory,
    ReviewActionItemFactory,
    StrategyFactory,
    TacticFactory,
    TierAssignmentFactory,
)
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import account_snapshots_refresh
from plans import services as plans
from scorecards.models import AlertRule
from segmentation.models import Tier
from tests.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_tiers")]

TODAY = timezone.localdate


def tactic(plan, owner, text, due_in):
    strategy = StrategyFactory(goal__plan=plan)
    return TacticFactory(
        strategy=strategy, owner=owner, text=text, due_date=TODAY() + timedelta(days=due_in)
    )


def set_health(account, health):
    from scorecards import formulas

    account_snapshots_refresh(account_ids=[account.pk], on=TODAY())
    AccountSnapshot.objects.filter(account=account, date=TODAY()).update(  # untracked: a test's
        health=D(health), health_band=formulas.band(D(health))
    )


def tier_one_accounts(owner, prefix: str, count: int) -> list:
    """`count` Tier I accounts of `owner`, their snapshots computed."""
    tier = Tier.objects.get(name="Tier I")
    accounts = [AccountFactory(name=f"{prefix} {n:02}", owner=owner) for n in range(count)]
    for account in accounts:
        TierAssignmentFactory(account=account, tier=tier)
    account_snapshots_refresh(account_ids=[a.pk for a in accounts])
    return accounts


def test_signing_in_lands_on_the_home_page(client, owner):
    assert client.get("/")["Location"].startswith("/login/")
    client.force_login(owner)
    assert client.get("/").status_code == 200
    assert client.get("/login/")["Location"] == "/"  # signed in already: home


def test_a_team_members_work_overdue_first_with_links(client_for, owner, account, teammate):
    plan = PlanFactory(account=account)
    late = tactic(plan, owner, "Send the energy audit", -3)
    soon = tactic(plan, owner, "Book the plant visit", 5)
    tactic(plan, owner, "Far away", 40)
    tactic(plan, teammate, "Tom's, not hers", -1)
    done = tactic(plan, owner, "Done already", -2)
    plans.item_update(item=done, by=owner, version=done.version, status="done")
    review = BusinessReviewFactory(account=account, title="Q3 review")
    ReviewActionItemFactory(
        review=review, owner=owner, text="Share the roadmap", due_date=TODAY() + timedelta(days=2)
    )
    page = client_for(owner).get("/")
    html, shown = page.content.decode(), text(page)
    assert shown.index("Send the energy audit") < shown.index("Book the plant visit")
    assert "Overdue since" in shown and "Share the roadmap" in shown
    for absent in ("Far away", "Tom's, not hers", "Done already"):
        assert absent not in shown
    assert f'href="/plans/{plan.pk}/#tactic-{late.pk}"' in html
    assert f'href="/plans/{plan.pk}/#tactic-{soon.pk}"' in html
    assert f'href="/reviews/{review.pk}/#review-actions"' in html
    # The draft plan is one to write and submit.
    assert "Plans to write or submit" in shown and f"{account.name} — {plan.label}" in shown


def test_alerts_on_my_accounts_grouped_by_account(client_for, owner, account, outsider):
    rule = AlertRule.objects.get(kind="detractor_decision_maker")
    AlertFactory(account=account, rule=rule, severity="high")
    AlertFactory(account=account, rule=rule, severity="medium")
    other = AccountFactory(name="Zenith Rail", owner=owner)
    AlertFactory(account=other, rule=rule, severity="low")
    AlertFactory(account=outsider.owned_accounts.get(), rule=rule, severity="high")
    shown = text(client_for(owner).get("/"))
    assert "Alerts on your accounts 2 accounts" in shown
    assert "Acme Industrial 1 high 1 medium 2 alerts in all" in shown
    assert "Zenith Rail 1 alert in all" in shown
    assert "Outsider" not in shown


def test_a_tier_that_needs_a_plan_with_none_is_on_the_owners_list(client_for, owner, account):
    TierAssignmentFactory(account=account, tier=Tier.objects.get(name="Tier I"))
    assert Tier.objects.get(name="Tier I").plan_required
    shown = text(client_for(owner).get("/"))
    assert "Its tier needs a plan for this year: none started" in shown


def test_a_manager_sees_plans_waiting_accounts_off_model_and_team_alerts(
    client_for, manager, owner, account
):
    TierAssignmentFactory(account=account, tier=Tier.objects.get(name="Tier I"))
    account_snapshots_refresh(account_ids=[account.pk])  # as a tier change recomputes it
    second = AccountFactory(name="Borealis Foods", owner=owner)
    plan = PlanFactory(account=second)
    plans.plan_submit(plan=plan, by=owner)
    AlertFactory(account=account, severity="high")
    page = client_for(manager).get("/")
    html, shown = page.content.decode(), text(page)
    assert "Plans waiting for you 1" in shown and f'href="/plans/{plan.pk}/"' in html
    assert "Off their servicing model 1" in shown and "Acme Industrial" in shown
    assert f'href="/accounts/{account.pk}/tier/"' in html
    assert "Your team's alerts" in shown
    # The owner sees none of that.
    owner_page = text(client_for(owner).get("/"))
    assert "Plans waiting for you" not in owner_page


def test_an_executive_sees_the_headline_and_the_top_tier_at_risk(
    client_for, executive, owner, account
):
    top = Tier.objects.order_by("rank").first()
    TierAssignmentFactory(account=account, tier=top)
    healthy = AccountFactory(name="Healthy Co", owner=owner)
    TierAssignmentFactory(account=healthy, tier=top)
    set_health(account, "35.0")
    set_health(healthy, "85.0")
    portfolio_snapshot_refresh()
    shown = text(client_for(executive).get("/"))
    assert "The portfolio" in shown and "2 accounts" in shown
    assert f"{top.name} accounts at risk 1" in shown
    assert "Acme Industrial Health 35" in shown and "Healthy Co" not in shown


def test_an_executive_without_figures_is_told_when_they_come(client_for, executive):
    assert "No portfolio figures yet" in text(client_for(executive).get("/"))


def test_empty_lists_say_so(client_for, owner, account):
    shown = text(client_for(owner).get("/"))
    assert "Nothing of yours is overdue or due in the next two weeks." in shown
    assert "No open alert on your accounts." in shown


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_queries_do_not_grow_with_the_items(client_for, owner, manager, account, role):
    user = {"owner": owner, "manager": manager}[role]
    plan = PlanFactory(account=account)
    tactic(plan, owner, "One", -1)
    AlertFactory(account=account)
    client = client_for(user)

    def more(count):
        for n in range(count):
            extra = AccountFactory(name=f"Extra {count}-{n}", owner=owner)
            tactic(PlanFactory(account=extra), owner, f"Tactic {n}", n % 10 - 3)
            AlertFactory(account=extra)

    more(11)  # past what a list shows: each is cut and counted
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    more(15)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_off_the_model_comes_from_the_snapshots_and_is_judged_again_when_shown(
    client_for, manager, owner
):
    """The manager's list of accounts off their servicing model is found from each
    account's snapshot (not every account judged on every visit); one fixed since its
    snapshot is judged again as the page loads and left out, and the count with it."""
    off = tier_one_accounts(owner, "Off", 3)  # Tier I needs a plan this year
    shown = text(client_for(manager).get("/"))
    assert "Off their servicing model 3" in shown
    # Fixed since (its tier asks for nothing now), not recomputed yet: left out at once.
    easy = Tier.objects.create(name="Tier X", rank=9)
    off[0].tier_assignment.tier = easy
    off[0].tier_assignment.save()
    shown = text(client_for(manager).get("/"))
    assert "Off their servicing model 2" in shown and "Off 00" not in shown


def test_reviews_due_come_from_the_snapshots_soonest_first(client_for, owner):
    """The reviews due are found from the next review each snapshot keeps; the accounts
    due first are worked out again, both kinds, and listed the most overdue first; the
    count is of accounts."""
    tier_one_accounts(owner, "Due", 12)
    page = client_for(owner).get("/")
    shown = text(page)
    assert "Reviews due 12 accounts" in shown
    section = page.content.decode().split('id="reviews-heading"')[1].split("</section>")[0]
    assert section.count("<li>") == 10
    assert "and 2 more accounts with a review due within a month." in shown
