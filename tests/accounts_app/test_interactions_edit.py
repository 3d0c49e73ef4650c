"""Editing a logged interaction: the service (the rules of logging one, the team's
last-met dates following the new date and people, the history with its actor), the
Edit form in the Interactions tab (pre-filled, a refused save kept as typed, the list's
filters kept) and who may edit."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts_app import services
from accounts_app.models import Account, AccountSnapshot, Interaction, TeamMember
from demo.factories import (
    AccountFactory,
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
    UserFactory,
)
from tests.accounts_app import test_interactions
from tests.accounts_app.test_interactions import (
    HTMX,
    HTMX_FORM,
    checkboxes,
    days_ago,
    field_errors,
    interaction_post,
    log,
    today,
)

pytestmark = pytest.mark.django_db

# The fixture of the log's tests: an account with Carla and Dan, its owner and teammate.
cast = test_interactions.cast


def edit_url(cast, interaction) -> str:
    return reverse("accounts:interaction_edit", args=[cast.account.pk, interaction.pk])


def list_url(cast) -> str:
    return reverse("accounts:interactions", args=[cast.account.pk])


def edit(cast, interaction, *, by=None, **changes):
    """Edit through the service with the interaction's values, `changes` applied."""
    values = {
        "kind": interaction.kind,
        "on": interaction.date,
        "contacts": list(interaction.contacts.all()),
        "team_users": list(interaction.team_users.all()),
        "subject": interaction.subject,
        "note": interaction.note,
    }
    values.update(changes)
    return services.interaction_update(interaction=interaction, by=by or cast.owner, **values)


def last_interaction(contact, user) -> datetime.date | None:
    return contact.relationships.get(user=user).last_interaction


# --- the service: what it changes -----------------------------------------------------------


def test_edit_changes_the_fields_and_the_people(cast):
    interaction = log(cast, subject="Kick-off", note="First note")
    edit(
        cast,
        interaction,
        kind="call",
        on=days_ago(2),
        subject="Kick-off call",
        note="",
        contacts=[cast.dan],
        team_users=[cast.owner, cast.teammate],
    )
    interaction = Interaction.objects.get()
    assert (interaction.kind, interaction.date, interaction.subject, interaction.note) == (
        "call",
        days_ago(2),
        "Kick-off call",
        "",
    )
    assert list(interaction.contacts.all()) == [cast.dan]
    assert set(interaction.team_users.all()) == {cast.owner, cast.teammate}
    assert interaction.created_by == cast.owner  # who logged it stays


def test_edit_is_in_the_history_with_its_actor_and_the_old_values(cast):
    interaction = log(cast, subject="Kick-off", by=cast.owner)
    edit(cast, interaction, by=cast.teammate, subject="Kick-off with procurement")
    changed, created = interaction.history.order_by("-history_id")[:2]
    assert (changed.history_type, changed.history_user) == ("~", cast.teammate)
    assert (created.subject, changed.subject) == ("Kick-off", "Kick-off with procurement")
    assert changed.history_account_id == cast.account.pk


def test_a_change_of_people_only_is_in_the_history_too(cast):
    interaction = log(cast)
    edit(cast, interaction, by=cast.teammate, contacts=[cast.carla, cast.dan])
    assert interaction.history.count() == 2
    assert interaction.history.first().history_user == cast.teammate


def test_saving_what_is_there_writes_nothing(cast, django_capture_on_commit_callbacks):
    interaction = log(cast)
    with django_capture_on_commit_callbacks() as callbacks:
        edit(cast, interaction)
    assert interaction.history.count() == 1
    assert callbacks == []


# --- the service: the team's last-met dates -------------------------------------------------


def test_a_later_date_moves_the_pairs_forward(cast):
    RelationshipFactory(contact=cast.carla, user=cast.owner, last_interaction=None)
    interaction = log(cast, on=days_ago(10))
    edit(cast, interaction, on=days_ago(1))
    assert last_interaction(cast.carla, cast.owner) == days_ago(1)


def test_an_earlier_date_falls_back_to_the_latest_interaction_of_the_pair(cast):
    RelationshipFactory(contact=cast.carla, user=cast.owner)
    log(cast, on=days_ago(7))
    interaction = log(cast, on=days_ago(2))
    assert last_interaction(cast.carla, cast.owner) == days_ago(2)
    edit(cast, interaction, on=days_ago(20))
    assert last_interaction(cast.carla, cast.owner) == days_ago(7)
    edit(cast, interaction, on=days_ago(5))  # now the pair's latest again
    assert last_interaction(cast.carla, cast.owner) == days_ago(5)


