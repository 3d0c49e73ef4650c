"""The interactions log: the Interactions tab, its form and delete, the service that
deletes, and the Contacts tab's "Last met" column."""

import datetime
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts_app import services
from accounts_app.models import Account, Contact, Interaction, Relationship, TeamMember, User
from demo.factories import (
    AccountFactory,
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
HTMX_RESULTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "interaction-results"}
HTMX_FORM = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "interaction-form"}


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


@dataclass
class Cast:
    account: Account
    carla: Contact
    dan: Contact
    owner: User
    teammate: User


@pytest.fixture
def cast(account, contact, owner, teammate):
    return Cast(
        account=account,
        carla=contact,
        dan=ContactFactory(account=account, name="Dan Director", title="Plant Director"),
        owner=owner,
        teammate=teammate,
    )


def url(name, cast, *extra):
    return reverse(f"accounts:{name}", args=[cast.account.pk, *extra])


def interaction_post(*, contacts, team_users, **overrides):
    data = {
        "kind": Interaction.Kind.MEETING,
        "date": today().isoformat(),
        "subject": "Quarterly review",
        "note": "Agreed to pilot the new line.",
        "contacts": [c.pk if hasattr(c, "pk") else c for c in contacts],
        "team_users": [u.pk if hasattr(u, "pk") else u for u in team_users],
    }
    data.update(overrides)
    return data


def log(cast, *, by=None, on=None, contacts=None, team_users=None, kind="meeting", **extra):
    """Record an interaction through the service, as the form does."""
    return services.interaction_record(
        account=cast.account,
        by=by or cast.owner,
        kind=kind,
        on=on or today(),
        contacts=contacts if contacts is not None else [cast.carla],
        team_users=team_users if team_users is not None else [cast.owner],
        **extra,
    )


class _Checkboxes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.boxes = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "checkbox":
            self.boxes.append(attributes)


def checkboxes(html: str, name: str) -> dict[str, bool]:
    """{value: checked} of the checkboxes called `name` in `html`."""
    parser = _Checkboxes()
    parser.feed(html)
    return {box["value"]: "checked" in box for box in parser.boxes if box.get("name") == name}


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# --- logging sets last interaction ------------------------------------------------------


def test_logging_sets_last_interaction_on_the_involved_pairs_only(client_for, cast):
    involved = RelationshipFactory(contact=cast.carla, user=cast.owner, last_interaction=None)
    other_member = RelationshipFactory(contact=cast.carla, user=cast.teammate)
    other_contact = RelationshipFactory(contact=cast.dan, user=cast.owner)
    on = days_ago(3)
    response = client_for(cast.owner).post(
        url("interaction_create", cast),
        interaction_post(contacts=[cast.carla], team_users=[cast.owner], date=on.isoformat()),
    )
    assert response.status_code == 302
    interaction = cast.account.interactions.get()
    assert (interaction.kind, interaction.date, interaction.subject) == (
        "meeting",
        on,
        "Quarterly review",
    )
    assert interaction.note == "Agreed to pilot the new line."
    assert interaction.created_by == cast.owner
    assert list(interaction.contacts.all()) == [cast.carla]
    assert list(interaction.team_users.all()) == [cast.owner]
    for relationship in (involved, other_member, other_contact):
        relationship.refresh_from_db()
    assert involved.last_interaction == on
    assert other_member.last_interaction is None
    assert other_contact.last_interaction is None


def test_logging_sets_every_pair_of_contacts_and_team_users(client_for, cast):
    pairs = [
        RelationshipFactory(contact=contact, user=user)
        for contact in (cast.carla, cast.dan)
        for user in (cast.owner, cast.teammate)
    ]
    client_for(cast.teammate).post(
        url("interaction_create", cast),
        interaction_post(contacts=[cast.carla, cast.dan], team_users=[cast.owner, cast.teammate]),
    )
    assert {Relationship.objects.get(pk=r.pk).last_interaction for r in pairs} == {today()}


def test_logging_an_older_interaction_never_moves_last_interaction_back(client_for, cast):
    relationship = RelationshipFactory(
        contact=cast.carla, user=cast.owner, last_interaction=days_ago(2)
    )
    response = client_for(cast.owner).post(
        url("interaction_create", cast),
        interaction_post(
            contacts=[cast.carla], team_users=[cast.owner], date=days_ago(30).isoformat()
        ),
    )
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(2)
    assert cast.account.interactions.get().date == days_ago(30)


