"""Opportunities in a real browser: alice answers the questions one by one and watches
the verdict move from unqualified to qualified, without a page reload; she records a
sold cell of the whitespace matrix and starts a prefilled opportunity from a whitespace
cell; she moves a card on the board by keyboard and by dragging."""

import re

import pytest
from playwright.sync_api import Page, expect

from demo.factories import BusinessUnitFactory, ProductLineFactory
from opportunities import services
from opportunities.models import Opportunity, QualificationCriterion

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
    page.wait_for_load_state("load")  # htmx (deferred) has run
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


def test_alice_starts_an_opportunity_from_a_whitespace_cell(
    page: Page, live_server, sign_in, alice, alice_account
):
    services.ensure_defaults()
    line = ProductLineFactory(name="Remote monitoring")
    east = BusinessUnitFactory(account=alice_account, name="Plant East")
    BusinessUnitFactory(account=alice_account, name="Plant West")
    sign_in(alice)
    page.get_by_role("link", name="Acme Industrial").click()
    page.get_by_role("tab", name="Whitespace").click()
    matrix = page.locator("table.whitespace-matrix")
    expect(matrix).to_contain_text("Remote monitoring")
    expect(page.locator(".ws-summary")).to_contain_text("2 whitespace cells")

    # First she records what Plant West already buys, in place.
    page.get_by_role("link", name="Change Remote monitoring for Plant West").click()
    editor = page.locator(".ws-form")
    editor.get_by_label("Sold", exact=True).check()
    editor.get_by_label("Annual revenue").fill("45000")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator(".ws-summary")).to_contain_text("1 whitespace cell · sold €45,000")

    # Then she starts an opportunity from the whitespace cell of Plant East.
    page.get_by_role("link", name="Start an opportunity: Remote monitoring for Plant East").click()
    expect(page.get_by_role("heading", name="New opportunity")).to_be_visible()
    expect(page.get_by_label("Product line")).to_have_value(str(line.pk))
    expect(page.get_by_label("Business unit")).to_have_value(str(east.pk))
    expect(page.get_by_label("Owner")).to_have_value(str(alice.pk))
    expect(page.get_by_label("Name")).to_have_value("Remote monitoring for Acme Industrial")
    page.get_by_label("Value").fill("120000")
    page.get_by_role("button", name="Add opportunity").click()
    expect(
        page.get_by_role("heading", name="Remote monitoring for Acme Industrial")
    ).to_be_visible()
    expect(page.locator(".subtitle")).to_contain_text("Remote monitoring for Plant East")

    # Back on the matrix the cell is now an open opportunity that links to it.
    page.goto(f"{live_server.url}/accounts/{alice_account.pk}/whitespace/")
    cell = page.locator(f"#ws-{line.pk}-{east.pk}")
    expect(cell).to_contain_text("Open opportunity")
    expect(cell.get_by_role("link", name="Remote monitoring for Acme Industrial")).to_be_visible()
    expect(page.locator(".ws-summary")).to_contain_text("0 whitespace cells")
    created = Opportunity.objects.get()
    assert (created.product_line, created.business_unit, created.value) == (line, east, 120000)


def test_alice_moves_a_card_on_the_board_with_the_keyboard_and_by_dragging(
    page: Page, live_server, sign_in, alice, alice_account
):
    services.ensure_defaults()
    deal = services.opportunity_create(
        account=alice_account, by=alice, name="Spare parts framework", value=80_000
    )
    sign_in(alice)
    page.goto(f"{live_server.url}/opportunities/")
    page.get_by_text("Board", exact=True).click()
    expect(page).to_have_url(re.compile(r"view=board"))
    prospect = page.locator(".board-column", has=page.get_by_role("heading", name="Prospect"))
    expect(prospect).to_contain_text("Spare parts framework")

    page.get_by_label("Move “Spare parts framework” to stage").select_option(
        label="Move to Propose"
    )
    expect(page.locator("#pipeline-status")).to_have_text(
        "“Spare parts framework” moved to Propose."
    )
    propose = page.locator(".board-column", has=page.get_by_role("heading", name="Propose"))
    expect(propose).to_contain_text("Spare parts framework")
    expect(propose.locator("h3 .count")).to_have_text("1")
    expect(prospect.locator("h3 .count")).to_have_text("0")

    negotiate = page.locator(".board-column", has=page.get_by_role("heading", name="Negotiate"))
    page.locator(".opp-card", has_text="Spare parts framework").drag_to(negotiate)
    expect(negotiate.locator("h3 .count")).to_have_text("1")
    expect(page.locator("#pipeline-status")).to_have_text(
        "“Spare parts framework” moved to Negotiate."
    )
    page.reload()  # the board, its filters and the move survive a reload
    expect(
        page.locator(".board-column", has=page.get_by_role("heading", name="Negotiate"))
    ).to_contain_text("Spare parts framework")
    deal.refresh_from_db()
    assert (deal.stage.name, deal.probability) == ("Negotiate", 80)
    assert [c.to_stage.name for c in deal.stage_history.all()] == [
        "Negotiate",
        "Propose",
        "Prospect",
    ]
