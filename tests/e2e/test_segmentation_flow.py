"""Segmentation in a real browser: an admin reweights the model, previews a dry run,
applies it and finds the new tiers in the accounts list; a manager pins a tier with a
reason on the account's Tier tab."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import User
from demo.factories import AccountFactory, TeamMemberFactory, UserFactory
from segmentation import services
from segmentation.models import SegmentationRun, Tier

pytestmark = pytest.mark.django_db(transaction=True)

NO_WALLET_OR_MARGIN = {"wallet_estimate": None, "gross_margin_pct": None}


@pytest.fixture
def model_with_a_full_tier_one(transactional_db):
    """Three accounts, Tier I capped at one, applied with equal weights.

    Scores (percentile ranks among 3; growth, margin and lifetime value tie at 50):
    Alpha revenue 100, strategic 0 → composite (100+50+50+50+0)/5 = 50;
    Beta revenue 50, strategic 100 → composite 60. Both qualify for Tier I; Beta keeps
    the one place, Alpha is capped into Tier II. Gamma: Tier III.
    """
    services.ensure_default_model()
    Tier.objects.filter(name="Tier I").update(cap=1)
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    accounts = {
        "Alpha Mining": AccountFactory(
            name="Alpha Mining",
            annual_revenue=1000,
            strategic_value=1,
            owner=owner,
            **NO_WALLET_OR_MARGIN,
        ),
        "Beta Foods": AccountFactory(
            name="Beta Foods",
            annual_revenue=100,
            strategic_value=5,
            owner=owner,
            **NO_WALLET_OR_MARGIN,
        ),
        "Gamma Retail": AccountFactory(
            name="Gamma Retail",
            annual_revenue=10,
            strategic_value=1,
            owner=owner,
            **NO_WALLET_OR_MARGIN,
        ),
    }
    run = SegmentationRun.objects.create(dry_run=False)
    services.segmentation_run_execute(run_id=run.pk)
    return accounts


def row(page: Page, name: str):
    return page.locator("tbody tr", has=page.get_by_role("link", name=name, exact=True))


def test_admin_reweights_previews_applies_and_sees_the_new_tiers(
    page: Page, live_server, sign_in, model_with_a_full_tier_one
):
    admin = UserFactory(username="ada", role=User.Role.ADMIN, first_name="Ada", last_name="Admin")
    sign_in(admin)
    results = page.locator("#results")
    expect(row(page, "Beta Foods")).to_contain_text("Tier I")
    expect(row(page, "Alpha Mining")).to_contain_text("Tier II")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Segmentation").click()
    page.get_by_role("link", name="Segmentation model").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Segmentation model")

    # Revenue counts five times as much: Alpha (revenue 100) now outscores Beta.
    page.get_by_label("Revenue").fill("5")
    page.get_by_role("button", name="Save scoring").click()
    expect(page.get_by_role("status")).to_contain_text("Scoring saved")
    expect(page.get_by_label("Revenue")).to_have_value("5")

    page.get_by_role("button", name="Start a dry run").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Dry run #\d+"))
    expect(page.get_by_role("button", name="Apply these changes")).to_be_visible()
    changes = page.locator("table.changes")
    expect(row(page, "Alpha Mining")).to_contain_text("Tier II")
    expect(row(page, "Alpha Mining").locator("td").nth(2)).to_have_text("Tier I")
    expect(row(page, "Beta Foods").locator("td").nth(2)).to_have_text("Tier II")
    expect(row(page, "Beta Foods")).to_contain_text("capped")
    expect(changes).not_to_contain_text("Gamma Retail")

    page.get_by_role("button", name="Apply these changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Run #\d+"))
    expect(page.locator("#runbody")).to_contain_text("the tiers and their history are written")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    expect(results).to_be_visible()
    expect(row(page, "Alpha Mining")).to_contain_text("Tier I")
    expect(row(page, "Beta Foods")).to_contain_text("Tier II")
    expect(row(page, "Gamma Retail")).to_contain_text("Tier III")

    page.get_by_label("Tier").select_option(label="Tier II")
    expect(results.get_by_role("link", name="Beta Foods")).to_be_visible()
    expect(results).not_to_contain_text("Alpha Mining")
    expect(page).to_have_url(re.compile(r"tier=\d+"))


def test_manager_pins_a_tier_with_a_reason(
    page: Page, live_server, sign_in, model_with_a_full_tier_one
):
    manager = UserFactory(
        username="maya", role=User.Role.MANAGER, first_name="Maya", last_name="Manager"
    )
    gamma = model_with_a_full_tier_one["Gamma Retail"]
    TeamMemberFactory(account=gamma, user=UserFactory(username="rep", manager=manager))
    sign_in(manager)
    page.goto(f"{live_server.url}{gamma.get_absolute_url()}")
    page.get_by_role("tab", name="Tier").click()
    expect(page).to_have_url(re.compile(r"/tier/$"))
    panel = page.locator("#tab-panel")
    expect(panel.locator(".tier-now")).to_contain_text("Tier III")

    page.get_by_label("Pin to tier").select_option(label="Tier I")
    page.get_by_role("button", name="Pin this tier").click()
    expect(panel).to_contain_text("Say why this account belongs in this tier.")

    page.get_by_label("Reason").fill("Flagship reference customer for the new product line")
    page.get_by_role("button", name="Pin this tier").click()
    expect(panel.locator(".tier-now")).to_contain_text("Tier I")
    expect(panel.locator(".tier-now")).to_contain_text("Pinned by override")
    history = panel.locator("section", has_text="Tier history")
    expect(history).to_contain_text("Tier III")
    expect(history).to_contain_text("Flagship reference customer")
    expect(history).to_contain_text("Maya Manager")

    page.reload()
    expect(panel.locator(".tier-now")).to_contain_text("Pinned by override")
    page.get_by_role("button", name="Remove override").click()
    expect(panel.locator(".tier-now")).not_to_contain_text("Pinned by override")
    expect(history).to_contain_text("Override removed")
