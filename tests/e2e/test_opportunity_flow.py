"""Qualifying an opportunity in a real browser: alice answers the questions one by one
and watches the verdict move from unqualified to qualified, without a page reload."""

import pytest
from playwright.sync_api import Page, expect

from opportunities import services
from opportunities.models import QualificationCriterion

pytestmark = pytest.mark.django_db(transaction=True)


def test_alice_qualifies_an_opportunity_question_by_question(
    page: Page, live_server, sign_in, alice, alice_account
):
    services.ensure_defaults()
    opportunity = services.opportunity_create(
        account=alice_account, by=alice, name="Plant-wide service contract", value=250_000
    )
    sign_in(alice)
    page.get_by_role("link", name="Acme Industrial").click()
    page.get_by_role("tab", name="Opportunities").click()
    page.get_by_role("link", name="Plant-wide service contract").click()
    panel = page.locator("#qualification")
    expect(panel).to_contain_text("Unqualified")
    page.evaluate("window.__marker = 1")

    # Eight questions of weight 1: each "Yes" adds 12.5 points.
    # 3 yes = 37.5 → unqualified; 4 yes = 50 → needs work; 6 yes = 75 → qualified.
    questions = list(QualificationCriterion.objects.order_by("position", "id"))
    expected = {
        3: ("38", "Unqualified"),
        4: ("50", "Needs work"),
        5: ("63", "Needs work"),
        6: ("75", "Qualified"),
    }
    for answered, criterion in enumerate(questions[:6], start=1):
        group = page.get_by_role("group", name=criterion.text)
        group.get_by_label("Yes").check()
        if answered in expected:
            score, verdict = expected[answered]
            expect(panel.locator(".qual-score")).to_contain_text(f"{score} / 100")
            expect(panel.locator(".qual-score")).to_contain_text(verdict)
    assert page.evaluate("window.__marker") == 1  # no full page load
    page.reload()
    expect(page.locator("#qualification .qual-score")).to_contain_text("Qualified")
    opportunity.refresh_from_db()
    assert opportunity.qualification_score == 75
