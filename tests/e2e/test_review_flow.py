"""Business reviews and their packs in a real browser: alice schedules a review of her
Tier I account, records it and follows an action item up; the executive downloads the
internal pack from the account's page, alice the customer pack, and bob, on neither
team, gets 404 for both."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts_app.models import User
from demo.factories import TierAssignmentFactory, UserFactory
from segmentation import services as segmentation
from segmentation.models import Tier

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tier_one_account(alice_account):
    segmentation.ensure_default_model()
    tier = Tier.objects.order_by("rank").first()
    TierAssignmentFactory(account=alice_account, tier=tier)
    return alice_account


def pdf_text(path) -> str:
    with open(path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_alice_schedules_records_and_follows_up_a_review(
    page: Page, live_server, sign_in, alice, tier_one_account
):
    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{tier_one_account.pk}/reviews/")
    expect(page.get_by_text("No business reviews yet")).to_be_visible()
    page.get_by_role("link", name="Schedule a review").first.click()
    page.get_by_label("Kind").select_option("external")
    page.get_by_label("Scheduled for").fill("2026-11-20")
    page.get_by_label("Held on").fill("2026-11-20")
    page.get_by_label("Carla Buyer").check()
    page.get_by_label("Outcomes").fill("Volumes up; pilot agreed.")
    page.get_by_role("button", name="Schedule the review").click()
    expect(
        page.get_by_role("heading", name="External business review, November 2026")
    ).to_be_visible()
    expect(page.get_by_text("Volumes up; pilot agreed.")).to_be_visible()

    page.get_by_role("textbox", name="Action item").fill("Send the pilot proposal")
    page.get_by_role("button", name="Add the action item").click()
    item = page.locator(".action-item", has_text="Send the pilot proposal")
    expect(item).to_be_visible()
    item.get_by_role("button", name="Mark “Send the pilot proposal” as done").click()
    expect(item).to_have_class("action-item done")
    page.reload()
    expect(page.locator(".action-item.done", has_text="Send the pilot proposal")).to_be_visible()
    page.get_by_role("link", name="Reviews", exact=True).first.click()
    expect(page.locator("table.data")).to_contain_text("0 open of 1")


def test_packs_download_for_those_who_may_see_the_account(
    page: Page, live_server, sign_in, sign_in_elsewhere, alice, bob, tier_one_account
):
    executive = UserFactory(
        username="eve", first_name="Eve", last_name="Exec", role=User.Role.EXECUTIVE
    )
    exec_page = sign_in_elsewhere(executive)
    exec_page.goto(f"{live_server.url}/accounts/{tier_one_account.pk}/reviews/")
    with exec_page.expect_download() as download:
        exec_page.get_by_role("link", name="Internal").click()
    internal = pdf_text(download.value.path())
    assert "Internal version" in internal and "Carla Buyer" in internal

    sign_in(alice)
    page.goto(f"{live_server.url}/accounts/{tier_one_account.pk}/reviews/")
    with page.expect_download() as download:
        page.get_by_role("link", name="For the customer").click()
    customer = pdf_text(download.value.path())
    assert "Prepared for Acme Industrial" in customer and "Carla Buyer" not in customer

    bob_page = sign_in_elsewhere(bob)
    for variant in ("internal", "customer"):
        url = f"{live_server.url}/accounts/{tier_one_account.pk}/pack.pdf?variant={variant}"
        assert bob_page.request.get(url).status == 404
    bob_page.goto(f"{live_server.url}/accounts/{tier_one_account.pk}/reviews/")
    expect(bob_page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_the_executive_generates_and_downloads_the_portfolio_pack(
    page: Page, live_server, sign_in_elsewhere, tier_one_account
):
    executive = UserFactory(
        username="eve", first_name="Eve", last_name="Exec", role=User.Role.EXECUTIVE
    )
    exec_page = sign_in_elsewhere(executive)
    exec_page.goto(f"{live_server.url}/dashboards/portfolio/")
    exec_page.get_by_role("link", name="Portfolio pack (PDF)").click()
    expect(exec_page.get_by_text("No portfolio pack yet")).to_be_visible()
    exec_page.get_by_role("button", name="Generate the pack").click()
    # The job runs inline in this test server; with a worker the page polls until ready.
    expect(exec_page.get_by_role("heading", name="Ready")).to_be_visible()
    with exec_page.expect_download() as download:
        exec_page.get_by_role("link", name="Download the PDF").click()
    text = pdf_text(download.value.path())
    assert "Portfolio summary" in text and "Acme Industrial" in text
