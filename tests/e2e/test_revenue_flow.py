"""The Revenue tab in a real browser (issue 20): Alice opens last year of an account with no
history, pastes a row of twelve cells copied from a spreadsheet into January, saves with
Enter, is refused one month in place with everything she typed kept and the cursor on
the month to fix, corrects it and sees the year in the grid."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

PASTE = """(args) => {
  const [selector, text] = args;
  const data = new DataTransfer();
  data.setData("text/plain", text);
  document.querySelector(selector).dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_a_year_pasted_from_a_spreadsheet_refused_in_place_then_saved(
    page: Page, sign_in, live_server, alice_account
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    year = timezone.localdate().year - 1
    sign_in(alice_account.owner)
    page.goto(f"{live_server.url}/accounts/{alice_account.pk}/revenue/")
    expect(page.get_by_role("heading", name="No revenue history yet")).to_be_visible()

    page.get_by_role("link", name=f"Edit the revenue of {year}").click()
    january = page.get_by_label("January")
    expect(january).to_be_focused()  # the first month with nothing recorded
    row = "\t".join(str(100 + 10 * n) for n in range(12))  # 100, 110, … 210
    page.evaluate(PASTE, [f'input[name="{year}-01"]', row + "\r\n"])
    expect(page.get_by_label("December")).to_have_value("210")
    expect(page.get_by_label("December")).to_be_focused()
    page.get_by_label("March").fill("-5")
    page.keyboard.press("Enter")

    form = page.locator("#revenue-form")
    expect(form.get_by_text("Revenue cannot be negative")).to_be_visible()
    expect(page.get_by_label("January")).to_have_value("100")  # what was typed, kept
    expect(page.get_by_label("March")).to_have_value("-5")
    expect(page.get_by_label("March")).to_be_focused()
    page.get_by_label("March").fill("1.2k")
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"Revenue {year} saved: 12 months recorded.")).to_be_visible()
    cells = page.locator(f"#revenue-{year} td")
    expect(cells.nth(0)).to_have_text("100")
    expect(cells.nth(2)).to_have_text("1,200")
    expect(cells.nth(11)).to_have_text("210")
    total = sum(100 + 10 * n for n in range(12)) - 120 + 1200
    expect(cells.nth(12)).to_have_text(f"{total:,}")
    expect(page.locator("#revenue-form")).to_have_count(0)
    assert not errors
