"""The plans as a file: `plans/export/` (the API list's filters) and the plans page's
Export links (the page's own filters and sort), DESIGN §10."""

import pytest
from django.urls import reverse

from demo.factories import AccountFactory, PlanFactory
from plans.models import Plan
from tests.export_files import export_links, rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/export/"


@pytest.fixture
def plans(owner, account, outsider):
    """Acme's FY2027 plan (a draft) and Borealis's (approved), and the outsider's."""
    acme = PlanFactory(account=account, by=owner, period=2027)
    borealis = PlanFactory(
        account=AccountFactory(name="Borealis Foods", owner=owner), by=owner, period=2027
    )
    Plan.objects.filter(pk=borealis.pk).update(status=Plan.Status.APPROVED)
    hidden = AccountFactory(name="Hidden", owner=outsider)
    PlanFactory(account=hidden, by=outsider, period=2027)
    return {"acme": acme, "borealis": borealis}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_status_filter_exports_exactly_those_plans(api_for, owner, plans, file_format):
    exported = rows(api_for(owner).get(URL, {"status": "approved", "file_format": file_format}))
    assert [(r["account"], r["status"]) for r in exported] == [("Borealis Foods", "Approved")]
    assert str(exported[0]["id"]) == str(plans["borealis"].pk)
    assert str(exported[0]["period"]) == "2027"
    assert exported[0]["account_owner"] == "Olivia Owner"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_account_filter_exports_its_plans(api_for, owner, account, plans, file_format):
    exported = rows(api_for(owner).get(URL, {"account": account.pk, "file_format": file_format}))
    assert [r["account"] for r in exported] == ["Acme Industrial"]


def test_an_outsider_exports_only_their_plans(api_for, outsider, plans):
    assert [r["account"] for r in rows(api_for(outsider).get(URL))] == ["Hidden"]


def test_anonymous_and_a_bad_format_are_refused(client, api_for, owner, plans):
    assert client.get(URL).status_code in (401, 403)
    assert api_for(owner).get(URL, {"file_format": "xls"}).status_code == 400


def test_the_queries_do_not_grow_with_the_rows(
    api_for, owner, plans, django_assert_max_num_queries
):
    for _ in range(8):
        PlanFactory(account=AccountFactory(owner=owner), by=owner, period=2027)
    with django_assert_max_num_queries(6):
        assert len(rows(api_for(owner).get(URL, {"file_format": "xlsx"}))) == 10


# --- The plans page ---


def test_the_pages_export_links_carry_its_filters_and_sort(client_for, owner, plans):
    client = client_for(owner)
    page = client.get(reverse("plans:list"), {"status": "draft", "sort": "account"})
    links = export_links(page)
    assert links["xlsx"].startswith(reverse("plans:export") + "?")
    assert "status=draft" in links["xlsx"] and "sort=account" in links["xlsx"]
    assert [r["account"] for r in rows(client.get(links["xlsx"]))] == ["Acme Industrial"]


def test_the_pages_export_uses_the_pages_own_filters(client_for, owner, plans):
    # "q" searches the account's name on the page; the API's list knows no "q".
    client = client_for(owner)
    url = reverse("plans:export")
    assert [r["account"] for r in rows(client.get(url, {"q": "borea"}))] == ["Borealis Foods"]
    everything = rows(client.get(url, {"sort": "account"}))
    page = client.get(reverse("plans:list"), {"sort": "account"})
    assert [r["account"] for r in everything] == [
        p.account.name for p in page.context["page"].object_list
    ]


def test_the_pages_export_is_scoped_and_checked(client, client_for, outsider, plans):
    url = reverse("plans:export")
    assert client.get(url).status_code == 302  # to the login page
    signed_in = client_for(outsider)
    assert [r["account"] for r in rows(signed_in.get(url))] == ["Hidden"]
    assert signed_in.get(url, {"file_format": "pdf"}).status_code == 400