# --- the form: validation -------------------------------------------------------------------


def test_form_defaults_to_today_a_meeting_and_the_signed_in_team_member(client_for, cast):
    response = client_for(cast.teammate).get(url("interaction_create", cast))
    assert response.status_code == 200
    assert f'value="{today().isoformat()}"' in response.text
    assert f'max="{today().isoformat()}"' in response.text
    assert checkboxes(response.text, "team_users") == {
        str(cast.owner.pk): False,
        str(cast.teammate.pk): True,
    }
    assert checkboxes(response.text, "contacts") == {
        str(cast.carla.pk): False,
        str(cast.dan.pk): False,
    }
    assert response.context["form"]["kind"].value() == Interaction.Kind.MEETING


def test_form_shows_contacts_with_their_title(client_for, cast):
    response = client_for(cast.owner).get(url("interaction_create", cast))
    assert re.search(r"Dan Director\s*<small[^>]*>Plant Director</small>", response.text)
    # Each list says how many it holds: a list longer than its box scrolls, and the
    # count is the cue that more names are below (the demo's 14 contacts).
    assert re.search(r"<legend>Contacts .*?· 2</span></legend>", response.text, re.S)


def test_admin_not_on_the_team_is_not_preselected(client_for, admin_user, cast):
    response = client_for(admin_user).get(url("interaction_create", cast))
    assert response.status_code == 200
    assert not any(checkboxes(response.text, "team_users").values())
    assert str(admin_user.pk) not in checkboxes(response.text, "team_users")


def test_future_date_is_a_field_error_saves_nothing_and_keeps_what_was_typed(client_for, cast):
    tomorrow = today() + datetime.timedelta(days=1)
    response = client_for(cast.owner).post(
        url("interaction_create", cast),
        interaction_post(
            kind=Interaction.Kind.CALL,
            date=tomorrow.isoformat(),
            subject="Typed subject",
            note="Typed note",
            contacts=[cast.dan],
            team_users=[cast.teammate],
        ),
    )
    assert response.status_code == 422
    assert field_errors(response, "date") == ["An interaction cannot be in the future."]
    assert "An interaction cannot be in the future." in response.text
    assert not Interaction.objects.exists()
    assert 'value="Typed subject"' in response.text
    assert "Typed note</textarea>" in response.text
    assert f'value="{tomorrow.isoformat()}"' in response.text
    assert re.search(r'<option value="call" selected>', response.text)
    assert checkboxes(response.text, "contacts") == {
        str(cast.carla.pk): False,
        str(cast.dan.pk): True,
    }
    # What was chosen wins over the default (the signed-in owner).
    assert checkboxes(response.text, "team_users") == {
        str(cast.owner.pk): False,
        str(cast.teammate.pk): True,
    }


def test_no_contacts_and_no_team_users_give_clear_messages(client_for, cast):
    response = client_for(cast.owner).post(
        url("interaction_create", cast), interaction_post(contacts=[], team_users=[])
    )
    assert response.status_code == 422
    assert field_errors(response, "contacts") == ["Choose at least one contact."]
    assert field_errors(response, "team_users") == ["Choose who from our side took part."]
    assert "Choose who from our side took part." in response.text
    assert "Choose at least one contact." in response.text
    assert 'value="Quarterly review"' in response.text
    assert not Interaction.objects.exists()


def test_an_empty_post_shows_the_errors(client_for, cast):
    response = client_for(cast.owner).post(url("interaction_create", cast), {})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"kind", "date", "contacts", "team_users"}
    assert not Interaction.objects.exists()


def test_form_offers_only_this_accounts_contacts_and_team(client_for, cast):
    other = AccountFactory(owner=UserFactory(username="elsewhere"))
    ContactFactory(account=other, name="Foreign Contact")
    response = client_for(cast.owner).get(url("interaction_create", cast))
    form = response.context["form"]
    assert set(form.fields["contacts"].queryset) == {cast.carla, cast.dan}
    assert set(form.fields["team_users"].queryset) == {cast.owner, cast.teammate}
    assert "Foreign Contact" not in response.text
    assert other.owner.name not in response.text


