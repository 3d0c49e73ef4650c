"""The contacts as a file: `contacts/export/` and the Contacts tab's Export links
(DESIGN §10): exactly the rows shown, formula-like text neutralised."""

import pytest
from django.urls import reverse

from accounts_app.models import Contact
from demo.factories import AccountFactory, BusinessUnitFactory, ContactFactory
from tests.export_files import export_links, rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/contacts/export/"


@pytest.fixture
def people(account, outsider):
    """Acme's contacts (one a boss, one named like a formula and more) and one of the
    outsider's account."""
    unit = BusinessUnitFactory(account=account, name="Procurement")
    boss = ContactFactory(
        account=account,
        name="Bea Boss",
        business_unit=unit,
        level=Contact.Level.EXECUTIVE,
        buying_role=Contact.BuyingRole.DECISION_MAKER,
    )
    for name in ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@x"]:
        ContactFactory(account=account, name=name, reports_to=boss, title="Clerk")
    other = AccountFactory(name="Elsewhere", owner=outsider)
    ContactFactory(account=other, name="Nina Elsewhere")
    return {"boss": boss, "unit": unit}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_account_filter_exports_exactly_its_contacts(
    api_for, owner, account, people, file_format
):
    exported = rows(api_for(owner).get(URL, {"account": account.pk, "file_format": file_format}))
    assert len(exported) == 5
    boss = next(r for r in exported if r["name"] == "Bea Boss")
    assert boss["business_unit"] == "Procurement"
    assert str(boss["business_unit_id"]) == str(people["unit"].pk)
    assert boss["level"] == "Executive"
    assert boss["buying_role"] == "Decision maker"
    assert boss["account"] == "Acme Industrial"
    assert str(boss["account_id"]) == str(account.pk)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_names_come_out_with_a_leading_quote(api_for, owner, people, file_format):
    names = {r["name"] for r in rows(api_for(owner).get(URL, {"file_format": file_format}))}
    assert {'\'=HYPERLINK("http://evil.example","x")', "'+1", "'-2", "'@x"} <= names
    assert "-2" not in names


def test_filters_by_choice_narrow_the_file(api_for, owner, people):
    exported = rows(api_for(owner).get(URL, {"level": "executive", "file_format": "xlsx"}))
    assert [r["name"] for r in exported] == ["Bea Boss"]
    reports = rows(api_for(owner).get(URL, {"reports_to": people["boss"].pk}))
    assert {r["reports_to"] for r in reports} == {"Bea Boss"}


def test_an_outsider_exports_none_of_the_account_s_contacts(api_for, outsider, account, people):
    assert rows(api_for(outsider).get(URL, {"account": account.pk})) == []
    names = [r["name"] for r in rows(api_for(outsider).get(URL))]
    assert names == ["Nina Elsewhere"]


def test_anonymous_and_a_bad_format_are_refused(client, api_for, owner, people):
    assert client.get(URL).status_code in (401, 403)
    assert api_for(owner).get(URL, {"file_format": "ods"}).status_code == 400


def test_the_queries_do_not_grow_with_the_rows(
    api_for, owner, account, people, django_assert_max_num_queries
):
    for _ in range(10):
        ContactFactory(account=account, business_unit=people["unit"], reports_to=people["boss"])
    with django_assert_max_num_queries(6):
        assert len(rows(api_for(owner).get(URL, {"file_format": "xlsx"}))) == 15


# --- The Contacts tab ---


def test_the_tabs_export_links_carry_its_search(client_for, owner, account, people):
    client = client_for(owner)
    tab = client.get(reverse("accounts:contacts", args=[account.pk]), {"q": "boss"})
    links = export_links(tab)
    assert links["csv"].startswith(reverse("accounts:contacts_export", args=[account.pk]))
    assert "q=boss" in links["xlsx"]
    assert [r["name"] for r in rows(client.get(links["xlsx"]))] == ["Bea Boss"]


def test_the_tabs_export_is_every_contact_the_tab_lists(client_for, owner, account, people):
    client = client_for(owner)
    url = reverse("accounts:contacts_export", args=[account.pk])
    exported = [r["name"] for r in rows(client.get(url, {"file_format": "csv"}))]
    tab = client.get(reverse("accounts:contacts", args=[account.pk]))
    assert exported == [_neutral(c.name) for c in tab.context["page"].object_list]


def _neutral(name):
    return "'" + name if name[0] in "=+-@" else name


def test_the_tabs_export_of_an_account_one_may_not_see_is_a_404(client_for, outsider, account):
    url = reverse("accounts:contacts_export", args=[account.pk])
    assert client_for(outsider).get(url).status_code == 404


def test_the_tabs_export_refuses_an_unknown_format(client_for, owner, account, people):
    url = reverse("accounts:contacts_export", args=[account.pk])
    response = client_for(owner).get(url, {"file_format": "pdf"})
    assert response.status_code == 400
    assert "csv, xlsx" in response.content.decode()


def test_the_tabs_export_asks_anonymous_to_sign_in(client, account):
    response = client.get(reverse("accounts:contacts_export", args=[account.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
