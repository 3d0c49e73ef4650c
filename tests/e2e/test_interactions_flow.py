"""Logging an interaction in a real browser: the form swaps into the tab, the new entry
lands on top of the log, and the Contacts tab shows who was met today. Editing one: the
form opens filled in, a refused save keeps what was typed beside its error."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts_app import services
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


@pytest.fixture
def kick_off(alice, alice_account):
    """A meeting with Carla logged by Alice three days ago."""
    return services.interaction_record(
        account=alice_account,
        by=alice,
        kind="meeting",
        on=timezone.localdate() - datetime.timedelta(days=3),
        contacts=list(alice_account.contacts.all()),
        team_users=[alice],
        subject="Kick-off with procurement",
    )


def open_interactions(page: Page, live_server, account) -> str:
    detail_url = f"{live_server.url}/accounts/{account.pk}/"
    page.goto(f"{detail_url}interactions/")
    page.wait_for_load_state("load")  # htmx (deferred) has run
    page.evaluate("window.__marker = 1")
    return detail_url


def test_account_manager_edits_an_interaction_and_sees_the_change(
    page: Page, live_server, sign_in, alice, alice_account, alice_teammate, kick_off
):
    sign_in(alice)
    detail_url = open_interactions(page, live_server, alice_account)
    row = page.locator(f"#interaction-{kick_off.pk}")
    row.get_by_role("link", name=re.compile(r"^Edit the meeting of")).click()

    expect(page).to_have_url(f"{detail_url}interactions/{kick_off.pk}/edit/")
    expect(page.get_by_role("heading", name=re.compile(r"^Edit the meeting of"))).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("Kick-off with procurement")
    ours = page.get_by_role("group", name="From our side")
    expect(ours.get_by_label("Alice Archer")).to_be_checked()
    expect(page.get_by_role("group", name="Contacts").get_by_label("Carla Buyer")).to_be_checked()

    page.get_by_label("Type").select_option("call")
    page.get_by_label("Subject").fill("Pricing call with procurement")
    ours.get_by_label("Tom Mate").check()
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(f"{detail_url}interactions/")
    expect(page.get_by_role("status")).to_contain_text("Call of")
    row = page.locator(f"#interaction-{kick_off.pk}")
    expect(row).to_contain_text("Pricing call with procurement")
    expect(row).to_contain_text("Call")
    expect(row).to_contain_text("Tom Mate")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
    kick_off.refresh_from_db()
    assert (kick_off.kind, kick_off.subject) == ("call", "Pricing call with procurement")
    assert set(kick_off.team_users.all()) == {alice, alice_teammate}


def test_a_refused_edit_shows_the_error_and_keeps_what_was_typed(
    page: Page, live_server, sign_in, alice, alice_account, kick_off
):
    sign_in(alice)
    detail_url = open_interactions(page, live_server, alice_account)
    row = page.locator(f"#interaction-{kick_off.pk}")
    row.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_label("Subject")).to_have_value("Kick-off with procurement")

    theirs = page.get_by_role("group", name="Contacts")
    theirs.get_by_label("Carla Buyer").uncheck()
    page.get_by_label("Subject").fill("Typed, not yet saved")
    page.get_by_label("Note").fill("Carla left early.")
    page.get_by_role("button", name="Save changes").click()

    expect(theirs).to_contain_text("Choose at least one contact.")
    expect(theirs).to_have_accessible_description("Choose at least one contact.")
    expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields.")
    expect(page.get_by_label("Subject")).to_have_value("Typed, not yet saved")
    expect(page.get_by_label("Note")).to_have_value("Carla left early.")
    expect(page).to_have_url(f"{detail_url}interactions/{kick_off.pk}/edit/")
    expect(page.get_by_role("tab", name="Interactions")).to_have_attribute("aria-selected", "true")
    assert page.evaluate("window.__marker") == 1
    kick_off.refresh_from_db()
    assert kick_off.subject == "Kick-off with procurement"

    # Put right, it saves what was typed.
    theirs.get_by_label("Carla Buyer").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(f"{detail_url}interactions/")
    expect(page.locator(f"#interaction-{kick_off.pk}")).to_contain_text("Typed, not yet saved")
    kick_off.refresh_from_db()
    assert (kick_off.subject, kick_off.note) == ("Typed, not yet saved", "Carla left early.")
