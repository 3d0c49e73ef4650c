"""The plan page in a real browser.

- No lost update: alice (the account owner) and her teammate Tom both open the same
  tactic's form; alice saves first; Tom's save shows the conflict with both versions and
  his text still in the form; he saves again on purpose and his text is kept; the history
  has both.
- Editing in place from the keyboard: add a tactic, move it, delete it and undo.

Each test also leaves a full-page screenshot in var/plan-shots/ to look at.
"""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts_app.models import Contact, Relationship
from demo.factories import PASSWORD, BusinessUnitFactory, ContactFactory
from plans import services
from plans.models import Goal, KnowledgePoint, Strategy, SwotItem, Tactic

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(settings.BASE_DIR) / "var" / "plan-shots"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True, animations="disabled")


def sign_in_in(page: Page, base_url: str, user) -> Page:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the home page: today's work
    return page


def realistic_plan(account, alice, tom):
    """A plan as a team would write it, with a little of everything."""
    plan = services.plan_create(account=account, by=alice, period=2027)
    services.plan_update(
        plan=plan,
        by=alice,
        version=plan.version,
        overview=(
            "Acme is our largest manufacturing customer in Western Europe. We supply drives "
            "and service to three of its five divisions.\n\nThis year we aim to become the "
            "preferred automation partner for the new Lyon plant."
        ),
        revenue_q1=Decimal("410000"),
        revenue_q2=Decimal("385000"),
        revenue_q3=Decimal("452000"),
        revenue_target=Decimal("1800000"),
        wallet_estimate=Decimal("6200000"),
        margin_target_pct=Decimal("33"),
    )
    points = {}
    for kind, text in (
        ("goal", "Cut energy use per unit by 20 % by 2028"),
        ("goal", "Open the Lyon plant on time in Q3"),
        ("initiative", "Plant-wide automation programme (CAPEX approved)"),
        ("initiative", "Supplier consolidation: from 40 to 12 suppliers"),
        ("challenge", "Shortage of skilled maintenance staff"),
    ):
        points.setdefault(kind, []).append(
            services.item_create(model=KnowledgePoint, by=alice, parent=plan, kind=kind, text=text)
        )
    for kind, text in (
        ("strength", "Installed base in the Rail division, trusted service team"),
        ("strength", "Energy-efficiency references in the sector"),
        ("weakness", "No relationship with the new Lyon plant management"),
        ("opportunity", "Supplier consolidation could make us one of the 12"),
        ("threat", "Competitor offering a bundled automation and financing deal"),
    ):
        services.item_create(model=SwotItem, by=alice, parent=plan, kind=kind, text=text)
    goal = services.item_create(
        model=Goal,
        by=alice,
        parent=plan,
        text="Become the automation partner for the Lyon plant",
        customer_goal=points["goal"][1],
    )
    strategy = services.item_create(
        model=Strategy, by=alice, parent=goal, text="Win the plant manager's sponsorship"
    )
    today = timezone.localdate()
    for text, owner, due, status in (
        ("Site visit with the plant manager", alice, today - timedelta(days=5), "open"),
        ("Energy audit proposal", tom, today + timedelta(days=21), "in_progress"),
        ("Reference visit at Northwind Rail", tom, today - timedelta(days=30), "done"),
    ):
        services.item_create(
            model=Tactic,
            by=alice,
            parent=strategy,
            text=text,
            owner=owner,
            due_date=due,
            status=status,
        )
    services.item_create(
        model=Strategy, by=alice, parent=goal, text="Qualify for the supplier shortlist"
    )
    services.item_create(
        model=Goal,
        by=alice,
        parent=plan,
        text="Grow service revenue by 15 %",
        customer_goal=points["goal"][0],
    )
    rail = BusinessUnitFactory(account=account, name="Rail Systems")
    energy = BusinessUnitFactory(account=account, name="Energy")
    dana = ContactFactory(
        account=account,
        name="Dana Decider",
        business_unit=rail,
        buying_role=Contact.BuyingRole.DECISION_MAKER,
    )
    eric = ContactFactory(account=account, name="Eric Engineer", business_unit=energy)
    Relationship.objects.create(contact=dana, user=alice, strength=3)
    Relationship.objects.create(contact=eric, user=tom, strength=2)
    return plan


