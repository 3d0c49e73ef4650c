"""Action alerts in a real browser: alice sees a new alert in her inbox, opens the
account from it, acknowledges the alert, and the count in the navigation drops."""

import pytest
from playwright.sync_api import Page, expect

from demo.factories import ContactFactory
from insights.alerts import evaluate
from scorecards.alerts import services
from scorecards.models import AlertRule

pytestmark = pytest.mark.django_db(transaction=True)


def test_alice_acknowledges_an_alert_and_the_count_drops(
    page: Page, live_server, sign_in, alice, alice_account
):
    services.alert_defaults_ensure()
    ContactFactory(
        account=alice_account,
        name="Greta Gruff",
        title="CFO",
        buying_role="decision_maker",
        attitude="detractor",
    )
    evaluate.rule_evaluate(rule=AlertRule.objects.get(kind="detractor_decision_maker"))
    sign_in(alice)
    nav = page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts")
    expect(nav).to_have_attribute("aria-label", "Alerts: 1 open")
    nav.click()
    row = page.locator("table.alerts tr", has_text="Greta Gruff")
    expect(row).to_contain_text("High")
    row.get_by_role("link", name="Acme Industrial").click()
    expect(page.get_by_role("tab", name="Health")).to_have_attribute("aria-selected", "true")
    alert_link = page.locator(".account-alerts").get_by_role(
        "link", name="Detractor decision maker: Greta Gruff"
    )
    alert_link.click()
    expect(page.locator(".alert-description")).to_contain_text("Greta Gruff, CFO decides")
    page.get_by_label("Note").fill("Lunch with her booked for Tuesday.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged: the escalation stops here.")).to_be_visible()
    expect(nav).to_have_attribute("aria-label", "Alerts")
    expect(page.locator(".alert-events")).to_contain_text("Lunch with her booked for Tuesday.")