@pytest.mark.parametrize(
    "forged",
    [
        {"contacts": "foreign_contact"},
        {"team_users": "foreign_user"},
        {"contacts": "abc"},
        {"team_users": "999999"},
        {"contacts": "99999999999999999999"},  # past 64 bits: SQLite would overflow
        {"team_users": "99999999999999999999"},
    ],
)
def test_forged_ids_are_field_errors_not_crashes(client_for, cast, forged):
    other = AccountFactory(owner=UserFactory(username="elsewhere"))
    foreign = {
        "foreign_contact": ContactFactory(account=other).pk,
        "foreign_user": other.owner.pk,
    }
    (field, value) = next(iter(forged.items()))
    data = interaction_post(contacts=[cast.carla], team_users=[cast.owner])
    data[field] = [data[field][0], foreign.get(value, value)]
    response = client_for(cast.owner).post(url("interaction_create", cast), data)
    assert response.status_code == 422
    assert field_errors(response, field)
    assert not Interaction.objects.exists()


def test_htmx_post_with_errors_returns_only_the_form_with_422(client_for, cast):
    response = client_for(cast.owner).post(
        url("interaction_create", cast),
        interaction_post(contacts=[], team_users=[]),
        **HTMX_FORM,
    )
    assert response.status_code == 422
    assert "HX-Location" not in response
    assert "<html" not in response.text
    assert 'id="account-tabs"' not in response.text
    assert '<section class="card formcard interaction-form" id="interaction-form"' in response.text
    assert "Choose at least one contact." in response.text


def test_htmx_post_with_errors_aimed_at_the_tabs_returns_the_tab_fragment(client_for, cast):
    response = client_for(cast.owner).post(
        url("interaction_create", cast), interaction_post(contacts=[], team_users=[]), **HTMX
    )
    assert response.status_code == 422
    assert "<html" not in response.text
    assert 'id="account-tabs"' in response.text
    assert "Choose at least one contact." in response.text


# --- the form: success ----------------------------------------------------------------------


def test_htmx_post_success_reloads_the_tab(client_for, cast):
    response = client_for(cast.owner).post(
        url("interaction_create", cast),
        interaction_post(contacts=[cast.carla], team_users=[cast.owner]),
        **HTMX,
    )
    assert response.status_code == 200
    location = json.loads(response["HX-Location"])
    assert location["path"] == url("interactions", cast)
    assert location["target"] == "#account-tabs"
    assert cast.account.interactions.count() == 1


def test_plain_post_redirects_to_the_list_with_the_new_entry_on_top(client_for, cast):
    log(cast, on=days_ago(1), subject="Yesterday's call", kind="call")
    response = client_for(cast.owner).post(
        url("interaction_create", cast),
        interaction_post(
            contacts=[cast.carla, cast.dan], team_users=[cast.owner], subject="Site visit"
        ),
        follow=True,
    )
    assert response.redirect_chain == [(url("interactions", cast), 302)]
    assert "Meeting with Carla Buyer and 1 more logged." in response.text
    subjects = [i.subject for i in response.context["page"].object_list]
    assert subjects == ["Site visit", "Yesterday's call"]


# --- delete ---------------------------------------------------------------------------------


def test_delete_falls_back_to_the_latest_remaining_interaction(cast):
    relationship = RelationshipFactory(contact=cast.carla, user=cast.owner)
    older = log(cast, on=days_ago(10))
    newer = log(cast, on=days_ago(2))
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(2)

    services.interaction_delete(interaction=newer, by=cast.owner)
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(10)

    services.interaction_delete(interaction=older, by=cast.owner)
    relationship.refresh_from_db()
    assert relationship.last_interaction is None
    assert not Interaction.objects.exists()


def test_delete_counts_only_interactions_of_the_same_pair(cast):
    relationship = RelationshipFactory(contact=cast.carla, user=cast.owner)
    # Carla met the teammate, and the owner met Dan, more recently: neither is the pair's.
    log(cast, on=days_ago(1), contacts=[cast.carla], team_users=[cast.teammate])
    log(cast, on=days_ago(1), contacts=[cast.dan], team_users=[cast.owner])
    older = log(cast, on=days_ago(20))
    newer = log(cast, on=days_ago(5))
    services.interaction_delete(interaction=newer, by=cast.owner)
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(20)
    services.interaction_delete(interaction=older, by=cast.owner)
    relationship.refresh_from_db()
    assert relationship.last_interaction is None


