"""The account one-pager, rendered by WeasyPrint and read back."""

import io

import pytest
from pypdf import PdfReader

from core.pdf import BASE_URL, StaticOnlyURLFetcher, html_to_pdf
from demo.factories import (
    BusinessUnitFactory,
    ContactFactory,
    TeamMemberFactory,
    TierAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_one_pager_lists_the_accounts_contacts(client_for, teammate, account):
    unit = BusinessUnitFactory(account=account, name="Plant Operations")
    ContactFactory(account=account, name="Ingrid Holm", title="COO", business_unit=unit)
    ContactFactory(account=account, name="Rafael Ortiz", title="Buyer")

    response = client_for(teammate).get(f"/accounts/{account.pk}/one-pager.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="acme-industrial-one-pager.pdf"' in response["Content-Disposition"]
    text, pages = _text(response.content)
    assert pages == 1
    assert "Acme Industrial" in text
    for expected in ("Ingrid Holm", "COO", "Plant Operations", "Rafael Ortiz", "Buyer"):
        assert expected in text
    assert "Not segmented yet" in text  # no segmentation run has placed it yet
    assert "Olivia Owner" in text  # the owner, from the team
    assert "Page 1 of 1" in text  # the footer, so the stylesheet was fetched and applied


def test_one_pager_names_the_accounts_tier(client_for, owner, account, seeded_tiers):
    """Issue 18: a Tier I account's one-pager said "Not segmented yet"."""
    TierAssignmentFactory(account=account, tier=seeded_tiers[0])
    text, _ = _text(client_for(owner).get(f"/accounts/{account.pk}/one-pager.pdf").content)
    assert "Tier I" in text and "Not segmented yet" not in text


def test_one_pager_of_a_well_covered_account_fits_on_one_page(client_for, owner, account):
    """Issue 18: the demo's larger accounts (14 contacts, 4 on the team, long titles) ran
    onto a second page holding a row or two, or only the "Generated ..." line."""
    account.strategic_value_reason = "Flagship account: strategic partnership and roadmap."
    account.save()
    for i in range(2):
        TeamMemberFactory(account=account, user=UserFactory(username=f"extra{i}"))
    units = [
        BusinessUnitFactory(account=account, name=f"Manufacturing Operations {i}") for i in range(4)
    ]
    for i in range(15):
        ContactFactory(
            account=account,
            name=f"Valentina Kapoor-{i:02d}",
            title="Head of Digital Transformation and Infrastructure",
            business_unit=units[i % 4],
            buying_role="decision_maker",
        )
    content = client_for(owner).get(f"/accounts/{account.pk}/one-pager.pdf").content
    text, pages = _text(content)
    assert pages == 1
    assert "Kapoor-14" in text and "Page 1 of 1" in text
    assert "generated" in text and "for Olivia Owner" in text  # in the footer


def test_one_pager_of_a_large_account_runs_over_pages_with_every_contact(
    client_for, owner, account
):
    names = [f"Contact Number {i:03d}" for i in range(90)]
    for name in names:
        ContactFactory(account=account, name=name)
    text, pages = _text(client_for(owner).get(f"/accounts/{account.pk}/one-pager.pdf").content)
    assert pages >= 2
    assert all(name in text for name in names)
    assert f"Page {pages} of {pages}" in text


def test_one_pager_is_404_for_an_outsider(client_for, outsider, account):
    assert client_for(outsider).get(f"/accounts/{account.pk}/one-pager.pdf").status_code == 404


def test_the_executive_may_download_any_one_pager(client_for, executive, account):
    response = client_for(executive).get(f"/accounts/{account.pk}/one-pager.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        f"{BASE_URL}static/../../../etc/passwd",
        f"{BASE_URL}media/secret.txt",
        "https://strata.pdf.evil.example/static/css/pdf.css",
    ],
)
def test_pdf_fetcher_refuses_anything_but_data_and_static(url):
    with pytest.raises(ValueError):
        StaticOnlyURLFetcher().fetch(url)


def test_pdf_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(f"{BASE_URL}static/css/pdf.css")
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_a_document_linking_outside_still_renders_without_fetching():
    text, pages = _text(
        html_to_pdf(
            '<link rel="stylesheet" href="file:///etc/passwd">'
            '<img src="http://169.254.169.254/latest/meta-data/">'
            "<p>Still here</p>"
        )
    )
    assert "Still here" in text
    assert "root:" not in text
