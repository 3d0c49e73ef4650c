"""API v1 `interactions/`: the log read by whoever sees the account, written by its team
through the same services as the Interactions tab (PUT and PATCH included), bad input a
400 with field errors and nothing changed, outsiders a 404."""

import datetime

import pytest
from django.utils import timezone

from accounts_app.models import Account, Interaction
from demo.factories import (
    AccountFactory,
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/interactions/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def detail(interaction) -> str:
    return f"{LIST}{interaction.pk}/"


@pytest.fixture
def dan(account):
    return ContactFactory(account=account, name="Dan Director")


@pytest.fixture
def logged(account, contact, owner):
    """A meeting with Carla, four days ago, the owner from our side."""
    interaction = InteractionFactory(
        account=account, kind="meeting", date=days_ago(4), subject="Kick-off", created_by=owner
    )
    interaction.contacts.set([contact])
    interaction.team_users.set([owner])
    return interaction


def test_the_team_reads_the_log_with_its_people(api_for, owner, logged, contact):
    response = api_for(owner).get(LIST, {"account": logged.account_id})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row == {
        "id": logged.pk,
        "account": logged.account_id,
        "kind": "meeting",
        "date": days_ago(4).isoformat(),
        "subject": "Kick-off",
        "note": "",
        "contacts": [contact.pk],
        "team_users": [owner.pk],
        "created_by": owner.pk,
        "created_at": row["created_at"],
    }


def test_the_list_filters_by_kind_contact_and_team_user(api_for, owner, teammate, logged, dan):
    call = InteractionFactory(account=logged.account, kind="call")
    call.contacts.set([dan])
    call.team_users.set([teammate])
    api = api_for(owner)

    def ids(**params):
        return [row["id"] for row in api.get(LIST, params).json()["results"]]

    assert ids(kind="call") == [call.pk]
    assert ids(contact=dan.pk) == [call.pk]
    assert ids(team_user=owner.pk) == [logged.pk]
    assert api.get(LIST, {"contact": "abc"}).status_code == 400


def test_post_logs_one_and_moves_the_last_interaction(api_for, owner, account, contact):
    relationship = RelationshipFactory(contact=contact, user=owner, last_interaction=None)
    response = api_for(owner).post(
        LIST,
        {
            "account": account.pk,
            "date": days_ago(1).isoformat(),
            "subject": "Call back",
            "contacts": [contact.pk],
            "team_users": [owner.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert (interaction.kind, interaction.created_by) == ("meeting", owner)
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(1)


def test_patch_changes_only_what_it_sends(api_for, teammate, logged, contact, dan):
    relationship = RelationshipFactory(contact=dan, user=logged.created_by, last_interaction=None)
    response = api_for(teammate).patch(
        detail(logged), {"contacts": [contact.pk, dan.pk], "note": "Dan joined."}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["subject"], body["date"], body["note"]) == (
        "Kick-off",
        days_ago(4).isoformat(),
        "Dan joined.",
    )
    assert sorted(body["contacts"]) == sorted([contact.pk, dan.pk])
    logged.refresh_from_db()
    assert logged.note == "Dan joined."
    assert logged.history.first().history_user == teammate
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(4)


def test_put_replaces_it(api_for, owner, teammate, logged, dan):
    response = api_for(owner).put(
        detail(logged),
        {
            "account": logged.account_id,
            "kind": "call",
            "date": days_ago(2).isoformat(),
            "subject": "Pricing call",
            "note": "",
            "contacts": [dan.pk],
            "team_users": [teammate.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    logged.refresh_from_db()
    assert (logged.kind, logged.date, logged.subject) == ("call", days_ago(2), "Pricing call")
    assert list(logged.contacts.all()) == [dan]
    assert list(logged.team_users.all()) == [teammate]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"date": "tomorrow"}, "date"),
        ({"date": "1989-12-31"}, "date"),
        ({"date": "someday"}, "date"),
        ({"kind": "fax"}, "kind"),
        ({"contacts": []}, "contacts"),
        ({"contacts": "foreign_contact"}, "contacts"),
        ({"contacts": [999_999]}, "contacts"),
        ({"team_users": []}, "team_users"),
        ({"team_users": "stranger"}, "team_users"),
        ({"subject": "x" * 201}, "subject"),
        ({"account": "other_account"}, "account"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_changes_nothing(
    api_for, owner, logged, change, field
):
    other = AccountFactory(owner=UserFactory(username="elsewhere"))
    stand_ins = {
        "tomorrow": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "foreign_contact": [ContactFactory(account=other).pk],
        "stranger": [other.owner.pk],
        # Visible to the caller (their own) but not this interaction's account.
        "other_account": AccountFactory(owner=owner).pk,
    }
    ((key, value),) = change.items()
    sent = {key: stand_ins.get(value, value) if isinstance(value, str) else value}
    response = api_for(owner).patch(detail(logged), {"note": "Changed", **sent}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    logged.refresh_from_db()
    assert (logged.note, logged.date, logged.kind) == ("", days_ago(4), "meeting")
    assert not logged.history.filter(history_type="~").exists()


def test_put_without_the_people_is_a_400(api_for, owner, logged):
    response = api_for(owner).put(
        detail(logged),
        {"account": logged.account_id, "kind": "call", "date": days_ago(1).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"contacts", "team_users"}


@pytest.mark.parametrize("role", ["manager", "executive"])
def test_read_only_roles_read_but_get_403_on_writes(request, api_for, role, logged, contact):
    api = api_for(request.getfixturevalue(role))
    assert api.get(detail(logged)).status_code == 200
    assert api.patch(detail(logged), {"note": "x"}, format="json").status_code == 403
    assert api.delete(detail(logged)).status_code == 403
    created = api.post(
        LIST,
        {
            "account": logged.account_id,
            "date": days_ago(1).isoformat(),
            "contacts": [contact.pk],
            "team_users": [logged.created_by_id],
        },
        format="json",
    )
    assert created.status_code == 403
    assert Interaction.objects.count() == 1


def test_outsider_gets_404_and_sees_nothing(api_for, outsider, logged, contact):
    api = api_for(outsider)
    assert api.get(LIST).json()["results"] == []
    assert api.get(detail(logged)).status_code == 404
    assert api.patch(detail(logged), {"note": "x"}, format="json").status_code == 404
    assert api.put(detail(logged), {"note": "x"}, format="json").status_code == 404
    assert api.delete(detail(logged)).status_code == 404
    logged.refresh_from_db()
    assert logged.note == ""
    # Logging on an account they cannot see: its id does not exist for them.
    own = Account.objects.get(owner=outsider)
    response = api.post(
        LIST,
        {
            "account": logged.account_id,
            "date": days_ago(1).isoformat(),
            "contacts": [contact.pk],
            "team_users": [own.owner_id],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "account" in response.json()


def test_delete_removes_it_and_the_last_interaction_falls_back(api_for, owner, logged, contact):
    relationship = RelationshipFactory(contact=contact, user=owner, last_interaction=days_ago(4))
    assert api_for(owner).delete(detail(logged)).status_code == 204
    assert not Interaction.objects.exists()
    relationship.refresh_from_db()
    assert relationship.last_interaction is None