def test_a_contact_taken_off_falls_back_and_one_added_moves_forward(cast):
    RelationshipFactory(contact=cast.carla, user=cast.owner)
    RelationshipFactory(contact=cast.dan, user=cast.owner, last_interaction=days_ago(30))
    log(cast, on=days_ago(9), contacts=[cast.carla])
    interaction = log(cast, on=days_ago(3), contacts=[cast.carla])
    edit(cast, interaction, contacts=[cast.dan])
    assert last_interaction(cast.carla, cast.owner) == days_ago(9)
    assert last_interaction(cast.dan, cast.owner) == days_ago(3)


def test_a_team_member_taken_off_has_no_last_interaction_left(cast):
    RelationshipFactory(contact=cast.carla, user=cast.teammate)
    interaction = log(cast, team_users=[cast.owner, cast.teammate])
    assert last_interaction(cast.carla, cast.teammate) == today()
    edit(cast, interaction, team_users=[cast.owner])
    assert last_interaction(cast.carla, cast.teammate) is None


def test_a_later_date_typed_by_hand_is_kept(cast):
    relationship = RelationshipFactory(contact=cast.carla, user=cast.owner)
    interaction = log(cast, on=days_ago(10))
    services.relationship_update(
        relationship=relationship, by=cast.owner, last_interaction=days_ago(1)
    )
    edit(cast, interaction, on=days_ago(20))
    assert last_interaction(cast.carla, cast.owner) == days_ago(1)


def test_an_edit_recomputes_the_account(cast, django_capture_on_commit_callbacks):
    """The account's snapshot (last interaction, health's engagement) follows the edit."""
    interaction = log(cast, on=days_ago(10))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        edit(cast, interaction, on=days_ago(4))
    assert len(callbacks) == 1
    assert AccountSnapshot.objects.get(account=cast.account).last_interaction == days_ago(4)


# --- the service: the rules of logging one --------------------------------------------------


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"contacts": "nobody"}, "contacts"),
        ({"contacts": "foreign_contact"}, "contacts"),
        ({"team_users": "stranger"}, "team_users"),
        ({"on": "tomorrow"}, "date"),
        ({"on": datetime.date(1989, 12, 31)}, "date"),
        ({"kind": "fax"}, "kind"),
    ],
)
def test_edit_follows_the_rules_of_logging_and_changes_nothing(cast, changes, field):
    relationship = RelationshipFactory(contact=cast.carla, user=cast.owner)
    interaction = log(cast, on=days_ago(3), subject="As logged")
    other = AccountFactory(owner=UserFactory(username="elsewhere"))
    stand_ins = {
        "nobody": [],
        "foreign_contact": [ContactFactory(account=other)],
        "stranger": [other.owner],
        "tomorrow": today() + datetime.timedelta(days=1),
    }
    (key, value) = next(iter(changes.items()))
    with pytest.raises(ValidationError) as exc:
        edit(cast, interaction, subject="Changed", **{key: stand_ins.get(value, value)})
    assert set(exc.value.message_dict) == {field}
    interaction = Interaction.objects.get()
    assert (interaction.subject, interaction.date) == ("As logged", days_ago(3))
    assert list(interaction.contacts.all()) == [cast.carla]
    assert interaction.history.count() == 1
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(3)


def test_someone_who_left_the_team_may_stay_on_it_but_not_be_added(cast):
    interaction = log(cast, team_users=[cast.owner, cast.teammate])
    other = log(cast, team_users=[cast.owner])
    services.team_member_remove(
        member=TeamMember.objects.get(account=cast.account, user=cast.teammate), by=cast.owner
    )
    edit(cast, interaction, subject="Still true: Tom was there")
    assert set(interaction.team_users.all()) == {cast.owner, cast.teammate}
    with pytest.raises(ValidationError) as exc:
        edit(cast, other, team_users=[cast.owner, cast.teammate])
    assert exc.value.message_dict == {"team_users": ["Choose members of the account team."]}


# --- the Edit form --------------------------------------------------------------------------


