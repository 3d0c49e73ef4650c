"""The admin site: every model's pages open for an admin, and its forms validate."""

import pytest
from django.urls import reverse

from accounts_app.models import Account, Contact
from demo.factories import (
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
    industry_entry,
    region_entry,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "user",
    "account",
    "businessunit",
    "contact",
    "teammember",
    "relationship",
    "interaction",
    "accountsnapshot",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_add_pages_open(client_for, admin_user, account, model):
    RelationshipFactory(contact=ContactFactory(account=account))
    InteractionFactory(account=account)
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:accounts_app_{model}_changelist")).status_code == 200
    if model != "accountsnapshot":
        assert client.get(reverse(f"admin:accounts_app_{model}_add")).status_code == 200


@pytest.mark.parametrize("role", ["owner", "executive", "manager"])
def test_admin_is_closed_to_everyone_but_staff(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_refuses_a_reporting_loop(client_for, admin_user, account):
    boss = ContactFactory(account=account, name="Bea Boss")
    report = ContactFactory(account=account, name="Ray Report", reports_to=boss)
    response = client_for(admin_user).post(
        reverse("admin:accounts_app_contact_change", args=[boss.pk]),
        {
            "account": account.pk,
            "name": "Bea Boss",
            "reports_to": report.pk,
            "level": "executive",
            "buying_role": "decision_maker",
            "attitude": "neutral",
        },
    )
    assert response.status_code == 200
    assert "This would create a reporting loop." in response.text
    boss.refresh_from_db()
    assert boss.reports_to is None


def test_admin_refuses_a_relationship_with_someone_off_the_team(
    client_for, admin_user, account, outsider
):
    contact = ContactFactory(account=account)
    response = client_for(admin_user).post(
        reverse("admin:accounts_app_relationship_add"),
        {"contact": contact.pk, "user": outsider.pk, "strength": 2},
    )
    assert response.status_code == 200
    assert "Only members of the account team can hold a relationship." in response.text
    assert not Contact.objects.get(pk=contact.pk).relationships.exists()


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def test_the_owner_set_on_the_team_in_the_admin_becomes_the_accounts_owner(
    client_for, admin_user, teammate
):
    response = client_for(admin_user).post(
        reverse("admin:accounts_app_account_add"),
        {
            "name": "Admin Made Ltd",
            "industry": industry_entry("energy").pk,
            "region": region_entry("asia_pacific").pk,
            "lifecycle_stage": "mature",
            "annual_revenue": "10",
            "strategic_value": "3",
            **_inline("business_units", []),
            **_inline("team_members", [{"user": teammate.pk, "role": "owner"}]),
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    account = Account.objects.get(name="Admin Made Ltd")
    assert account.owner == teammate


def test_removing_the_owner_in_the_admin_leaves_no_stale_owner(client_for, admin_user, account):
    member = account.team_members.get(role="owner")
    response = client_for(admin_user).post(
        reverse("admin:accounts_app_teammember_delete", args=[member.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.owner is None


def test_people_are_deactivated_never_deleted(client_for, admin_user, teammate, account):
    from django.db.models import ProtectedError

    client = client_for(admin_user)
    listing = client.get(reverse("admin:accounts_app_user_changelist"))
    assert "delete_selected" not in listing.text
    change = client.get(reverse("admin:accounts_app_user_change", args=[teammate.pk]))
    assert reverse("admin:accounts_app_user_delete", args=[teammate.pk]) not in change.text
    assert (
        client.get(reverse("admin:accounts_app_user_delete", args=[teammate.pk])).status_code == 403
    )
    with pytest.raises(ProtectedError):
        teammate.delete()
    assert account.team_members.filter(user=teammate).exists()
