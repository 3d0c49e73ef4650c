"""Retention in a real browser (issue 20): Alice adds a contract ending in two months, sees
its renewal opportunity opened at once and the alert that it is not qualified, then
closes the renewal as lost — refused until she says to whom and why — naming the
competitor that won it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.models import Competitor
from scorecards.alerts.services import alert_defaults_ensure

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_contract_its_renewal_its_alert_and_a_loss_to_a_competitor(
    page: Page, sign_in, live_server, alice_account, seeded_stages_and_criteria
):
    Competitor.objects.create(name="Northwind Automation")
    alert_defaults_ensure()  # a browser test's database starts empty: the seeded rules
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(alice_account.owner)
    page.goto(f"{live_server.url}/accounts/{alice_account.pk}/contracts/")
    expect(page.get_by_role("heading", name="No contract yet")).to_be_visible()

    page.get_by_role("link", name="Add a contract").click()
    page.get_by_label("Name").fill("Service agreement 2024–2027")
    page.get_by_label("Annual value").fill("480k")
    today = timezone.localdate()
    page.get_by_label("Start date").fill(f"{today - timedelta(days=700):%Y-%m-%d}")
    page.get_by_label("End date").fill(f"{today + timedelta(days=60):%Y-%m-%d}")
    page.get_by_label("Notice (days before the end)").fill("30")
    page.get_by_role("button", name="Add contract").click()
    row = page.locator("tr", has_text="Service agreement 2024–2027")
    expect(row).to_contain_text("€480,000")
    renewal = row.get_by_role("link", name="Prospect")  # opened at once: inside 120 days
    expect(renewal).to_be_visible()

    page.goto(f"{live_server.url}/alerts/")
    expect(
        page.locator("main table").get_by_text("ends in 60 days and its renewal")
    ).to_be_visible()

    page.goto(f"{live_server.url}/accounts/{alice_account.pk}/contracts/")
    page.locator("tr", has_text="Service agreement").get_by_role("link", name="Prospect").click()
    expect(
        page.get_by_role("heading", name=re.compile("Renewal: Service agreement"))
    ).to_be_visible()
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Stage").select_option(label="Lost")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Say who it was lost to")).to_be_visible()
    page.get_by_label("Lost to").select_option(label="Northwind Automation")
    page.get_by_label("Why it was lost").fill("Price: they came in 12 % under our offer.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Northwind Automation")).to_be_visible()
    expect(page.get_by_text("Price: they came in 12 % under our offer.")).to_be_visible()
    assert not errors, errors
