"""Packs fit to hand out (issue 18, item 7), read back as a person reads them: no blank
page in any pack; the customer's pack leaves out what it has nothing to say about and
keeps a short contents list on its cover; scorecard periods named as the app names
them; amounts in the installation's currency; an action item past its date marked
overdue."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from core import periods
from demo.factories import (
    BusinessReviewFactory,
    OpportunityFactory,
    ReviewActionItemFactory,
    ScorecardFactory,
    TierAssignmentFactory,
)
from insights import packs

pytestmark = pytest.mark.django_db

RUNNING = re.compile(r"Page \d+ of \d+|^Strata ·")


def pages_of(content: bytes) -> list[str]:
    return [
        page.extract_text().replace("\u00a0", " ") for page in PdfReader(io.BytesIO(content)).pages
    ]


def body_words(page: str) -> int:
    """The words of a page besides its running header (the name and the date) and footer."""
    today = f"{timezone.localdate():%-d %B %Y}"
    lines = [
        line
        for line in page.splitlines()
        if not RUNNING.search(line) and not (line.endswith(today) and len(line.split()) <= 8)
    ]
    return len(" ".join(lines).split())


def pack(client, account, variant) -> list[str]:
    response = client.get(f"/accounts/{account.pk}/pack.pdf", {"variant": variant})
    assert response.status_code == 200
    return pages_of(response.content)


@pytest.fixture
def reviewed(account, owner, seeded_stages_and_criteria):
    """An account with a joint scorecard for the quarter from 1 October 2026, a project
    under way but none completed, and a review held five weeks ago whose agreed actions
    are one overdue, one done late and one not due yet."""
    today = timezone.localdate()
    account.annual_revenue = Decimal(4_200_000)
    account.save()
    ScorecardFactory(
        account=account,
        period_start=date(2026, 10, 1),
        metrics=["Revenue", "Open escalations"],
        lines={"Revenue": {"target": "1000000", "actual": "900000"}},
    )
    OpportunityFactory(account=account, name="Plant-wide service contract")
    review = BusinessReviewFactory(
        account=account,
        scheduled_for=today - timedelta(days=35),
        held_on=today - timedelta(days=35),
        outcomes="Volumes up.",
    )
    late = today - timedelta(days=20)
    ReviewActionItemFactory(review=review, text="Send the Lyon proposal", due_date=late)
    done = ReviewActionItemFactory(review=review, text="Share the audit", due_date=late)
    done.done = True
    done.save()
    ReviewActionItemFactory(
        review=review, text="Plan the site visit", due_date=today + timedelta(days=10)
    )
    return account, late


def test_the_customer_pack_leaves_out_what_it_has_nothing_to_say_about(client_for, owner, reviewed):
    account, _late = reviewed
    cover, *rest = pack(client_for(owner), account, "customer")
    text = "\n".join([cover, *rest])
    for empty in ("Projects delivered", "No completed projects", "Value delivered", "Mutual goals"):
        assert empty not in text, empty
    assert "PROJECTS UNDER WAY" in text and "Plant-wide" not in text  # the count, not the deal
    # Five entries: listed on the cover, not on a page of their own.
    assert "Contents" not in text
    assert "IN THIS PACK" in cover
    for title in ("Where we stand together", "Joint scorecard", "Last review", "Roadmap"):
        assert title in cover, title
    assert len(rest) == 1


def test_the_internal_pack_keeps_its_contents_page_and_says_what_is_missing(
    client_for, owner, reviewed
):
    account, _late = reviewed
    pages = pack(client_for(owner), account, "internal")
    assert "Contents" in pages[1] and "IN THIS PACK" not in pages[0]
    assert "No current plan goals yet." in "\n".join(pages)


@override_settings(STRATA_FISCAL_YEAR_START_MONTH=4)
def test_the_scorecard_period_is_named_as_the_app_names_it(client_for, owner, reviewed):
    account, _late = reviewed
    label = periods.label(date(2026, 10, 1), "quarterly")
    assert label == "Q3 FY2027"  # the fiscal year starts in April here
    page = client_for(owner).get(f"/accounts/{account.pk}/scorecard/").content.decode()
    assert label in page
    for variant in ("customer", "internal"):
        text = "\n".join(pack(client_for(owner), account, variant))
        assert f"scorecard — {label}".lower() in text.lower(), variant
        assert "October 2026" not in text, variant


@override_settings(STRATA_CURRENCY="CHF")
def test_amounts_are_printed_in_the_installations_currency(client_for, owner, reviewed):
    account, _late = reviewed
    OpportunityFactory(
        account=account,
        name="Line retrofit",
        stage_name="Won",
        customer_annual_benefit=Decimal(200_000),
        customer_investment=Decimal(100_000),
        horizon_years=3,
    )
    customer = "\n".join(pack(client_for(owner), account, "customer"))
    assert "Value delivered" in customer and "PROJECTS DELIVERED" in customer
    assert "CHF 200,000" in customer and "€" not in customer.replace("(€)", "")
    internal = "\n".join(pack(client_for(owner), account, "internal"))
    assert "CHF 4,200,000" in internal


def test_an_action_item_past_its_date_is_marked_overdue(client_for, owner, reviewed):
    account, late = reviewed
    overdue = f"Overdue since {late.day} {late:%b}"
    for variant in ("customer", "internal"):
        text = "\n".join(pack(client_for(owner), account, variant))
        rows = {
            action: next(line for line in text.splitlines() if action in line)
            for action in ("Send the Lyon proposal", "Share the audit", "Plan the site visit")
        }
        assert overdue in rows["Send the Lyon proposal"], variant
        assert rows["Share the audit"].endswith("done"), variant
        assert rows["Plan the site visit"].endswith("open"), variant


def test_no_pack_has_a_blank_page(client_for, executive, owner, reviewed, seeded_tiers):
    account, _late = reviewed
    TierAssignmentFactory(account=account, tier=seeded_tiers[0])
    client = client_for(owner)
    one_pager = pages_of(client.get(f"/accounts/{account.pk}/one-pager.pdf").content)
    assert len(one_pager) == 1
    rendered = {
        "one-pager": one_pager,
        "internal": pack(client, account, "internal"),
        "customer": pack(client, account, "customer"),
        "portfolio": pages_of(
            bytes(
                packs.portfolio_pack_render(pack_id=packs.portfolio_pack_start(by=executive).pk).pdf
            )
        ),
    }
    for name, pages in rendered.items():
        for number, page in enumerate(pages, start=1):
            assert body_words(page) >= 5, f"{name}, page {number} of {len(pages)}: {page!r}"
