"""Action alerts in a real browser: alice sees a new alert in her inbox, opens the
account from it, acknowledges the alert, and the count in the navigation drops; her
manager acknowledges the team's alerts of an account at once."""

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import User
from demo.factories import ContactFactory, UserFactory
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
    group = page.locator("tbody.alert-group", has_text="Greta Gruff")
    group.get_by_role("link", name="Acme Industrial").click()
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


def test_a_manager_acknowledges_an_accounts_alerts_at_once(
    page: Page, live_server, sign_in, alice, alice_account
):
    services.alert_defaults_ensure()
    manager = UserFactory(username="maya", first_name="Maya", role=User.Role.MANAGER)
    alice.manager = manager
    alice.save(update_fields=["manager"])
    for name in ("Greta Gruff", "Hans Hard", "Ivo Icy"):
        ContactFactory(
            account=alice_account, name=name, buying_role="decision_maker", attitude="detractor"
        )
    evaluate.rule_evaluate(rule=AlertRule.objects.get(kind="detractor_decision_maker"))
    sign_in(manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    # The manager opens on the team's alerts, grouped by account.
    expect(page.get_by_role("radio", name="My accounts' and team's")).to_be_checked()
    page.get_by_label("Select the alerts of Acme Industrial").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("3 selected")
    page.get_by_label("Action").select_option("acknowledge")
    page.get_by_label("Note").fill("Discussed with Alice: plan in the review.")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_text("3 alerts acknowledged.")).to_be_visible()
    expect(page.locator("table.alerts tr.status-acknowledged")).to_have_count(3)
    assert set(
        AlertRule.objects.get(kind="detractor_decision_maker").alerts.values_list(
            "acknowledged_by__username", flat=True
        )
    ) == {"maya"}