def test_delete_keeps_a_later_date_the_interaction_did_not_set(cast):
    relationship = RelationshipFactory(contact=cast.carla, user=cast.owner)
    interaction = log(cast, on=days_ago(10))
    services.relationship_update(
        relationship=relationship, by=cast.owner, last_interaction=days_ago(1)
    )
    services.interaction_delete(interaction=interaction, by=cast.owner)
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(1)


def test_delete_view_removes_it_and_recomputes(client_for, cast):
    relationship = RelationshipFactory(contact=cast.carla, user=cast.teammate)
    log(cast, on=days_ago(7), team_users=[cast.teammate])
    newer = log(cast, on=days_ago(1), team_users=[cast.teammate])
    response = client_for(cast.teammate).post(url("interaction_delete", cast, newer.pk))
    assert response.status_code == 302
    assert response["Location"] == url("interactions", cast)
    assert not Interaction.objects.filter(pk=newer.pk).exists()
    relationship.refresh_from_db()
    assert relationship.last_interaction == days_ago(7)


def test_htmx_delete_returns_to_the_list_as_it_was_filtered(client_for, cast):
    interaction = log(cast, kind="call")
    response = client_for(cast.owner).post(
        url("interaction_delete", cast, interaction.pk),
        {"kind": "call", "contact": str(cast.carla.pk), "evil": "x"},
        **HTMX,
    )
    location = json.loads(response["HX-Location"])
    assert location["path"] == f"{url('interactions', cast)}?kind=call&contact={cast.carla.pk}"
    assert location["target"] == "#account-tabs"


def test_delete_of_another_accounts_interaction_is_404(client_for, cast):
    other = AccountFactory(owner=UserFactory(username="elsewhere"))
    foreign = InteractionFactory(account=other)
    response = client_for(cast.owner).post(url("interaction_delete", cast, foreign.pk))
    assert response.status_code == 404
    assert Interaction.objects.filter(pk=foreign.pk).exists()


def test_delete_refuses_get(client_for, cast):
    interaction = log(cast)
    response = client_for(cast.owner).get(url("interaction_delete", cast, interaction.pk))
    assert response.status_code == 405
    assert Interaction.objects.filter(pk=interaction.pk).exists()


# --- permissions ----------------------------------------------------------------------------


def every_url(cast, interaction):
    return {
        "list": ("get", url("interactions", cast)),
        "form": ("get", url("interaction_create", cast)),
        "create": ("post", url("interaction_create", cast)),
        "delete": ("post", url("interaction_delete", cast, interaction.pk)),
    }


@pytest.mark.parametrize("role", ["owner", "teammate", "admin_user"])
def test_team_members_and_admins_can_log(request, client_for, cast, role):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        url("interaction_create", cast),
        interaction_post(contacts=[cast.carla], team_users=[cast.teammate]),
    )
    assert response.status_code == 302
    assert cast.account.interactions.get().created_by == user


@pytest.mark.parametrize("role", ["owner", "teammate", "admin_user"])
def test_team_members_and_admins_can_delete_and_see_the_buttons(request, client_for, cast, role):
    interaction = log(cast)
    client = client_for(request.getfixturevalue(role))
    page = client.get(url("interactions", cast)).text
    assert url("interaction_create", cast) in page
    assert url("interaction_delete", cast, interaction.pk) in page
    assert client.post(url("interaction_delete", cast, interaction.pk)).status_code == 302
    assert not Interaction.objects.exists()


def test_manager_on_the_team_can_log(client_for, manager, cast):
    # In a writing seat (the executive sponsor's seat reads: docs/decisions.md).
    TeamMember.objects.create(account=cast.account, user=manager, role="sales")
    response = client_for(manager).post(
        url("interaction_create", cast),
        interaction_post(contacts=[cast.carla], team_users=[manager]),
    )
    assert response.status_code == 302
    assert cast.account.interactions.count() == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("role", ["manager", "executive"])