def test_the_list_offers_edit_for_each_interaction_with_the_filters(client_for, cast):
    call = log(cast, kind="call")
    response = client_for(cast.owner).get(list_url(cast), {"kind": "call"})
    assert f'href="{edit_url(cast, call)}?kind=call"' in response.text
    assert 'Edit<span class="visually-hidden"> the call of' in response.text


def test_the_form_is_filled_with_the_interaction(client_for, cast):
    interaction = log(
        cast,
        kind="call",
        on=days_ago(4),
        subject="Pricing call",
        note="They want volume tiers.",
        contacts=[cast.dan],
        team_users=[cast.teammate],
    )
    response = client_for(cast.owner).get(edit_url(cast, interaction))
    assert response.status_code == 200
    text = response.text
    assert f"Edit the call of {days_ago(4):%-d %b %Y}" in text
    assert '<option value="call" selected>' in text
    assert f'value="{days_ago(4).isoformat()}"' in text
    assert 'value="Pricing call"' in text
    assert "They want volume tiers.</textarea>" in text
    assert checkboxes(text, "contacts") == {str(cast.carla.pk): False, str(cast.dan.pk): True}
    # The interaction's people, not the signed-in owner as for a new one.
    assert checkboxes(text, "team_users") == {
        str(cast.owner.pk): False,
        str(cast.teammate.pk): True,
    }
    assert f'action="{edit_url(cast, interaction)}"' in text
    assert "Save changes" in text


def test_the_form_keeps_an_archived_contact_the_interaction_names(client_for, cast):
    interaction = log(cast, contacts=[cast.dan])
    services.contact_archive(contact=cast.dan, by=cast.owner)
    response = client_for(cast.owner).get(edit_url(cast, interaction))
    assert checkboxes(response.text, "contacts") == {
        str(cast.carla.pk): False,
        str(cast.dan.pk): True,
    }


def test_a_plain_post_saves_and_returns_to_the_list(client_for, cast):
    interaction = log(cast, subject="Kick-off")
    response = client_for(cast.teammate).post(
        edit_url(cast, interaction),
        interaction_post(
            contacts=[cast.carla, cast.dan],
            team_users=[cast.teammate],
            kind="call",
            date=days_ago(1).isoformat(),
            subject="Kick-off, moved",
        ),
        follow=True,
    )
    assert response.redirect_chain == [(list_url(cast), 302)]
    assert f"Call of {days_ago(1):%-d %b %Y} saved." in response.text
    interaction.refresh_from_db()
    assert (interaction.kind, interaction.subject) == ("call", "Kick-off, moved")
    assert set(interaction.contacts.all()) == {cast.carla, cast.dan}
    assert interaction.history.first().history_user == cast.teammate


def test_an_htmx_save_returns_to_the_list_as_it_was_filtered(client_for, cast):
    interaction = log(cast, kind="call")
    response = client_for(cast.owner).post(
        f"{edit_url(cast, interaction)}?kind=call&contact={cast.carla.pk}&evil=x",
        interaction_post(contacts=[cast.carla], team_users=[cast.owner], kind="call"),
        **HTMX_FORM,
    )
    assert response.status_code == 200
    location = json.loads(response["HX-Location"])
    assert location["path"] == f"{list_url(cast)}?kind=call&contact={cast.carla.pk}"
    assert location["target"] == "#account-tabs"


def test_the_form_carries_the_filters_to_its_post_and_cancel(client_for, cast):
    interaction = log(cast, kind="call")
    response = client_for(cast.owner).get(f"{edit_url(cast, interaction)}?kind=call", **HTMX)
    assert f'hx-post="{edit_url(cast, interaction)}?kind=call"' in response.text
    assert f'href="{list_url(cast)}?kind=call"' in response.text


