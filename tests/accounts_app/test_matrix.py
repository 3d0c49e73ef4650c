"""The Relationships tab: the matrix of contacts × team members, edited cell by cell, with
the RPI panel and the coverage gaps that the edits update out of band.

The small account used throughout (`cast`), worked by hand with DESIGN §3:

    business units: Aero, Rail
    Dana Decider     executive, decision maker, Rail   Olivia (owner) 3
    Rob Recommender  senior,    recommender,    Aero   Tom (teammate) 1, target 3
    Ivy Influencer   middle,    influencer,     Rail   nobody

    best: Dana 3, Rob 1, Ivy 0
    High = mean(3/4, 1/4) over the executive and senior contacts         = 1/2
    Wide = units with a best ≥ 2: Rail (Dana), not Aero → 1 of 2         = 1/2
    Deep = (3·3/4 + 2·1/4 + 1·0/4) / (3 + 2 + 1) = (11/4) / 6            = 11/24
    RPI  = 100 · (1/2 + 1/2 + 11/24) / 3 = 100 · 35/72 = 48.61…          → 48.6
    gaps: Rob uncovered (best 1 < 2); Dana single-threaded (only Olivia);
          Tom ↔ Rob below its target (1 < 3)
"""

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_app import services
from accounts_app.models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    Relationship,
    TeamMember,
    User,
)
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    TeamMemberFactory,
    TierAssignmentFactory,
    TierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Cast:
    account: Account
    owner: User
    teammate: User
    rail: BusinessUnit
    aero: BusinessUnit
    dana: Contact  # executive decision maker, Rail
    rob: Contact  # senior recommender, Aero
    ivy: Contact  # middle influencer, Rail


@pytest.fixture
def cast(account, owner, teammate):
    rail = BusinessUnitFactory(account=account, name="Rail")
    aero = BusinessUnitFactory(account=account, name="Aero")
    dana = ContactFactory(
        account=account,
        name="Dana Decider",
        title="Chief Operating Officer",
        business_unit=rail,
        level=Contact.Level.EXECUTIVE,
        buying_role=Contact.BuyingRole.DECISION_MAKER,
        attitude=Contact.Attitude.SUPPORTER,
    )
    rob = ContactFactory(
        account=account,
        name="Rob Recommender",
        business_unit=aero,
        level=Contact.Level.SENIOR,
        buying_role=Contact.BuyingRole.RECOMMENDER,
    )
    ivy = ContactFactory(
        account=account,
        name="Ivy Influencer",
        business_unit=rail,
        level=Contact.Level.MIDDLE,
        buying_role=Contact.BuyingRole.INFLUENCER,
    )
    Relationship.objects.create(contact=dana, user=owner, strength=3)
    Relationship.objects.create(contact=rob, user=teammate, strength=1, target_strength=3)
    return Cast(account, owner, teammate, rail, aero, dana, rob, ivy)


def tab_url(account):
    return reverse("accounts:relationships", args=[account.pk])


def cell_url(account, contact, user):
    contact_id = contact if isinstance(contact, int) else contact.pk
    user_id = user if isinstance(user, int) else user.pk
    return reverse("accounts:relationship_cell", args=[account.pk, contact_id, user_id])


def html(response) -> str:
    return response.content.decode()


def cell_html(content: str, contact, user) -> str:
    """The markup of one cell (`<td id="cell-…">…</td>`) in a page or fragment."""
    match = re.search(rf'<td id="cell-{contact.pk}-{user.pk}"[^>]*>.*?</td>', content, re.S)
    assert match, f"no cell for {contact} × {user}"
    return match.group(0)


def rpi_value(content: str) -> str:
    return re.search(r'id="rpi-value">([^<]+)<', content).group(1)


def gap_keys(content: str) -> list[str]:
    return re.findall(r'data-gap="([^"]+)"', content)


def relationships(cast) -> set[tuple]:
    return set(
        Relationship.objects.filter(contact__account=cast.account).values_list(
            "contact__name", "user__username", "strength", "target_strength"
        )
    )


# --- The tab -----------------------------------------------------------------------------


