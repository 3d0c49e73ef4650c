"""A refused inline save keeps the page and what was typed, with debug on and off.

Refused saves answer 422 with the form again (core.http.REFUSED); base.html's htmx-config
swaps them into the form's place. With DEBUG on, django-htmx's debug handler replaces the
whole document for a 400 — the measured bug — but leaves 422 alone.
"""

import pytest
from playwright.sync_api import Page, expect

from demo.factories import AccountFactory
from plans import services
from plans.models import Goal, KnowledgePoint, Strategy, Tactic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan_with_a_tactic(alice, alice_account, alice_teammate):
    plan = services.plan_create(account=alice_account, by=alice, period=2027)
    goal = services.item_create(
        model=KnowledgePoint, by=alice, parent=plan, kind="goal", text="Open the Lyon plant"
    )
    ours = services.item_create(
        model=Goal,
        by=alice,
        parent=plan,
        text="Become the plant's automation partner",
        customer_goal=goal,
    )
    strategy = services.item_create(
        model=Strategy, by=alice, parent=ours, text="Win the plant manager's sponsorship"
    )
    services.item_create(model=Tactic, by=alice, parent=strategy, text="Energy audit proposal")
    return plan


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_refused_tactic_save_keeps_the_page_and_the_typed_values(
    page: Page, live_server, sign_in, settings, alice, plan_with_a_tactic, debug
):
    settings.DEBUG = debug
    plan = plan_with_a_tactic
    tactic = Tactic.objects.get(text="Energy audit proposal")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(alice)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    heading = page.get_by_role("heading", name="Acme Industrial — FY2027 account plan")
    expect(heading).to_be_visible()

    row = page.locator(f"#tactic-{tactic.pk}-row")
    row.locator(".item-main").click()
    row.locator("textarea[name=text]").fill("   ")
    row.locator("select[name=owner]").select_option(label="Tom Mate")
    row.locator("input[name=due_date]").fill("2027-03-31")
    row.get_by_role("button", name="Save").click()

    # The page is still the plan; the error is in the form, with what was typed.
    expect(row.get_by_text("This field is required.")).to_be_visible()
    expect(heading).to_be_visible()
    expect(row.locator("input[name=due_date]")).to_have_value("2027-03-31")
    expect(row.locator("select[name=owner] option:checked")).to_have_text("Tom Mate")
    assert Tactic.objects.get(pk=tactic.pk).text == "Energy audit proposal"

    # Put the text right and save: the row shows it.
    row.locator("textarea[name=text]").fill("Energy audit proposal for the Lyon plant")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".item-text")).to_have_text("Energy audit proposal for the Lyon plant")
    saved = Tactic.objects.get(pk=tactic.pk)
    assert saved.owner.username == "tom" and str(saved.due_date) == "2027-03-31"
    assert not errors, errors


def test_a_failed_request_is_said_not_swallowed(page: Page, live_server, sign_in, alice):
    """A 404 (the thing is gone) or any other failure is said at the foot of the screen."""
    account = AccountFactory(name="Gone Soon", owner=alice)
    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: 'main', swap: 'innerHTML'})",
        f"/accounts/{account.pk + 1000}/contacts/",
    )
    expect(page.locator("#request-status")).to_contain_text("no longer exists")
    expect(page.get_by_role("heading", name="Gone Soon")).to_be_visible()