def test_read_only_roles_read_the_log_but_get_403_on_writes(
    request, client_for, cast, role, headers
):
    interaction = log(cast, subject="Kick-off")
    client = client_for(request.getfixturevalue(role))
    page = client.get(url("interactions", cast), **headers)
    assert page.status_code == 200
    assert "Kick-off" in page.text
    assert url("interaction_create", cast) not in page.text
    assert url("interaction_delete", cast, interaction.pk) not in page.text
    assert client.get(url("interaction_create", cast), **headers).status_code == 403
    created = client.post(
        url("interaction_create", cast),
        interaction_post(contacts=[cast.carla], team_users=[cast.owner]),
        **headers,
    )
    assert created.status_code == 403
    deleted = client.post(url("interaction_delete", cast, interaction.pk), **headers)
    assert deleted.status_code == 403
    assert list(Interaction.objects.all()) == [interaction]


@pytest.mark.parametrize("role", ["manager", "executive"])
def test_read_only_roles_see_no_button_in_the_empty_state(request, client_for, cast, role):
    response = client_for(request.getfixturevalue(role)).get(url("interactions", cast))
    assert "No interactions logged yet" in response.text
    assert "Log the first interaction" not in response.text


@pytest.mark.parametrize("headers", [{}, HTMX, HTMX_RESULTS], ids=["page", "htmx", "results"])
def test_outsider_gets_404_on_every_url(client_for, outsider, cast, headers):
    interaction = log(cast, subject="Secret plans")
    client = client_for(outsider)
    data = interaction_post(contacts=[cast.carla], team_users=[cast.owner])
    for name, (method, target) in every_url(cast, interaction).items():
        response = getattr(client, method)(target, data if method == "post" else None, **headers)
        assert response.status_code == 404, name
        assert "Acme Industrial" not in response.text
        assert "Secret plans" not in response.text
    assert list(Interaction.objects.all()) == [interaction]


def test_unknown_account_is_404_even_for_an_admin(client_for, admin_user, cast):
    client = client_for(admin_user)
    missing = Account.objects.order_by("-pk").first().pk + 1
    for target, method in [
        (reverse("accounts:interactions", args=[missing]), "get"),
        (reverse("accounts:interaction_create", args=[missing]), "get"),
        (reverse("accounts:interaction_create", args=[missing]), "post"),
        (reverse("accounts:interaction_delete", args=[missing, 1]), "post"),
    ]:
        assert getattr(client, method)(target).status_code == 404, target


def test_outsider_gets_404_for_their_own_accounts_interaction_through_ours(
    client_for, outsider, cast
):
    theirs = InteractionFactory(account=Account.objects.get(owner=outsider))
    response = client_for(outsider).post(url("interaction_delete", cast, theirs.pk))
    assert response.status_code == 404
    assert Interaction.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("name", ["interactions", "interaction_create"])
def test_anonymous_is_sent_to_sign_in(client, cast, name):
    target = url(name, cast)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


# --- the list -------------------------------------------------------------------------------


def test_list_shows_newest_first_with_kind_people_and_note(client_for, cast):
    log(cast, on=days_ago(9), subject="Old call", kind="call", note="Short note")
    log(
        cast,
        on=days_ago(1),
        subject="Plant tour",
        kind="event",
        contacts=[cast.carla, cast.dan],
        team_users=[cast.owner, cast.teammate],
        note="Long " * 60,
    )
    response = client_for(cast.owner).get(url("interactions", cast))
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [i.subject for i in rows] == ["Plant tour", "Old call"]
    html = response.text
    assert html.index("Plant tour") < html.index("Old call")
    assert '<span class="badge kind kind-event">Event</span>' in html
    assert '<span class="badge kind kind-call">Call</span>' in html
    for name in ("Carla Buyer", "Dan Director", "Olivia Owner", "Tom Mate", "Short note"):
        assert name in html
    # A long note shows its start, with the whole of it a click away.
    assert '<details class="note">' in html
    assert ("Long " * 60).strip() in html


def test_list_paginates_by_25(client_for, cast):
    for day in range(27):
        log(cast, on=days_ago(day))
    client = client_for(cast.owner)
    first = client.get(url("interactions", cast))
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].object_list[0].date == today()
    second = client.get(url("interactions", cast), {"page": 2})
    assert [i.date for i in second.context["page"].object_list] == [days_ago(25), days_ago(26)]