def test_rows_are_grouped_by_business_unit_and_ordered_by_level_then_name(cast, client_for, owner):
    rail_ops = ContactFactory(
        account=cast.account, name="Adam Ops", business_unit=cast.rail, level="operational"
    )
    rail_exec = ContactFactory(
        account=cast.account, name="Zed Chief", business_unit=cast.rail, level="executive"
    )
    loose = ContactFactory(account=cast.account, name="Al Loose", business_unit=None)
    BusinessUnitFactory(account=cast.account, name="Marine")  # no contacts yet

    content = html(client_for(owner).get(tab_url(cast.account)))

    groups = re.findall(r'<span class="unit-name">([^<]+)</span>', content)
    assert groups == ["Aero", "Marine", "Rail", "No business unit"]
    rows = [int(pk) for pk in re.findall(r'<tr id="contact-(\d+)"', content)]
    # Aero: Rob; Marine: nobody; Rail: the two executives by name, middle, operational;
    # then the contacts without a unit.
    expected = [cast.rob, cast.dana, rail_exec, cast.ivy, rail_ops, loose]
    assert rows == [c.pk for c in expected]
    assert "no contacts yet" in content


def test_columns_are_the_team_owner_first_then_by_role_and_name(cast, client_for, owner):
    sponsor = UserFactory(username="sponsor", first_name="Zara", last_name="Sponsor")
    TeamMemberFactory(account=cast.account, user=sponsor, role=TeamMember.Role.EXECUTIVE_SPONSOR)
    aaron = UserFactory(username="aaron", first_name="Aaron", last_name="Sales")
    TeamMemberFactory(account=cast.account, user=aaron, role=TeamMember.Role.SALES)

    content = html(client_for(owner).get(tab_url(cast.account)))

    columns = [
        int(pk) for pk in re.findall(r'<th scope="col" class="member" id="member-(\d+)"', content)
    ]
    assert columns == [owner.pk, sponsor.pk, aaron.pk, cast.teammate.pk]
    header = re.search(rf'id="member-{sponsor.pk}">(.*?)</th>', content).group(1)
    assert "Zara Sponsor" in header and "Executive sponsor" in header
    # Every contact has a cell in every column.
    assert len(re.findall(r'<td id="cell-\d+-\d+"', content)) == 3 * 4


def test_cells_show_strength_target_and_below_target(cast, client_for, owner):
    content = html(client_for(owner).get(tab_url(cast.account)))

    below = cell_html(content, cast.rob, cast.teammate)
    assert 'class="cell s1 below"' in below
    assert '<span class="sv" aria-hidden="true">1</span>' in below
    assert "→3" in below
    assert "Acquainted (1), target Trusted (3), below target" in below

    met = cell_html(content, cast.dana, cast.owner)
    assert 'class="cell s3"' in met and "→" not in met and "below" not in met
    assert "Trusted (3)" in met

    empty = cell_html(content, cast.ivy, cast.owner)
    assert 'class="cell"' in empty and 'class="sv"' not in empty
    assert 'title="No relationship"' in empty


def test_rows_show_the_contact_profile_and_best_strength(cast, client_for, owner):
    content = html(client_for(owner).get(tab_url(cast.account)))

    row = re.search(rf'<tr id="contact-{cast.dana.pk}".*?</tr>', content, re.S).group(0)
    for text in ("Dana Decider", "Chief Operating Officer", "Executive", "Decision maker"):
        assert text in row
    assert "attitude-supporter" in row
    best = re.search(rf'<td id="best-{cast.dana.pk}".*?</td>', row, re.S).group(0)
    assert "strength s3" in best and "Trusted" in best


def test_exactly_one_cell_is_in_the_tab_order(cast, client_for, owner):
    content = html(client_for(owner).get(tab_url(cast.account)))

    stops = re.findall(r'<td id="(cell-\d+-\d+)"[^>]*tabindex="0"', content)
    assert stops == [f"cell-{cast.rob.pk}-{cast.owner.pk}"]  # first row, first column


