"""The relationship matrix in a real browser: alice follows a coverage gap to its cell,
changes it from the keyboard, and watches the RPI and the gap list update in place.

Her account, worked by hand with DESIGN §3 (as in tests/accounts_app/test_matrix.py):

    business units: Aero, Rail
    Dana Decider     executive, decision maker, Rail   Alice 3
    Rob Recommender  senior,    recommender,    Aero   Tom 1, target 3
    Ivy Influencer   middle,    influencer,     Rail   nobody

    before: High 1/2, Wide 1/2, Deep 11/24 → RPI 100·35/72 = 48.6
            gaps: Dana single-threaded, Rob uncovered, Tom ↔ Rob below target
    Tom ↔ Rob raised to 3:
            High 3/4, Wide 1, Deep 15/24 → RPI 100·19/24 = 79.2
            Rob is covered and at target: only Dana's single thread is left.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import Contact, Relationship, TeamMember
from demo.factories import AccountFactory, BusinessUnitFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rail_account(alice):
    account = AccountFactory(name="Northwind Rail", owner=alice)
    tom = UserFactory(username="tom", first_name="Tom", last_name="Mate")
    TeamMember.objects.create(account=account, user=tom, role=TeamMember.Role.SALES)
    rail = BusinessUnitFactory(account=account, name="Rail")
    aero = BusinessUnitFactory(account=account, name="Aero")
    dana = ContactFactory(
        account=account,
        name="Dana Decider",
        business_unit=rail,
        level=Contact.Level.EXECUTIVE,
        buying_role=Contact.BuyingRole.DECISION_MAKER,
    )
    rob = ContactFactory(
        account=account,
        name="Rob Recommender",
        business_unit=aero,
        level=Contact.Level.SENIOR,
        buying_role=Contact.BuyingRole.RECOMMENDER,
    )
    ContactFactory(
        account=account,
        name="Ivy Influencer",
        business_unit=rail,
        level=Contact.Level.MIDDLE,
        buying_role=Contact.BuyingRole.INFLUENCER,
    )
    Relationship.objects.create(contact=dana, user=alice, strength=3)
    Relationship.objects.create(contact=rob, user=tom, strength=1, target_strength=3)
    return account, tom, dana, rob


def test_a_cell_changed_from_the_keyboard_updates_rpi_and_gaps_in_place(
    page: Page, live_server, sign_in, alice, rail_account
):
    account, tom, dana, rob = rail_account
    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.wait_for_load_state("load")  # htmx (deferred) has run
    page.evaluate("window.__marker = 1")  # gone after a full page load

    page.get_by_role("tab", name="Relationships").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/{account.pk}/relationships/")
    rpi = page.locator("#rpi-value")
    expect(rpi).to_have_text("48.6")
    gaps = page.locator("#gap-list")
    uncovered = gaps.locator(f'[data-gap="uncovered-{rob.pk}"]')
    below_target = gaps.locator(f'[data-gap="below_target-{rob.pk}-{tom.pk}"]')
    single_thread = gaps.locator(f'[data-gap="single_threaded-{dana.pk}-{alice.pk}"]')
    expect(uncovered).to_be_visible()
    expect(below_target).to_contain_text("strength 1 → target 3")
    cell = page.locator(f"#cell-{rob.pk}-{tom.pk}")
    expect(cell).to_contain_text("1→3")

    # The gap's link leads to the cell that would close it: Tom's, who knows Rob best.
    uncovered.get_by_role("link").click()
    expect(cell).to_be_focused()
    expect(cell).to_have_attribute("tabindex", "0")

    # The arrow keys move through the grid (one tab stop), Home to the row's start.
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#cell-{rob.pk}-{alice.pk}")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(cell).to_be_focused()
    page.keyboard.press("Home")
    expect(page.locator(f"#cell-{rob.pk}-{alice.pk}")).to_be_focused()
    page.keyboard.press("End")
    expect(cell).to_be_focused()
    assert page.locator('#relationship-matrix td.cell[tabindex="0"]').count() == 1

    # Escape closes the editor and gives the focus back to the cell.
    page.keyboard.press("Enter")
    strength = page.get_by_label("Strength")
    expect(strength).to_be_focused()
    page.keyboard.press("Escape")
    expect(strength).to_have_count(0)
    expect(cell).to_be_focused()

    # Enter opens it again; pick Trusted, Enter saves.
    page.keyboard.press("Enter")
    expect(strength).to_be_focused()
    expect(page.get_by_label("Target")).to_have_value("3")
    strength.select_option("3")
    page.keyboard.press("Enter")

    expect(cell).to_have_class("cell s3")
    expect(cell).to_be_focused()
    expect(rpi).to_have_text("79.2")
    expect(page.locator("#rpi-high")).to_have_text("75.0 %")
    expect(page.locator("#rpi-wide")).to_have_text("100.0 %")
    expect(page.locator("#rpi-deep")).to_have_text("62.5 %")
    expect(uncovered).to_have_count(0)
    expect(below_target).to_have_count(0)
    expect(single_thread).to_be_visible()
    expect(page.locator(f"#best-{rob.pk}")).to_contain_text("Trusted")
    expect(page.locator("#matrix-status")).to_contain_text("RPI 79.2")
    expect(page.locator("#matrix-status")).to_be_visible()  # seen, not only heard
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"

    page.reload()
    expect(rpi).to_have_text("79.2")
    expect(cell).to_have_class("cell s3")
    expect(uncovered).to_have_count(0)
    expect(single_thread).to_be_visible()
    assert Relationship.objects.get(contact=rob, user=tom).strength == 3


def test_gap_rows_a_value_picked_with_the_mouse_and_a_bad_value(
    page: Page, live_server, sign_in, alice, rail_account
):
    account, tom, dana, rob = rail_account
    Contact.objects.filter(pk=dana.pk).update(attitude=Contact.Attitude.DETRACTOR)
    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{account.pk}/relationships/")

    # A detractor's gap is about the person, not one cell: its link lights up the row
    # and puts the focus on the row's first cell.
    page.locator(f'[data-gap="detractor-{dana.pk}"] a').click()
    expect(page.locator(f"#contact-{dana.pk}")).to_have_class("contact-row flash")
    expect(page.locator(f"#cell-{dana.pk}-{alice.pk}")).to_be_focused()

    ivy = Contact.objects.get(name="Ivy Influencer")
    cell = page.locator(f"#cell-{ivy.pk}-{alice.pk}")
    expect(cell).not_to_contain_text("2")

    cell.click()
    target = page.get_by_label("Target")
    expect(target).to_be_visible()
    target.select_option("2")
    page.get_by_role("button", name="Save").click()
    # Strength 0 with a target: a relationship to build, below its target.
    expect(cell).to_have_class("cell s0 below")
    expect(cell).to_contain_text("0→2")
    expect(page.locator(f'[data-gap="below_target-{ivy.pk}-{alice.pk}"]')).to_be_visible()

    # A value the select does not offer (a tampered form) answers its message in the cell.
    cell.click()
    strength = page.get_by_label("Strength")
    strength.evaluate("select => { select.options[0].value = '7'; select.value = '7'; }")
    page.get_by_role("button", name="Save").click()
    expect(cell.get_by_role("alert")).to_have_text(
        "Choose a strength from 0 (None) to 4 (Trusted advisor)."
    )
    assert Relationship.objects.get(contact=ivy, user=alice).strength == 0