def test_a_refused_save_shows_the_errors_with_what_was_typed(client_for, cast):
    interaction = log(cast, subject="As logged", note="Old note")
    tomorrow = today() + datetime.timedelta(days=1)
    response = client_for(cast.owner).post(
        edit_url(cast, interaction),
        interaction_post(
            contacts=[cast.dan],
            team_users=[cast.teammate],
            kind="email",
            date=tomorrow.isoformat(),
            subject="Typed subject",
            note="Typed note",
        ),
    )
    assert response.status_code == 422
    assert field_errors(response, "date") == ["An interaction cannot be in the future."]
    text = response.text
    assert "<html" in text  # without JavaScript: the whole page
    assert 'value="Typed subject"' in text
    assert "Typed note</textarea>" in text
    assert f'value="{tomorrow.isoformat()}"' in text
    assert '<option value="email" selected>' in text
    assert checkboxes(text, "contacts") == {str(cast.carla.pk): False, str(cast.dan.pk): True}
    # The heading still names the interaction as saved.
    assert f"Edit the meeting of {today():%-d %b %Y}" in text
    interaction.refresh_from_db()
    assert (interaction.subject, interaction.note) == ("As logged", "Old note")


def test_a_refused_htmx_save_answers_422_with_only_the_form(client_for, cast):
    interaction = log(cast, subject="As logged")
    response = client_for(cast.owner).post(
        edit_url(cast, interaction),
        interaction_post(contacts=[], team_users=[cast.owner], subject="Typed subject"),
        **HTMX_FORM,
    )
    assert response.status_code == 422
    assert "HX-Location" not in response
    text = response.text
    assert text.lstrip().startswith('<section class="card formcard interaction-form"')
    assert 'id="interaction-form"' in text
    assert "Choose at least one contact." in text
    assert 'value="Typed subject"' in text
    assert Interaction.objects.get().subject == "As logged"


def test_a_member_removed_while_the_form_was_open_is_refused(client_for, cast):
    interaction = log(cast, team_users=[cast.owner])
    TeamMember.objects.filter(account=cast.account, user=cast.teammate).delete()
    response = client_for(cast.owner).post(
        edit_url(cast, interaction),
        interaction_post(contacts=[cast.carla], team_users=[cast.owner, cast.teammate]),
    )
    assert response.status_code == 422
    assert field_errors(response, "team_users")
    assert list(Interaction.objects.get().team_users.all()) == [cast.owner]


# --- who may edit ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "teammate", "admin_user"])
def test_the_team_and_admins_edit(request, client_for, cast, role):
    interaction = log(cast)
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(edit_url(cast, interaction)).status_code == 200
    response = client.post(
        edit_url(cast, interaction),
        interaction_post(contacts=[cast.carla], team_users=[cast.owner], subject="By " + role),
    )
    assert response.status_code == 302
    assert Interaction.objects.get().subject == "By " + role
    assert interaction.history.first().history_user == user


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("role", ["manager", "executive"])
def test_read_only_roles_see_no_edit_and_get_403(request, client_for, cast, role, headers):
    interaction = log(cast, subject="Kick-off")
    client = client_for(request.getfixturevalue(role))
    assert edit_url(cast, interaction) not in client.get(list_url(cast)).text
    assert client.get(edit_url(cast, interaction), **headers).status_code == 403
    data = interaction_post(contacts=[cast.carla], team_users=[cast.owner], subject="Changed")
    assert client.post(edit_url(cast, interaction), data, **headers).status_code == 403
    assert Interaction.objects.get().subject == "Kick-off"


@pytest.mark.parametrize("headers", [{}, HTMX, HTMX_FORM], ids=["page", "htmx", "form"])
def test_outsider_gets_404(client_for, outsider, cast, headers):
    interaction = log(cast, subject="Secret plans")
    client = client_for(outsider)
    for method in ("get", "post"):
        data = interaction_post(contacts=[cast.carla], team_users=[cast.owner], subject="Mine")
        response = getattr(client, method)(edit_url(cast, interaction), data, **headers)
        assert response.status_code == 404, method
        assert "Secret plans" not in response.text
        assert "Acme Industrial" not in response.text
    assert Interaction.objects.get().subject == "Secret plans"


def test_another_accounts_interaction_through_ours_is_404(client_for, outsider, cast):
    theirs = InteractionFactory(account=Account.objects.get(owner=outsider), subject="Theirs")
    client = client_for(outsider)
    assert client.get(edit_url(cast, theirs)).status_code == 404
    data = interaction_post(contacts=[cast.carla], team_users=[cast.owner], subject="Moved")
    assert client.post(edit_url(cast, theirs), data).status_code == 404
    assert Interaction.objects.get(pk=theirs.pk).subject == "Theirs"


def test_anonymous_is_sent_to_sign_in(client, cast):
    interaction = log(cast)
    target = edit_url(cast, interaction)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"