def test_rpi_panel_shows_the_hand_computed_parts(cast, client_for, owner):
    content = html(client_for(owner).get(tab_url(cast.account)))

    assert rpi_value(content) == "48.6"
    assert 'id="rpi-high">50.0 %' in content
    assert 'id="rpi-wide">50.0 %' in content
    assert 'id="rpi-deep">45.8 %' in content  # 11/24
    assert "executive and senior contacts" in content  # the one-line explanations
    assert 'id="rpi-target"' not in content  # no tier, no target


def test_rpi_target_of_the_tier_is_shown_and_marked_when_not_reached(cast, client_for, owner):
    tier = TierFactory(name="Matrix test tier", rank=50, rpi_target=60)
    TierAssignmentFactory(account=cast.account, tier=tier)

    content = html(client_for(owner).get(tab_url(cast.account)))

    target = re.search(r'id="rpi-target">(.*?)</span></span>', content, re.S).group(1)
    assert "60" in target and "Below target" in target
    assert 'class="pen-score below"' in content

    tier.rpi_target = 40
    tier.save()
    content = html(client_for(owner).get(tab_url(cast.account)))
    assert "On target" in content and "Below target" not in content


def test_gap_list_links_each_gap_to_its_cell_or_row(cast, client_for, owner):
    content = html(client_for(owner).get(tab_url(cast.account)))

    assert gap_keys(content) == [
        f"single_threaded-{cast.dana.pk}-{owner.pk}",
        f"uncovered-{cast.rob.pk}",
        f"below_target-{cast.rob.pk}-{cast.teammate.pk}",
    ]
    below = re.search(r'data-gap="below_target-[^"]*">(.*?)</li>', content, re.S).group(1)
    assert f'href="#cell-{cast.rob.pk}-{cast.teammate.pk}"' in below
    assert "Rob Recommender" in below and "Tom Mate" in below
    assert "strength 1 → target 3" in below
    single = re.search(r'data-gap="single_threaded-[^"]*">(.*?)</li>', content, re.S).group(1)
    # Built by someone other than the one thread: the teammate's cell.
    assert f'href="#cell-{cast.dana.pk}-{cast.teammate.pk}"' in single
    assert "only Olivia Owner" in single


def test_an_account_without_gaps_says_so(account, client_for, owner):
    contact = ContactFactory(account=account, buying_role=Contact.BuyingRole.USER)
    Relationship.objects.create(contact=contact, user=owner, strength=2)

    content = html(client_for(owner).get(tab_url(account)))

    assert "No coverage gaps." in content
    assert gap_keys(content) == []


def test_an_account_without_contacts_invites_editors_to_add_some(account, client_for, owner):
    content = html(client_for(owner).get(tab_url(account)))

    assert "Add contacts to see the matrix" in content
    assert reverse("accounts:contact_create", args=[account.pk]) in content
    assert 'id="relationship-matrix"' not in content
    assert rpi_value(content) == "0.0"


def test_an_owner_alone_on_the_team_still_gets_a_matrix(client_for):
    solo = UserFactory(username="solo")
    account = AccountFactory(owner=solo)
    contact = ContactFactory(account=account)

    content = html(client_for(solo).get(tab_url(account)))

    assert f'id="cell-{contact.pk}-{solo.pk}"' in content


def test_the_tab_answers_a_fragment_to_htmx_and_brings_its_script(cast, client_for, owner):
    response = client_for(owner).get(tab_url(cast.account), **HTMX)

    content = html(response)
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="account-tabs">')
    assert 'aria-selected="true"' in content and 'id="tab-relationships"' in content
    assert re.search(r'<script src="[^"]*js/matrix(\.[0-9a-f]+)?\.js"', content)
    assert "HX-Request" in response["Vary"]


# --- The cell: editor and saving ---------------------------------------------------------


def test_get_on_a_cell_answers_its_editor_with_the_current_values(cast, client_for, teammate):
    response = client_for(teammate).get(cell_url(cast.account, cast.rob, teammate), **HTMX)

    content = html(response)
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<td id="cell-{cast.rob.pk}-{teammate.pk}"')
    assert 'class="cell editing"' in content
    assert '<option value="1" selected>1 · Acquainted</option>' in content
    assert '<option value="3" selected>3 · Trusted</option>' in content  # the target
    assert '<option value="">No target</option>' in content
    assert f'hx-post="{cell_url(cast.account, cast.rob, teammate)}"' in content


