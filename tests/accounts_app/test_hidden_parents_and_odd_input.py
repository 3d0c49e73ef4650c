"""Edges found in review: the name of a group account the user may not see, odd ids and
sorts, one URL answering page or fragment, and pages whose queries must not grow."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts_app.models import Account
from demo.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.fixture
def hidden_group(outsider):
    group = Account.objects.get(owner=outsider)
    group.name = "Secret Holdings"
    group.save()
    return group


@pytest.fixture
def subsidiary(owner, hidden_group):
    return AccountFactory(name="Acme Rail", owner=owner, parent=hidden_group)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_hidden_group_is_named_nowhere_on_the_subsidiarys_pages(client_for, owner, subsidiary):
    client = client_for(owner)
    for url in (
        reverse("accounts:list"),
        reverse("accounts:detail", args=[subsidiary.pk]),
        reverse("accounts:contacts", args=[subsidiary.pk]),
        reverse("accounts:edit", args=[subsidiary.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Secret Holdings" not in response.text, url
    assert (
        "The current group account (not visible to you)"
        in client.get(reverse("accounts:edit", args=[subsidiary.pk])).text
    )
    pdf = client.get(reverse("accounts:one_pager", args=[subsidiary.pk])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Acme Rail" in text
    assert "Secret Holdings" not in text


def test_a_visible_group_is_named(client_for, owner, account):
    child = AccountFactory(name="Acme Rail", owner=owner, parent=account)
    client = client_for(owner)
    assert "part of Acme Industrial" in client.get(reverse("accounts:list")).text
    assert (
        f'href="/accounts/{account.pk}/">Acme Industrial</a>'
        in client.get(reverse("accounts:detail", args=[child.pk])).text
    )


def test_search_does_not_match_the_name_of_a_hidden_group(client_for, owner, subsidiary):
    response = client_for(owner).get(reverse("accounts:list"), {"q": "Secret"})
    assert list(response.context["page"]) == []
    response = client_for(owner).get(reverse("accounts:list"), {"q": "Rail"})
    assert [a.name for a in response.context["page"]] == ["Acme Rail"]


def test_the_api_takes_back_what_it_gave_for_a_hidden_parent(owner, subsidiary, hidden_group):
    client = api(owner)
    body = client.get(f"/api/v1/accounts/{subsidiary.pk}/").json()
    assert body["parent"] == hidden_group.pk
    response = client.put(f"/api/v1/accounts/{subsidiary.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    subsidiary.refresh_from_db()
    assert subsidiary.parent == hidden_group
    other_hidden = AccountFactory(name="Another Secret")
    response = client.patch(
        f"/api/v1/accounts/{subsidiary.pk}/", {"parent": other_hidden.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/contacts/?account={HUGE}",
        f"/api/v1/relationships/?account={HUGE}",
        f"/api/v1/team-members/?user={HUGE}",
        f"/api/v1/business-units/?account={HUGE}",
        f"/api/v1/users/?manager={HUGE}",
        f"/api/v1/accounts/?parent={HUGE}",
        "/api/v1/contacts/?account=-3",
        "/api/v1/contacts/?account=abc",
    ],
)
def test_an_id_out_of_range_is_a_400_not_a_500(owner, account, url):
    response = api(owner).get(url)
    assert response.status_code == 400
    assert response.json()  # field errors, as JSON


def test_the_accounts_list_shows_an_error_for_an_id_out_of_range(client_for, owner, account):
    response = client_for(owner).get(reverse("accounts:list"), {"parent": HUGE})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to" in response.text


@pytest.mark.parametrize(
    "params", [{"sort": "contacts"}, {"sort": "-contacts"}, {"ordering": "-contact_count"}]
)
def test_the_api_sorts_accounts_by_contact_count(owner, account, params):
    ContactFactory.create_batch(2, account=account)
    response = api(owner).get("/api/v1/accounts/", params)
    assert response.status_code == 200


def test_page_and_fragment_answers_vary_on_the_htmx_header(client_for, owner, account):
    client = client_for(owner)
    for url in (reverse("accounts:list"), reverse("accounts:contacts", args=[account.pk])):
        assert "HX-Request" in client.get(url)["Vary"]


def test_a_relationship_cannot_have_its_last_interaction_in_the_future(owner, contact):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api(owner).post(
        "/api/v1/relationships/",
        {"contact": contact.pk, "user": owner.pk, "strength": 2, "last_interaction": tomorrow},
        format="json",
    )
    assert response.status_code == 400
    assert "last_interaction" in response.json()


def test_overview_queries_do_not_grow_with_subsidiaries(
    client_for, owner, account, django_assert_max_num_queries
):
    client = client_for(owner)
    AccountFactory(name="Child 0", owner=owner, parent=account)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:detail", args=[account.pk]))
    for i in range(1, 12):
        AccountFactory(name=f"Child {i}", owner=owner, parent=account)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("accounts:detail", args=[account.pk]))
    assert "Child 11" in response.text
