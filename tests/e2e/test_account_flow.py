"""What a key account manager does in a real browser: sign in, find an account, move
between its tabs without full page loads, add a contact, and never see another team's
account."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import DefaultIndustry, DefaultRegion
from demo.factories import AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)


def set_page_marker(page: Page) -> None:
    """A value that lives as long as the document: gone after a full page load. Set once
    the page's scripts have run (htmx is deferred): a click before that is an ordinary
    link, as it is for a person as quick, and would load the page whole."""
    page.wait_for_load_state("load")
    page.evaluate("window.__marker = 1")


def assert_no_full_page_load(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"


def tab(page: Page, name: str):
    return page.get_by_role("tab", name=name)


def test_failed_sign_in_shows_an_error(page: Page, live_server, alice):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("did not match")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_label("Username")).to_have_value("alice")


def test_account_manager_works_through_tabs_and_adds_a_contact(
    page: Page, live_server, sign_in, alice, alice_account, alice_teammate, bob_account
):
    sign_in(alice)

    results = page.locator("#results")
    expect(results.get_by_role("link", name="Acme Industrial")).to_be_visible()
    expect(results).not_to_contain_text("Borealis Energy")

    results.get_by_role("link", name="Acme Industrial").click()
    detail_url = f"{live_server.url}/accounts/{alice_account.pk}/"
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Industrial")
    expect(tab(page, "Overview")).to_have_attribute("aria-selected", "true")

    set_page_marker(page)
    tab(page, "Contacts").click()
    expect(page).to_have_url(f"{detail_url}contacts/")
    expect(tab(page, "Contacts")).to_have_attribute("aria-selected", "true")
    expect(tab(page, "Overview")).to_have_attribute("aria-selected", "false")
    expect(page.locator("#contacts-table")).to_contain_text("Carla Buyer")
    assert_no_full_page_load(page)

    tab(page, "Team").click()
    expect(page).to_have_url(f"{detail_url}team/")
    expect(tab(page, "Team")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#team-table")).to_contain_text("Alice Archer")
    expect(page.locator("#team-table")).to_contain_text("Tom Mate")
    assert_no_full_page_load(page)

    # A tab's URL is a real page: reloading it shows the same tab.
    tab(page, "Contacts").click()
    expect(page).to_have_url(f"{detail_url}contacts/")
    page.reload()
    expect(tab(page, "Contacts")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#contacts-table")).to_contain_text("Carla Buyer")
    assert page.evaluate("window.__marker") is None

    set_page_marker(page)
    page.get_by_role("link", name="Add contact").click()
    expect(page).to_have_url(f"{detail_url}contacts/new/")
    page.get_by_label("Name").fill("Dana Newman")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Add contact").click()

    email_field = page.locator(".field.has-error", has=page.locator("#id_email"))
    expect(email_field.locator(".errorlist")).to_have_text("Enter a valid email address.")
    expect(page.get_by_role("alert")).to_contain_text("correct the highlighted fields")
    expect(page.get_by_label("Name")).to_have_value("Dana Newman")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    # A screen reader hears the error with the field, too.
    expect(page.get_by_label("Email")).to_have_accessible_description(
        "Enter a valid email address."
    )
    assert_no_full_page_load(page)

    page.get_by_label("Email").fill("dana.newman@acme.example")
    page.get_by_role("button", name="Add contact").click()

    expect(page).to_have_url(f"{detail_url}contacts/")
    expect(page.get_by_role("status")).to_contain_text("Contact “Dana Newman” added.")
    contacts = page.locator("#contacts-table")
    expect(contacts).to_contain_text("Dana Newman")
    expect(contacts.get_by_role("link", name="Email Dana Newman")).to_have_attribute(
        "href", "mailto:dana.newman@acme.example"
    )
    expect(contacts).to_contain_text("Carla Buyer")
    expect(tab(page, "Contacts")).to_have_attribute("aria-selected", "true")
    assert_no_full_page_load(page)


def test_account_list_search_and_filters_update_results_and_url(
    page: Page, live_server, sign_in, alice, alice_account, bob_account
):
    AccountFactory(name="Cobalt Retail", owner=alice, region=DefaultRegion.NORTH_AMERICA)
    AccountFactory(
        name="Delta Pharma",
        owner=alice,
        region=DefaultRegion.ASIA_PACIFIC,
        industry=DefaultIndustry.PHARMA,
    )
    sign_in(alice)
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)

    set_page_marker(page)
    page.get_by_label("Search").fill("cob")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cobalt Retail")
    expect(page).to_have_url(re.compile(r"/accounts/\?(.*&)?q=cob(&|$)"))
    expect(page.locator("#results")).to_contain_text("1 account matches")
    assert_no_full_page_load(page)

    page.get_by_label("Search").fill("")
    expect(rows).to_have_count(3)

    page.get_by_label("Region").select_option(label="Asia Pacific")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Delta Pharma")
    expect(page).to_have_url(re.compile(r"[?&]region=asia_pacific(&|$)"))
    assert_no_full_page_load(page)

    # The filtered URL is shareable: loaded fresh, it shows the same results.
    page.reload()
    expect(page.get_by_label("Region")).to_have_value("asia_pacific")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Delta Pharma")

    page.get_by_label("Region").select_option(label="Latin America")
    expect(page.locator("#results .empty-state")).to_contain_text("No accounts match")


def test_another_teams_account_is_not_found(page: Page, live_server, sign_in, bob, alice_account):
    sign_in(bob)
    expect(page.locator("#results")).to_contain_text("No accounts yet")

    response = page.goto(f"{live_server.url}/accounts/{alice_account.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Acme Industrial")

    response = page.goto(f"{live_server.url}/accounts/{alice_account.pk}/contacts/")
    assert response is not None and response.status == 404


def test_tabs_work_from_the_keyboard(page: Page, live_server, sign_in, alice, alice_account):
    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{alice_account.pk}/")
    set_page_marker(page)
    tab(page, "Overview").focus()

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/accounts/{alice_account.pk}/health/$"))
    expect(tab(page, "Health")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/accounts/{alice_account.pk}/plan/$"))
    expect(tab(page, "Plan")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/accounts/{alice_account.pk}/risks/$"))
    expect(tab(page, "Risks")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/accounts/{alice_account.pk}/contacts/$"))
    expect(tab(page, "Contacts")).to_have_attribute("aria-selected", "true")
    expect(tab(page, "Contacts")).to_be_focused()
    expect(page.locator("#tab-panel")).to_contain_text("Carla Buyer")

    page.keyboard.press("End")
    expect(tab(page, "Activity")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/accounts/{alice_account.pk}/activity/$"))
    expect(page.locator("#tab-panel")).to_contain_text("created contact Carla Buyer")
    page.keyboard.press("ArrowRight")  # wraps round to the first tab
    expect(tab(page, "Overview")).to_be_focused()
    assert_no_full_page_load(page)