def test_list_filters_by_kind_and_contact(client_for, cast):
    log(cast, kind="call", subject="Call with Carla")
    log(cast, kind="meeting", subject="Meeting with Carla")
    log(cast, kind="call", subject="Call with Dan", contacts=[cast.dan])
    log(cast, kind="email", subject="Email to both", contacts=[cast.carla, cast.dan])
    client = client_for(cast.owner)

    def subjects(**params):
        response = client.get(url("interactions", cast), params)
        assert response.status_code == 200
        return {i.subject for i in response.context["page"].object_list}

    assert subjects(kind="call") == {"Call with Carla", "Call with Dan"}
    assert subjects(contact=cast.dan.pk) == {"Call with Dan", "Email to both"}
    assert subjects(kind="call", contact=cast.carla.pk) == {"Call with Carla"}
    assert subjects(kind="event") == set()
    assert len(subjects()) == 4


def test_filters_are_kept_in_the_page_links_and_selects(client_for, cast):
    for day in range(26):
        log(cast, on=days_ago(day), kind="call")
    response = client_for(cast.owner).get(
        url("interactions", cast), {"kind": "call", "contact": cast.carla.pk}
    )
    assert f"?kind=call&amp;contact={cast.carla.pk}&amp;page=2" in response.text
    assert '<option value="call" selected>' in response.text
    assert f'<option value="{cast.carla.pk}" selected>' in response.text
    assert "26 interactions match" in response.text


