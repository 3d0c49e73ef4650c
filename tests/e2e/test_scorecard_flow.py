"""The scorecard in a real browser: alice enters actuals in the grid from the keyboard
and sees each line's attainment and the scorecard score change without a reload; a
refused value is said beside its line and saves nothing."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from scorecards import services
from scorecards.models import Metric

pytestmark = pytest.mark.django_db(transaction=True)


def test_alice_enters_actuals_and_sees_the_score_change(
    page: Page, live_server, sign_in, alice, alice_account
):
    services.ensure_defaults()
    card = services.scorecard_create(
        account=alice_account,
        by=alice,
        period_start=date(2026, 10, 1),
        metrics=[Metric.objects.get(name="Revenue"), Metric.objects.get(name="Open escalations")],
    )
    revenue, escalations = card.lines.order_by("position")
    services.line_update(line=revenue, by=alice, weight="3", target="1000000")
    services.line_update(line=escalations, by=alice, target="2")

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(alice)
    page.get_by_role("link", name="Acme Industrial").click()
    page.get_by_role("tab", name="Scorecard").click()
    score = page.locator("#scorecard-score .value")
    expect(score).to_have_text("—")
    page.wait_for_load_state("load")  # htmx (deferred) has run
    page.evaluate("window.__marker = 1")

    # Revenue 800,000 of 1,000,000: 80 %, off target; the only measured line: score 80.0.
    page.get_by_label("Actual of Revenue").fill("800000")
    page.keyboard.press("Enter")  # saves and moves down the column
    expect(page.locator(f"#line-{revenue.pk}-result")).to_contain_text("80% Off target")
    expect(score).to_have_text("80.0")
    expect(page.get_by_label("Actual of Open escalations")).to_be_focused()
    # Each save is announced to a screen reader (the grid's script ran without an error).
    expect(page.locator("#scorecard-status")).to_contain_text("Revenue: 80% Off target")
    expect(page.locator("#scorecard-status")).to_be_visible()  # seen, not only heard

    # A refused value: said beside the line, the score unchanged.
    page.keyboard.type("several")
    page.keyboard.press("Enter")
    expect(page.locator(f"#line-{escalations.pk}-result")).to_contain_text("Enter a number")
    expect(score).to_have_text("80.0")

    # Three escalations against at most two: 2/3 = 67 %; score 100·(3·0.8 + 0.667)/4 = 76.7.
    page.get_by_label("Actual of Open escalations").fill("3")
    page.keyboard.press("Enter")
    expect(page.locator(f"#line-{escalations.pk}-result")).to_contain_text("67% Off target")
    expect(score).to_have_text("76.7")

    # One escalation: on target (200 %, counted as 100 %): 100·(2.4 + 1)/4 = 85.0.
    page.get_by_label("Actual of Open escalations").fill("1")
    page.keyboard.press("Tab")
    expect(score).to_have_text("85.0")
    assert page.evaluate("window.__marker") == 1  # no page load
    assert not errors, errors  # "Cannot read properties of null" was one, on every save
    page.reload()
    expect(page.locator("#scorecard-score .value")).to_have_text("85.0")
    card.refresh_from_db()
    assert str(card.score) == "85.0"
