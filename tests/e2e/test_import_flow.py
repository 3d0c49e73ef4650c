"""A manager brings accounts in from a spreadsheet: uploads it, reads the dry run's
report, fixes the file, applies it and finds the accounts in the list."""

import re

from playwright.sync_api import Page, expect

from accounts_app.models import Account, User
from demo.factories import UserFactory

FILE = (
    "Id,Name,ParentId,Industry,AnnualRevenue,BillingCountry\n"
    "SF-1,Kestrel Group,,Manufacturing,4.2M,Germany\n"
    'SF-2,Kestrel Rail,SF-1,Manufacturing,"1,250,000",Atlantis\n'
)


def test_a_manager_imports_fixes_and_applies_a_salesforce_export(
    page: Page, live_server, sign_in, tmp_path
):
    manager = UserFactory(username="maya", first_name="Maya", role=User.Role.MANAGER)
    sign_in(manager)
    page.get_by_role("link", name="Import").first.click()
    expect(page.get_by_role("heading", name="Bring your accounts in")).to_be_visible()
    expect(page.get_by_text("No import yet")).to_be_visible()

    bad = tmp_path / "salesforce-accounts.csv"
    bad.write_text(FILE)
    page.get_by_label("What the file holds").select_option("accounts")
    page.get_by_label("Exported from").select_option("salesforce")
    page.get_by_label(re.compile(r"^File")).set_input_files(str(bad))
    page.get_by_role("button", name="Upload and match columns").click()

    # The preset matched Salesforce's columns; the person confirms.
    expect(page.get_by_role("heading", name=re.compile("Match the columns"))).to_be_visible()
    expect(page.get_by_label("BillingCountry")).to_have_value("region")
    expect(page.get_by_label("ParentId")).to_have_value("parent")
    page.get_by_role("button", name="Check the file (dry run)").click()

    # The job runs inline in this test server; with a worker the page polls until done.
    expect(page.get_by_role("heading", name=re.compile("1 bad row"))).to_be_visible()
    problem = page.locator("table.data tbody tr").first
    expect(problem).to_contain_text("3")
    expect(problem).to_contain_text("BillingCountry")
    expect(problem).to_contain_text("Atlantis")
    assert not Account.objects.filter(external_id__startswith="SF-").exists()

    fixed = tmp_path / "salesforce-accounts-fixed.csv"
    fixed.write_text(FILE.replace("Atlantis", "Netherlands"))
    page.get_by_label(re.compile(r"^File")).set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check again").click()
    # The mapping is remembered for the kind.
    expect(page.get_by_label("BillingCountry")).to_have_value("region")
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run: the file is clean")).to_be_visible()
    page.get_by_role("button", name="Import 2 records").click()

    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    page.get_by_role("link", name="See the accounts").click()
    expect(page.get_by_role("link", name="Kestrel Group", exact=True)).to_be_visible()
    rail = page.locator("#results tbody tr").filter(
        has=page.get_by_role("link", name="Kestrel Rail", exact=True)
    )
    expect(rail).to_contain_text("Western Europe")
    expect(rail).to_contain_text("€1,250,000")
    imported = Account.objects.get(external_id="SF-2")
    assert imported.parent.name == "Kestrel Group" and imported.owner == manager