def test_cancel_answers_the_cell_as_shown(cast, client_for, teammate):
    response = client_for(teammate).get(
        cell_url(cast.account, cast.rob, teammate) + "?cancel=1", **HTMX
    )

    assert response.status_code == 200
    assert html(response).strip().startswith(f'<td id="cell-{cast.rob.pk}-{teammate.pk}"')
    assert 'class="cell s1 below"' in html(response)


def test_post_creates_a_relationship_and_queues_the_snapshot(
    cast, client_for, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(owner).post(
            cell_url(cast.account, cast.ivy, owner), {"strength": "2", "target": "4"}, **HTMX
        )

    assert response.status_code == 200
    assert Relationship.objects.get(contact=cast.ivy, user=owner).strength == 2
    assert Relationship.objects.get(contact=cast.ivy, user=owner).target_strength == 4
    assert len(callbacks) == 1
    # The queued job ran (eagerly in tests): today's snapshot has the new RPI.
    snapshot = AccountSnapshot.objects.get(account=cast.account)
    assert str(snapshot.rpi) == rpi_value(html(response))
    assert 'class="cell s2 below"' in cell_html(html(response), cast.ivy, owner)


def test_post_updates_a_relationship(cast, client_for, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(owner).post(
            cell_url(cast.account, cast.dana, owner), {"strength": "4", "target": ""}, **HTMX
        )

    assert response.status_code == 200
    relationship = Relationship.objects.get(contact=cast.dana, user=owner)
    assert (relationship.strength, relationship.target_strength) == (4, None)
    assert len(callbacks) == 1


def test_strength_zero_without_target_deletes_the_relationship(
    cast, client_for, teammate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(teammate).post(
            cell_url(cast.account, cast.rob, teammate), {"strength": "0", "target": ""}, **HTMX
        )

    assert response.status_code == 200
    assert not Relationship.objects.filter(contact=cast.rob, user=teammate).exists()
    assert len(callbacks) == 1
    cell = cell_html(html(response), cast.rob, teammate)
    assert 'class="cell"' in cell and 'title="No relationship"' in cell


def test_strength_zero_with_a_target_keeps_the_relationship_as_a_plan(cast, client_for, owner):
    response = client_for(owner).post(
        cell_url(cast.account, cast.ivy, owner), {"strength": "0", "target": "2"}, **HTMX
    )

    assert response.status_code == 200
    relationship = Relationship.objects.get(contact=cast.ivy, user=owner)
    assert (relationship.strength, relationship.target_strength) == (0, 2)
    assert "→2" in cell_html(html(response), cast.ivy, owner)


def test_saving_what_is_there_changes_nothing_and_queues_nothing(
    cast, owner, django_capture_on_commit_callbacks
):
    before = Relationship.objects.get(contact=cast.dana, user=owner).updated_at
    with django_capture_on_commit_callbacks() as callbacks:
        services.relationship_set(contact=cast.dana, user=owner, strength=3, target=None, by=owner)
        services.relationship_set(contact=cast.ivy, user=owner, strength=0, target=None, by=owner)

    assert callbacks == []
    assert Relationship.objects.get(contact=cast.dana, user=owner).updated_at == before
    assert not Relationship.objects.filter(contact=cast.ivy).exists()


def test_saved_cell_comes_with_the_new_rpi_and_gaps_out_of_band(cast, client_for, teammate):
    """Tom raises Rob from 1 to 3 (his target). By hand, DESIGN §3:

    best: Dana 3, Rob 3, Ivy 0
    High = mean(3/4, 3/4)                                  = 3/4
    Wide = Rail (Dana 3) and Aero (Rob 3): 2 of 2          = 1
    Deep = (3·3/4 + 2·3/4 + 1·0) / 6 = (15/4) / 6          = 5/8
    RPI  = 100 · (3/4 + 1 + 5/8) / 3 = 100 · 19/24 = 79.16… → 79.2
    Rob is no longer uncovered nor below target; Dana stays single-threaded.
    """
    response = client_for(teammate).post(
        cell_url(cast.account, cast.rob, teammate), {"strength": "3", "target": "3"}, **HTMX
    )

    content = html(response)
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<td id="cell-{cast.rob.pk}-{teammate.pk}"')
    assert 'class="cell s3"' in cell_html(content, cast.rob, teammate)
    assert re.search(r'<section id="rpi-panel"[^>]*hx-swap-oob="true"', content)
    assert rpi_value(content) == "79.2"
    assert 'id="rpi-high">75.0 %' in content
    assert 'id="rpi-wide">100.0 %' in content
    assert 'id="rpi-deep">62.5 %' in content
    assert re.search(r'<section id="gap-list"[^>]*hx-swap-oob="true"', content)
    assert gap_keys(content) == [f"single_threaded-{cast.dana.pk}-{cast.owner.pk}"]
    # The row's best strength, and a sentence for screen readers.
    assert re.search(rf'<td id="best-{cast.rob.pk}" class="best" hx-swap-oob="true">', content)
    assert 'id="matrix-status" hx-swap-oob="innerHTML"' in content
    assert "RPI 79.2" in content


def test_a_plain_post_redirects_to_the_tab_at_the_cell(cast, client_for, owner):
    response = client_for(owner).post(
        cell_url(cast.account, cast.ivy, owner), {"strength": "1", "target": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{tab_url(cast.account)}#cell-{cast.ivy.pk}-{owner.pk}"
    assert Relationship.objects.get(contact=cast.ivy, user=owner).strength == 1


def test_a_plain_get_on_a_cell_shows_the_page_with_its_editor_open(cast, client_for, owner):
    response = client_for(owner).get(cell_url(cast.account, cast.ivy, owner))

    content = html(response)
    assert response.status_code == 200
    assert "<h1>Acme Industrial</h1>" in content
    editor = cell_html(content, cast.ivy, owner)
    assert "cell editing" in editor and 'name="strength"' in editor
    assert content.count("cell editing") == 1


# --- Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        ({"strength": "7", "target": ""}, "Choose a strength from 0 (None) to 4"),
        ({"strength": "three", "target": ""}, "Choose a strength from 0 (None) to 4"),
        ({"strength": "", "target": ""}, "Choose a strength from 0 (None) to 4"),
        ({"target": "2"}, "Choose a strength from 0 (None) to 4"),
        ({"strength": "-1", "target": ""}, "Choose a strength from 0 (None) to 4"),
        ({"strength": "2", "target": "9"}, "Choose a target from 0 to 4"),
        ({"strength": "2", "target": "x"}, "Choose a target from 0 to 4"),
    ],
)
def test_bad_values_answer_422_in_the_cell_and_change_nothing(
    cast, client_for, teammate, data, message, django_capture_on_commit_callbacks
):
    before = relationships(cast)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(teammate).post(
            cell_url(cast.account, cast.rob, teammate), data, **HTMX
        )

    assert response.status_code == 422
    content = html(response)
    assert content.lstrip().startswith(f'<td id="cell-{cast.rob.pk}-{teammate.pk}"')
    assert 'role="alert"' in content and message in content
    assert relationships(cast) == before
    assert callbacks == []


def test_a_user_not_on_the_team_answers_422(cast, client_for, owner):
    stranger = UserFactory(username="stranger")
    before = relationships(cast)

    response = client_for(owner).post(
        cell_url(cast.account, cast.rob, stranger), {"strength": "2", "target": ""}, **HTMX
    )

    assert response.status_code == 422
    assert "Only members of the account team can hold a relationship." in html(response)
    assert relationships(cast) == before
    assert (
        client_for(owner).get(cell_url(cast.account, cast.rob, 999999), **HTMX).status_code == 422
    )


def test_a_contact_of_another_account_the_user_sees_answers_422(cast, client_for, owner):
    elsewhere = ContactFactory(account=AccountFactory(name="Second Account", owner=owner))
    before = relationships(cast)

    response = client_for(owner).post(
        cell_url(cast.account, elsewhere, owner), {"strength": "2", "target": ""}, **HTMX
    )

    assert response.status_code == 422
    assert "This contact belongs to another account." in html(response)
    assert relationships(cast) == before
    assert not Relationship.objects.filter(contact=elsewhere).exists()


def test_a_plain_post_of_bad_values_shows_the_page_with_the_message(cast, client_for, owner):
    response = client_for(owner).post(
        cell_url(cast.account, cast.ivy, owner), {"strength": "9", "target": ""}
    )

    assert response.status_code == 422
    content = html(response)
    assert "<h1>Acme Industrial</h1>" in content
    assert "Choose a strength from 0 (None) to 4" in cell_html(content, cast.ivy, owner)


# --- Who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "teammate", "admin_user"])
def test_editors_see_edit_affordances_and_may_save(cast, client_for, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)

    content = html(client.get(tab_url(cast.account)))
    assert f'data-edit-url="{tab_url(cast.account)}"' in content
    assert 'aria-readonly="true"' not in content
    assert "Click a cell" in content

    assert client.get(cell_url(cast.account, cast.ivy, cast.owner), **HTMX).status_code == 200
    response = client.post(
        cell_url(cast.account, cast.ivy, cast.owner), {"strength": "2", "target": ""}, **HTMX
    )
    assert response.status_code == 200
    assert Relationship.objects.get(contact=cast.ivy, user=cast.owner).strength == 2


def test_a_manager_on_the_team_may_edit(cast, client_for, manager):
    TeamMemberFactory(account=cast.account, user=manager, role=TeamMember.Role.OTHER)

    response = client_for(manager).post(
        cell_url(cast.account, cast.ivy, manager), {"strength": "1", "target": ""}, **HTMX
    )

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["manager", "executive"])
def test_read_only_roles_see_the_matrix_without_edit_affordances(cast, client_for, request, who):
    client = client_for(request.getfixturevalue(who))

    response = client.get(tab_url(cast.account))
    content = html(response)
    assert response.status_code == 200
    assert f'id="cell-{cast.rob.pk}-{cast.teammate.pk}"' in content
    assert rpi_value(content) == "48.6"
    assert "data-edit-url" not in content
    assert 'aria-readonly="true"' in content
    assert "Read only" in content
    assert "Add contact" not in content


@pytest.mark.parametrize("who", ["manager", "executive"])
def test_read_only_roles_get_403_on_the_cell_and_change_nothing(cast, client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    url = cell_url(cast.account, cast.rob, cast.teammate)
    before = relationships(cast)

    assert client.post(url, {"strength": "4", "target": ""}, **HTMX).status_code == 403
    assert client.post(url, {"strength": "4", "target": ""}).status_code == 403
    assert client.get(url, **HTMX).status_code == 403  # the editor is an edit affordance
    assert client.get(url + "?cancel=1", **HTMX).status_code == 200  # the cell as shown
    assert relationships(cast) == before


def test_outsiders_get_404_on_every_matrix_url(cast, client_for, outsider):
    client = client_for(outsider)
    url = cell_url(cast.account, cast.rob, cast.teammate)
    before = relationships(cast)

    assert client.get(tab_url(cast.account)).status_code == 404
    assert client.get(tab_url(cast.account), **HTMX).status_code == 404
    assert client.get(url, **HTMX).status_code == 404
    assert client.get(url + "?cancel=1", **HTMX).status_code == 404
    assert client.post(url, {"strength": "4", "target": ""}, **HTMX).status_code == 404
    assert client.post(url, {"strength": "4", "target": ""}).status_code == 404
    assert relationships(cast) == before


def test_outsiders_get_404_for_a_contact_or_user_of_another_account(cast, client_for, outsider):
    """Through their own account's URLs, they learn nothing of another account's people."""
    client = client_for(outsider)
    own = Account.objects.get(owner=outsider)
    before = relationships(cast)

    # Another account's contact on the outsider's own account: not found.
    url = cell_url(own, cast.rob, outsider)
    assert client.get(url, **HTMX).status_code == 404
    assert client.post(url, {"strength": "4", "target": ""}, **HTMX).status_code == 404
    # The visible account's URL with another account's contact or user: not found either.
    other_contact = ContactFactory(account=own)
    assert client.get(cell_url(cast.account, other_contact, outsider), **HTMX).status_code == 404
    assert (
        client.post(
            cell_url(cast.account, cast.rob, outsider), {"strength": "4", "target": ""}, **HTMX
        ).status_code
        == 404
    )
    assert relationships(cast) == before
    assert not Relationship.objects.filter(contact=cast.rob, user=outsider).exists()


def test_an_editor_gets_404_for_a_contact_they_may_not_see(cast, client_for, owner, outsider):
    hidden = ContactFactory(account=Account.objects.get(owner=outsider))

    response = client_for(owner).post(
        cell_url(cast.account, hidden, owner), {"strength": "2", "target": ""}, **HTMX
    )

    assert response.status_code == 404
    assert client_for(owner).get(cell_url(cast.account, 999999, owner), **HTMX).status_code == 404
    assert not Relationship.objects.filter(contact=hidden).exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get(tab_url(cast.account))
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(cell_url(cast.account, cast.rob, cast.teammate), {"strength": "4"})
    assert response.status_code == 302
    assert Relationship.objects.get(contact=cast.rob, user=cast.teammate).strength == 1


# --- Queries -----------------------------------------------------------------------------


def _populate(account, *, contacts: int, members: int, units: int = 3):
    unit_list = [BusinessUnitFactory(account=account) for _ in range(units)]
    users = [
        TeamMemberFactory(account=account, user=UserFactory()).user for _ in range(members - 1)
    ]
    users.append(account.owner)
    levels = list(Contact.Level.values)
    roles = list(Contact.BuyingRole.values)
    for index in range(contacts):
        contact = ContactFactory(
            account=account,
            business_unit=unit_list[index % units] if index % 5 else None,
            level=levels[index % len(levels)],
            buying_role=roles[index % len(roles)],
        )
        for offset in range(2):
            user = users[(index + offset) % len(users)]
            RelationshipFactory(
                contact=contact,
                user=user,
                strength=(index + offset) % 5,
                target_strength=4 if index % 3 == 0 else None,
            )


def _queries(client, url, **extra) -> int:
    client.get(url, **extra)  # warm the session and content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


def test_tab_queries_do_not_grow_with_contacts(client_for):
    small_owner, big_owner = UserFactory(username="small"), UserFactory(username="big")
    small, big = AccountFactory(owner=small_owner), AccountFactory(owner=big_owner)
    _populate(small, contacts=3, members=2)
    _populate(big, contacts=30, members=2)

    small_count = _queries(client_for(small_owner), tab_url(small))
    big_count = _queries(client_for(big_owner), tab_url(big))

    assert small_count == big_count


def test_tab_queries_do_not_grow_with_team_members(client_for):
    small_owner, big_owner = UserFactory(username="small"), UserFactory(username="big")
    small, big = AccountFactory(owner=small_owner), AccountFactory(owner=big_owner)
    _populate(small, contacts=10, members=2)
    _populate(big, contacts=10, members=8)

    assert _queries(client_for(small_owner), tab_url(small), **HTMX) == _queries(
        client_for(big_owner), tab_url(big), **HTMX
    )


def test_saving_a_cell_costs_the_same_queries_whatever_the_account_size(client_for):
    small_owner, big_owner = UserFactory(username="small"), UserFactory(username="big")
    small, big = AccountFactory(owner=small_owner), AccountFactory(owner=big_owner)
    _populate(small, contacts=3, members=2)
    _populate(big, contacts=30, members=8)

    counts = []
    for owner, account in ((small_owner, small), (big_owner, big)):
        client = client_for(owner)
        contact = ContactFactory(account=account)  # the same path: a new relationship
        url = cell_url(account, contact, owner)
        client.get(tab_url(account))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"strength": "3", "target": "4"}, **HTMX)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_ids_no_database_can_hold_are_404_not_crashes(client_for, owner, account, contact):
    huge = "99999999999999999999"
    client = client_for(owner)
    for path in (
        f"/accounts/{account.pk}/relationships/{contact.pk}/{huge}/",
        f"/accounts/{account.pk}/relationships/{huge}/{owner.pk}/",
        f"/accounts/{huge}/relationships/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.get(path, {"cancel": "1"}).status_code == 404, path
        assert client.post(path, {"strength": "2"}).status_code == 404, path
