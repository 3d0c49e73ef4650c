"""Each role's home page in a real browser (DESIGN §12): signing in lands there, each
item is a link to where it is dealt with."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts_app.models import AccountSnapshot, User
from demo.factories import (
    PASSWORD,
    PlanFactory,
    StrategyFactory,
    TacticFactory,
    TierAssignmentFactory,
    UserFactory,
)
from insights.dashboards import portfolio_snapshot_refresh
from insights.recompute import account_recompute
from plans import services as plans
from segmentation.models import Tier

pytestmark = pytest.mark.django_db(transaction=True)


def home_of(page: Page, base_url: str, user: User) -> Page:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    return page


@pytest.fixture
def program(alice, alice_account, seeded_tiers):
    manager = UserFactory(username="maya", first_name="Maya", role=User.Role.MANAGER)
    alice.manager = manager
    alice.save(update_fields=["manager"])
    tier = Tier.objects.order_by("rank").first()
    TierAssignmentFactory(account=alice_account, tier=tier)
    plan = PlanFactory(account=alice_account)
    strategy = StrategyFactory(goal__plan=plan)
    TacticFactory(
        strategy=strategy,
        owner=alice,
        text="Send the energy audit",
        due_date=timezone.localdate() - timedelta(days=3),
    )
    plans.plan_submit(plan=plan, by=alice)
    account_recompute(account_id=alice_account.pk)
    # untracked: the test sets the account's health in its snapshot
    AccountSnapshot.objects.filter(account=alice_account).update(health=30, health_band="red")
    portfolio_snapshot_refresh()
    return {"manager": manager, "plan": plan}


def test_each_role_lands_on_its_own_items(page: Page, live_server, alice, program):
    home_of(page, live_server.url, alice)
    work = page.get_by_role("region", name=re.compile("Your tactics and actions"))
    work.get_by_role("link", name="Send the energy audit").click()
    expect(page).to_have_url(re.compile(rf"/plans/{program['plan'].pk}/#tactic-\d+$"))

    page.context.clear_cookies()
    home_of(page, live_server.url, program["manager"])
    waiting = page.get_by_role("region", name=re.compile("Plans waiting for you"))
    expect(waiting).to_contain_text("Acme Industrial")
    off = page.get_by_role("region", name=re.compile("Off their servicing model"))
    expect(off.get_by_role("link", name="Acme Industrial")).to_be_visible()

    page.context.clear_cookies()
    executive = UserFactory(username="eve", role=User.Role.EXECUTIVE)
    home_of(page, live_server.url, executive)
    expect(page.get_by_role("region", name=re.compile("The portfolio"))).to_contain_text("accounts")
    at_risk = page.get_by_role("region", name=re.compile("accounts at risk"))
    at_risk.get_by_role("link", name="Acme Industrial").click()
    expect(page).to_have_url(re.compile(r"/accounts/\d+/health/$"))