def test_filter_by_a_contact_of_another_account_shows_an_error_and_nothing(client_for, cast):
    log(cast)
    foreign = ContactFactory(account=AccountFactory(), name="Foreign Contact")
    response = client_for(cast.owner).get(url("interactions", cast), {"contact": foreign.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not response.context["page"].object_list
    bad_kind = client_for(cast.owner).get(url("interactions", cast), {"kind": "telepathy"})
    assert bad_kind.status_code == 200
    assert "Select a valid choice" in bad_kind.text


def test_filtered_list_with_no_match_offers_to_show_all(client_for, cast):
    log(cast, kind="call")
    response = client_for(cast.owner).get(url("interactions", cast), {"kind": "event"})
    assert "No interactions match these filters" in response.text
    assert "Show all interactions" in response.text


def test_empty_log_offers_to_log_the_first_one(client_for, cast):
    response = client_for(cast.teammate).get(url("interactions", cast))
    assert "No interactions logged yet" in response.text
    assert "Log the first interaction" in response.text
    assert url("interaction_create", cast) in response.text


def test_htmx_filter_request_returns_only_the_list(client_for, cast):
    log(cast, kind="call", subject="A call")
    log(cast, kind="meeting", subject="A meeting")
    response = client_for(cast.owner).get(
        url("interactions", cast), {"kind": "call"}, **HTMX_RESULTS
    )
    assert response.status_code == 200
    assert 'id="interaction-results"' in response.text
    assert 'id="account-tabs"' not in response.text
    assert "<html" not in response.text
    assert "A call" in response.text and "A meeting" not in response.text
    assert "HX-Target" in response["Vary"]


def test_htmx_tab_request_returns_the_tabs_and_history_restore_the_page(client_for, cast):
    client = client_for(cast.owner)
    tab = client.get(url("interactions", cast), **HTMX)
    assert 'id="account-tabs"' in tab.text and "<html" not in tab.text
    restore = client.get(
        url("interactions", cast),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        HTTP_HX_TARGET="interaction-results",
    )
    assert "<html" in restore.text


def _add_interactions(cast, count, contacts, users):
    for index in range(count):
        interaction = InteractionFactory(
            account=cast.account, kind=Interaction.Kind.values[index % 4], note="x" * 200
        )
        interaction.contacts.set(contacts)
        interaction.team_users.set(users)


def test_list_queries_do_not_grow_with_interactions_or_people(
    client_for, cast, django_assert_max_num_queries
):
    client = client_for(cast.teammate)
    target = url("interactions", cast)
    filtered = {"kind": "call", "contact": cast.carla.pk}
    _add_interactions(cast, 3, [cast.carla], [cast.owner])
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    with CaptureQueriesContext(connection) as few_filtered:
        assert client.get(target, filtered).status_code == 200
    many_contacts = [cast.carla, cast.dan, *ContactFactory.create_batch(8, account=cast.account)]
    extra_users = UserFactory.create_batch(4)
    for user in extra_users:
        TeamMember.objects.create(account=cast.account, user=user)
    _add_interactions(cast, 27, many_contacts, [cast.owner, cast.teammate, *extra_users])
    assert cast.account.interactions.count() == 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target)
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(len(few_filtered.captured_queries)):
        response = client.get(target, filtered)
    assert len(response.context["page"].object_list) == 8  # every fourth is a call


def test_form_queries_do_not_grow_with_contacts_or_team(
    client_for, cast, django_assert_max_num_queries
):
    client = client_for(cast.owner)
    target = url("interaction_create", cast)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    ContactFactory.create_batch(20, account=cast.account)
    for user in UserFactory.create_batch(5):
        TeamMember.objects.create(account=cast.account, user=user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(target).status_code == 200


# --- the Contacts tab: Last met ------------------------------------------------------------


def last_met_cell(html: str, contact: Contact) -> str:
    row = re.search(rf'<tr id="contact-{contact.pk}">(.*?)</tr>', html, re.S).group(1)
    return re.search(r'<td class="nowrap last-met">(.*?)</td>', row, re.S).group(1)


def test_last_met_shows_today_days_ago_and_never(client_for, cast):
    stale = ContactFactory(account=cast.account, name="Sam Stale")
    never = ContactFactory(account=cast.account, name="Nina Never")
    # Anyone from the team counts: Carla met the teammate, not the viewer.
    log(cast, on=days_ago(30), contacts=[cast.carla], team_users=[cast.owner])
    log(cast, on=today(), contacts=[cast.carla], team_users=[cast.teammate])
    log(cast, on=days_ago(12), contacts=[cast.dan])
    log(cast, on=days_ago(120), contacts=[stale], team_users=[cast.teammate])
    RelationshipFactory(contact=never, user=cast.owner, last_interaction=days_ago(3))

    response = client_for(cast.owner).get(url("contacts", cast))
    assert response.status_code == 200
    html = response.text
    assert "Last met" in html
    carla = last_met_cell(html, cast.carla)
    assert f'<time datetime="{today().isoformat()}"' in carla
    assert ">today</time>" in carla
    dan = last_met_cell(html, cast.dan)
    assert ">12 days ago</time>" in dan
    twelve_days_ago = days_ago(12)
    assert f'title="{twelve_days_ago.day} {twelve_days_ago:%b %Y}"' in dan
    assert "met-long-ago" not in dan
    sam = last_met_cell(html, stale)
    assert ">120 days ago</time>" in sam and 'class="met-long-ago"' in sam
    # A relationship's hand-typed date is not a logged interaction.
    assert "never" in last_met_cell(html, never)
    rows = {c.name: c for c in response.context["page"].object_list}
    assert rows["Carla Buyer"].last_met == today()
    assert rows["Nina Never"].last_met is None


def test_last_met_of_one_day_and_the_90_day_boundary(client_for, cast):
    log(cast, on=days_ago(1), contacts=[cast.carla])
    log(cast, on=days_ago(90), contacts=[cast.dan])
    html = client_for(cast.owner).get(url("contacts", cast)).text
    assert ">1 day ago</time>" in last_met_cell(html, cast.carla)
    assert "met-long-ago" not in last_met_cell(html, cast.dan)


def test_last_met_follows_a_deleted_interaction(client_for, cast):
    log(cast, on=days_ago(5))
    newest = log(cast, on=today())
    client = client_for(cast.owner)
    client.post(url("interaction_delete", cast, newest.pk))
    html = client.get(url("contacts", cast)).text
    assert ">5 days ago</time>" in last_met_cell(html, cast.carla)


def test_contacts_tab_queries_do_not_grow_with_interactions(
    client_for, cast, django_assert_max_num_queries
):
    client = client_for(cast.teammate)
    target = url("contacts", cast)
    _add_interactions(cast, 2, [cast.carla], [cast.owner])
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    contacts = ContactFactory.create_batch(30, account=cast.account)
    _add_interactions(cast, 30, [cast.carla, cast.dan, *contacts], [cast.owner, cast.teammate])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(target)
    page = response.context["page"].object_list
    assert len(page) == 32
    assert all(contact.last_met is not None for contact in page)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(target, {"q": "carla"})


def test_a_date_before_1990_is_a_typo(client_for, cast):
    data = interaction_post(contacts=[cast.carla], team_users=[cast.owner], date="0001-01-01")
    response = client_for(cast.owner).post(url("interaction_create", cast), data)
    assert field_errors(response, "date") == ["An interaction before 1990 is surely a typo."]
    assert not Interaction.objects.exists()
