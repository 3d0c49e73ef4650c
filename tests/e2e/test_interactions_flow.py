"""Logging an interaction in a real browser: the form swaps into the tab, the new entry
lands on top of the log, and the Contacts tab shows who was met today."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import Interaction

pytestmark = pytest.mark.django_db(transaction=True)


def tab(page: Page, name: str):
    return page.get_by_role("tab", name=name)


def test_account_manager_logs_a_meeting_and_sees_when_the_contact_was_last_met(
    page: Page, live_server, sign_in, alice, alice_account, alice_teammate
):
    sign_in(alice)
    detail_url = f"{live_server.url}/accounts/{alice_account.pk}/"
    page.goto(detail_url)
    page.wait_for_load_state("load")  # htmx (deferred) has run
    page.evaluate("window.__marker = 1")

    tab(page, "Interactions").click()
    expect(page).to_have_url(f"{detail_url}interactions/")
    expect(tab(page, "Interactions")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-panel")).to_contain_text("No interactions logged yet")

    page.get_by_role("link", name="Log the first interaction").click()
    expect(page).to_have_url(f"{detail_url}interactions/new/")
    ours = page.get_by_role("group", name="From our side")
    # Alice is on the team, so she is ticked already; her teammate is offered too.
    expect(ours.get_by_label("Alice Archer")).to_be_checked()
    expect(ours.get_by_label("Tom Mate")).not_to_be_checked()

    # Forgetting the contact keeps what was typed and says what is missing.
    page.get_by_label("Subject").fill("Kick-off with procurement")
    page.get_by_label("Note").fill("Carla wants a pilot in Q3.")
    page.get_by_role("button", name="Log interaction").click()
    theirs = page.get_by_role("group", name="Contacts")
    expect(theirs).to_contain_text("Choose at least one contact.")
    expect(theirs).to_have_accessible_description("Choose at least one contact.")
    expect(page.get_by_label("Subject")).to_have_value("Kick-off with procurement")
    expect(ours.get_by_label("Alice Archer")).to_be_checked()

    theirs.get_by_label("Carla Buyer").check()
    expect(page.get_by_label("Type")).to_have_value("meeting")
    page.get_by_role("button", name="Log interaction").click()

    expect(page).to_have_url(f"{detail_url}interactions/")
    expect(page.get_by_role("status")).to_contain_text("Meeting with Carla Buyer logged.")
    first_row = page.locator("#interactions-table tbody tr").first
    expect(first_row).to_contain_text("Kick-off with procurement")
    expect(first_row).to_contain_text("Meeting")
    expect(first_row).to_contain_text("Carla Buyer")
    expect(first_row).to_contain_text("Alice Archer")
    expect(first_row).not_to_contain_text("Tom Mate")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
    interaction = Interaction.objects.get()
    assert [c.name for c in interaction.contacts.all()] == ["Carla Buyer"]
    assert list(interaction.team_users.all()) == [alice]

    tab(page, "Contacts").click()
    expect(page).to_have_url(f"{detail_url}contacts/")
    carla = page.locator("#contacts-table tbody tr", has_text="Carla Buyer")
    expect(carla.locator("td.last-met")).to_have_text("today")
    expect(carla.locator("td.last-met time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d{2}-\d{2}$")
    )
    assert page.evaluate("window.__marker") == 1
