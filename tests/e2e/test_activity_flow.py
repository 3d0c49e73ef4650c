"""An account's Activity in a real browser: archive the account, restore it from the
banner, then read both in the Activity tab with who did them."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_archive_and_restore_show_in_the_activity(
    page: Page, live_server, sign_in, alice, alice_account
):
    sign_in(alice)
    detail_url = f"{live_server.url}/accounts/{alice_account.pk}/"
    page.goto(detail_url)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive").click()
    banner = page.locator(".archived-banner")
    expect(banner).to_contain_text("Archived by Alice Archer")

    banner.get_by_role("button", name="Restore the account").click()
    expect(page.locator(".archived-banner")).to_have_count(0)

    page.wait_for_load_state("load")
    page.evaluate("window.__marker = 1")
    page.get_by_role("tab", name="Activity").click()
    expect(page).to_have_url(f"{detail_url}activity/")
    entries = page.locator(".activity-entry")
    expect(entries.nth(0)).to_contain_text("Alice Archer restored account Acme Industrial")
    expect(entries.nth(1)).to_contain_text("Alice Archer archived account Acme Industrial")
    assert page.evaluate("window.__marker") == 1, "the tab was loaded whole, not swapped"

    page.get_by_label("Kind of record").select_option("contact")
    expect(page).to_have_url(f"{detail_url}activity/?kind=contact&user=&since=&until=")
    expect(page.locator(".activity-entry")).to_contain_text("created contact Carla Buyer")
