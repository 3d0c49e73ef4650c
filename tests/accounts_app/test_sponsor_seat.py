"""The executive sponsor's seat reads and comments, it does not write (docs/decisions.md):
whoever holds it sees the account, its plan and its API records, comments on the plan,
and is refused every change — on the pages and in the API. An executive in any other
seat changes the account like the rest of the team (DESIGN §1: "unless on a team")."""

import pytest
from django.urls import reverse

from accounts_app.models import Contact, TeamMember
from demo.factories import TeamMemberFactory, UserFactory
from plans.models import PlanComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsor(account, executive):
    """`exec`, an executive by role, on the team as its executive sponsor."""
    TeamMemberFactory(account=account, user=executive, role=TeamMember.Role.EXECUTIVE_SPONSOR)
    return executive


def test_a_sponsor_sees_the_account_and_its_plan(client_for, api_for, sponsor, account, plan):
    assert client_for(sponsor).get(reverse("accounts:detail", args=[account.pk])).status_code == 200
    assert client_for(sponsor).get(reverse("account_plan", args=[account.pk])).status_code == 200
    assert api_for(sponsor).get(f"/api/v1/accounts/{account.pk}/").status_code == 200
    assert api_for(sponsor).get(f"/api/v1/plans/{plan.pk}/").status_code == 200


def test_a_sponsor_comments_on_the_plan(client_for, sponsor, plan):
    response = client_for(sponsor).post(
        reverse("plans:comment_add", args=[plan.pk]),
        {"text": "Let us meet their CFO before the renewal.", "section": "general"},
    )
    assert response.status_code == 302
    assert PlanComment.objects.filter(plan=plan, author=sponsor).exists()


def test_a_sponsor_changes_nothing_on_the_pages(client_for, sponsor, account):
    client = client_for(sponsor)
    add_contact = reverse("accounts:contact_create", args=[account.pk])
    assert client.get(add_contact).status_code == 403
    assert client.post(add_contact, {"name": "New Person"}).status_code == 403
    assert client.get(reverse("accounts:edit", args=[account.pk])).status_code == 403
    assert not Contact.objects.filter(name="New Person").exists()


def test_a_sponsor_changes_nothing_in_the_api(api_for, sponsor, account, plan):
    api = api_for(sponsor)
    renamed = api.patch(f"/api/v1/accounts/{account.pk}/", {"name": "Hijacked"}, format="json")
    assert renamed.status_code == 403
    contact = api.post(
        "/api/v1/contacts/", {"account": account.pk, "name": "New Person"}, format="json"
    )
    assert contact.status_code == 403
    plan_edit = api.patch(
        f"/api/v1/plans/{plan.pk}/", {"version": 1, "overview": "Mine now"}, format="json"
    )
    assert plan_edit.status_code == 403
    account.refresh_from_db()
    plan.refresh_from_db()
    assert account.name == "Acme Industrial" and plan.overview != "Mine now"


def test_the_seat_not_the_person_decides(api_for, account):
    """A team member by role, seated as sponsor, reads only too."""
    user = UserFactory(username="sam")
    TeamMemberFactory(account=account, user=user, role=TeamMember.Role.EXECUTIVE_SPONSOR)
    response = api_for(user).patch(f"/api/v1/accounts/{account.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 403


def test_an_executive_in_a_working_seat_changes_the_account(api_for, executive, account):
    TeamMemberFactory(account=account, user=executive, role=TeamMember.Role.SALES)
    response = api_for(executive).patch(
        f"/api/v1/accounts/{account.pk}/", {"name": "Acme Renamed"}, format="json"
    )
    assert response.status_code == 200, response.content