def test_two_people_editing_one_tactic_lose_nothing(
    page: Page, browser: Browser, browser_context_args, live_server, sign_in, alice, alice_teammate
):
    tom = alice_teammate
    account = alice.owned_accounts.get()
    plan = realistic_plan(account, alice, tom)
    tactic = Tactic.objects.get(text="Energy audit proposal")
    url = f"{live_server.url}/plans/{plan.pk}/"

    alice_page = sign_in(alice)
    alice_page.goto(url)
    tom_context = browser.new_context(**browser_context_args)
    try:
        tom_page = sign_in_in(tom_context.new_page(), live_server.url, tom)
        tom_page.goto(url)

        # Both open the tactic's form: alice by a click, Tom from the keyboard.
        row = f"#tactic-{tactic.pk}-row"
        alice_page.locator(f"{row} .item-main").click()
        alice_text = alice_page.locator(f"{row} textarea[name=text]")
        expect(alice_text).to_be_focused()
        tom_page.locator(f"{row} .item-main").focus()
        tom_page.keyboard.press("Enter")
        tom_text = tom_page.locator(f"{row} textarea[name=text]")
        expect(tom_text).to_be_focused()

        alice_text.fill("Energy audit proposal, with the Lyon numbers")
        tom_text.fill("Energy audit proposal for all three plants")

        alice_page.locator(row).get_by_role("button", name="Save").click()
        expect(alice_page.locator(f"{row} .item-text")).to_have_text(
            "Energy audit proposal, with the Lyon numbers"
        )

        tom_page.locator(row).get_by_role("button", name="Save").click()
        conflict = tom_page.locator(f"{row} .conflict")
        expect(conflict).to_contain_text("Someone else changed this while you were editing")
        expect(conflict).to_contain_text("Alice Archer")
        expect(conflict.locator("td.theirs").first).to_have_text(
            "Energy audit proposal, with the Lyon numbers"
        )
        expect(conflict.locator("td.yours").first).to_have_text(
            "Energy audit proposal for all three plants"
        )
        expect(tom_text).to_have_value("Energy audit proposal for all three plants")
        shoot(tom_page, "plan-conflict")

        tom_page.locator(row).get_by_role("button", name="Save mine, replacing theirs").click()
        expect(tom_page.locator(f"{row} .item-text")).to_have_text(
            "Energy audit proposal for all three plants"
        )
    finally:
        tom_context.close()

    tactic.refresh_from_db()
    assert tactic.text == "Energy audit proposal for all three plants"
    history = list(
        Tactic.history.filter(id=tactic.pk)
        .order_by("history_date", "history_id")
        .values_list("text", "history_user__username")
    )
    assert ("Energy audit proposal, with the Lyon numbers", "alice") in history
    assert history[-1] == ("Energy audit proposal for all three plants", "tom")


def test_a_tactic_added_moved_deleted_and_restored_from_the_keyboard(
    page: Page, live_server, sign_in, alice, alice_teammate
):
    plan = realistic_plan(alice.owned_accounts.get(), alice, alice_teammate)
    strategy = Strategy.objects.get(text="Win the plant manager's sponsorship")
    sign_in(alice)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    shoot(page, "plan-realistic")

    tactics = page.locator(f"#strategy-{strategy.pk}-tactics")
    tactics.get_by_role("link", name="+ Add tactic").click()
    text = tactics.locator(".item-add textarea[name=text]")
    expect(text).to_be_focused()
    text.fill("Invite the plant manager to our innovation day")
    tactics.locator("select[name=owner]").select_option(label="Tom Mate")
    tactics.get_by_role("button", name="Add tactic").click()
    new = tactics.locator("li.node", has_text="Invite the plant manager")
    expect(new).to_be_visible()
    # The add form opens again, empty, for the next one; Escape closes it.
    expect(tactics.locator(".item-add textarea[name=text]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(tactics.locator(".item-add form")).to_have_count(0)
    # The focus goes back to "Add tactic" once the swap settles (wait for it, or it would
    # land there after we move it on).
    expect(tactics.locator(".add-button")).to_be_focused()

    # Move it up, from the keyboard: the focus stays on its button.
    new.get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(tactics.locator("li.node").nth(2)).to_contain_text("Invite the plant manager")
    expect(page.locator(":focus")).to_have_attribute("data-move", "up")
    page.keyboard.press("Enter")
    expect(tactics.locator("li.node").nth(1)).to_contain_text("Invite the plant manager")
    expect(page.locator(":focus")).to_have_attribute("data-move", "up")
    order = list(
        Tactic.objects.filter(strategy=strategy).order_by("position").values_list("text", flat=True)
    )
    assert order[1] == "Invite the plant manager to our innovation day"

    # Edit with Enter, cancel with Escape: the focus comes back to the item.
    item = tactics.locator("li.node").nth(1).locator(".item-main")
    item.focus()
    page.keyboard.press("Enter")
    expect(tactics.locator("li.node").nth(1).locator("textarea")).to_be_focused()
    page.keyboard.press("Escape")
    expect(tactics.locator("li.node").nth(1).locator(".item-main")).to_be_focused()

    # Delete, then Undo.
    tactics.locator("li.node").nth(1).get_by_role("button", name="Delete").click()
    deleted = tactics.locator("li.node.deleted")
    expect(deleted).to_contain_text("Deleted")
    expect(deleted.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(tactics.locator("li.node.deleted")).to_have_count(0)
    expect(tactics.locator("li.node").nth(1)).to_contain_text("Invite the plant manager")
    assert Tactic.objects.get(text__startswith="Invite").deleted_at is None


def test_an_empty_plan_invites_to_fill_it(page: Page, live_server, sign_in, alice, alice_account):
    plan = services.plan_create(account=alice_account, by=alice, period=2027)
    sign_in(alice)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(
        page.get_by_role("heading", name="Acme Industrial — FY2027 account plan")
    ).to_be_visible()
    shoot(page, "plan-empty")
    page.get_by_role("link", name="Add an overview").click()
    field = page.locator("#overview textarea[name=overview]")
    expect(field).to_be_focused()
    field.fill("Our largest manufacturing customer.")
    page.locator("#overview").get_by_role("button", name="Save").click()
    expect(page.locator("#overview .prose")).to_have_text("Our largest manufacturing customer.")
