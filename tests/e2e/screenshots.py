"""Screenshots of the main pages, to look at them as a person would.

Not part of the test suite: the file name does not match `test_*.py`, so `pytest` and
`pytest tests/e2e` leave it out. Run it on its own, then open the pictures:

    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/python -m pytest tests/e2e/screenshots.py

It writes full-page PNGs, 1280 pixels wide, to var/screenshots/, and the README's
picture of the accounts list (1280x800, the first screen only) to docs/screenshot.png.
The data comes from `manage.py seed_demo` (in the test database), signed in as alice;
it also shows the empty states of a new account and the 404 page.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts_app.models import Account, DefaultIndustry, DefaultRegion, LifecycleStage, User
from demo.factories import AccountFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
README_SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshot.png"
DEMO_PASSWORD = "strata-demo"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Let the progress bar and hover states settle out of the picture.
    page.mouse.move(0, 0)
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, animations="disabled")


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the home page: today's work


def test_take_screenshots(page: Page, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    alice = User.objects.get(username="alice")
    # Her biggest subsidiary account: a breadcrumb through its group, and the most to show.
    account = (
        Account.objects.filter(owner=alice, parent__isnull=False)
        .order_by("-annual_revenue")
        .first()
    ) or Account.objects.filter(owner=alice).order_by("-annual_revenue").first()
    base = live_server.url

    page.goto(f"{base}/login/")
    shoot(page, "01-login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shoot(page, "01b-login-failed")

    sign_in(page, base, "alice")
    expect(page.locator("#results tbody tr").first).to_be_visible()
    shoot(page, "02-accounts-list")
    README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=README_SCREENSHOT, animations="disabled")

    page.get_by_label("Search").fill("zzz-nothing")
    expect(page.locator("#results .empty-state")).to_be_visible()
    shoot(page, "02b-accounts-list-no-match")

    page.goto(f"{base}{account.get_absolute_url()}")
    expect(page.get_by_role("tab", name="Overview")).to_have_attribute("aria-selected", "true")
    shoot(page, "03-account-overview")

    page.get_by_role("tab", name="Contacts").click()
    expect(page.locator("#contacts-table")).to_be_visible()
    shoot(page, "04-contacts-tab")

    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("Name").fill("Dana Newman")
    page.get_by_label("Title").fill("VP Operations")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Add contact").click()
    expect(page.locator(".field.has-error")).to_have_count(1)
    shoot(page, "05-contact-form-error")

    page.get_by_role("tab", name="Team").click()
    expect(page.locator("#team-table")).to_be_visible()
    shoot(page, "06-team-tab")

    page.goto(f"{base}/accounts/{account.pk}/edit/")
    shoot(page, "07-account-form")

    page.goto(f"{base}/dashboards/")
    shoot(page, "08-dashboard")

    empty = AccountFactory(
        name="Northwind Robotics",
        owner=alice,
        industry=DefaultIndustry.TECHNOLOGY,
        region=DefaultRegion.NORTH_AMERICA,
        lifecycle_stage=LifecycleStage.ACQUISITION,
        annual_revenue=0,
        wallet_estimate=None,
        gross_margin_pct=None,
    )
    page.goto(f"{base}{empty.get_absolute_url()}")
    shoot(page, "10-new-account-overview")
    page.get_by_role("tab", name="Contacts").click()
    expect(page.locator("#tab-panel .empty-state")).to_be_visible()
    shoot(page, "11-new-account-contacts")

    bob_only = Account.objects.exclude(team_members__user=alice).first()
    page.goto(f"{base}/accounts/{bob_only.pk}/")
    shoot(page, "09-not-found")

    # Segmentation: the demo data was placed in tiers by seed_demo, with one override.
    pinned = Account.objects.get(tier_assignment__pinned=True)
    page.goto(f"{base}{pinned.get_absolute_url()}")
    shoot(page, "12-account-overview-tier")
    page.get_by_role("tab", name="Tier").click()
    expect(page.locator(".tier-now")).to_be_visible()
    shoot(page, "13-account-tier-tab")

    page.context.clear_cookies()
    sign_in(page, base, "admin")
    shoot(page, "14-accounts-list-admin")
    page.goto(f"{base}/segmentation/")
    shoot(page, "15-segmentation-portfolio")
    page.get_by_role("link", name="Segmentation model").click()
    shoot(page, "16-segmentation-model")
    page.get_by_role("link", name="Edit Tier I", exact=True).click()
    page.get_by_label("Revenue ≥").fill("150")
    page.get_by_role("button", name="Save tier").click()
    expect(page.locator(".field.has-error")).to_have_count(1)
    shoot(page, "17-tier-form-error")
    page.goto(f"{base}/segmentation/model/")
    page.get_by_label("Strategic value").fill("3")
    page.get_by_role("button", name="Save scoring").click()
    page.get_by_role("button", name="Start a dry run").first.click()
    expect(page.get_by_role("button", name="Apply these changes")).to_be_visible()
    shoot(page, "18-segmentation-dry-run")
    page.goto(f"{base}/segmentation/runs/")
    shoot(page, "19-segmentation-runs")

    # Relationships: the matrix with the RPI and gaps, the map, the interactions log.
    page.context.clear_cookies()
    sign_in(page, base, "alice")
    page.goto(f"{base}{account.get_absolute_url()}relationships/")
    expect(page.locator("#tab-panel table").first).to_be_visible()
    shoot(page, "20-relationship-matrix")
    page.get_by_role("tab", name="Map").click()
    expect(page.locator("#tab-panel svg").first).to_be_visible()
    shoot(page, "21-relationship-map")
    page.get_by_role("tab", name="Interactions").click()
    shoot(page, "22-interactions")
    page.get_by_role("tab", name="Overview").click()
    expect(page.locator(".rpi-card")).to_be_visible()
    shoot(page, "23-overview-rpi")

    # Plans: the list (as the manager who coaches), a plan, the changes since approval.
    page.context.clear_cookies()
    sign_in(page, base, "manager")
    page.goto(f"{base}/plans/")
    expect(page.locator("#results tbody tr").first).to_be_visible()
    shoot(page, "24-plans-list")
    page.locator("#results tbody tr a").first.click()
    expect(page.locator("#lifecycle")).to_be_visible()
    shoot(page, "25-plan-page")
    page.goto(f"{base}/plans/notifications/")
    shoot(page, "26-notifications")

    # Opportunities: the manager's portfolio (list and board), an account's pipeline,
    # an opportunity with its questions, the whitespace matrix with a cell being edited.
    page.goto(f"{base}/opportunities/")
    expect(page.locator("#pipeline-results tbody tr").first).to_be_visible()
    shoot(page, "27-opportunities-portfolio")
    page.goto(f"{base}/opportunities/?view=board")
    expect(page.locator(".board-column").first).to_be_visible()
    shoot(page, "28-opportunities-board")
    page.context.clear_cookies()
    sign_in(page, base, "alice")
    page.goto(f"{base}/accounts/{account.pk}/opportunities/")
    shoot(page, "29-account-opportunities")
    page.locator("#pipeline-results tbody tr a.strong").first.click()
    expect(page.locator("#qualification")).to_be_visible()
    shoot(page, "30-opportunity")
    page.goto(f"{base}/accounts/{account.pk}/whitespace/")
    shoot(page, "31-whitespace")
    page.locator(".ws-edit").first.click()
    expect(page.locator(".ws-form")).to_be_visible()
    shoot(page, "32-whitespace-cell-editor")
    page.goto(f"{base}/accounts/{account.pk}/opportunities/new/")
    page.get_by_role("button", name="Add opportunity").click()
    shoot(page, "33-new-opportunity-errors")

    # Scorecards, surveys and dashboards: alice's account's scorecard, surveys and a round,
    # its Health tab; the manager's dashboard; the executive's portfolio.
    surveyed = Account.objects.filter(owner=alice, survey_rounds__isnull=False).first() or account
    page.goto(f"{base}/accounts/{surveyed.pk}/scorecard/")
    shoot(page, "34-scorecard")
    page.goto(f"{base}/accounts/{surveyed.pk}/surveys/")
    shoot(page, "35-surveys")
    page.locator("#tab-panel table a.strong").first.click()
    shoot(page, "36-survey-round")
    page.goto(f"{base}/accounts/{surveyed.pk}/health/")
    shoot(page, "37-account-health")
    page.context.clear_cookies()
    sign_in(page, base, "manager")
    page.goto(f"{base}/dashboards/")
    shoot(page, "38-manager-dashboard")
    page.context.clear_cookies()
    sign_in(page, base, "exec")
    page.goto(f"{base}/dashboards/portfolio/")
    shoot(page, "39-portfolio")
