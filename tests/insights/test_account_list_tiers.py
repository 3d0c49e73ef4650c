"""The accounts list (HTML and API) by tier: the tier filter, sorting by tier and score,
the Tier and Servicing columns, and their cost in queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_app.models import TeamMember
from demo.factories import (
    AccountFactory,
    TeamMemberFactory,
    TierAssignmentFactory,
    TierFactory,
    UserFactory,
)
from segmentation.services import tier_pin

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/accounts/"


def place(account, tier, composite="50"):
    return TierAssignmentFactory(account=account, tier=tier, composite=Decimal(composite))


@pytest.fixture
def portfolio(seeded_tiers, owner):
    """Four accounts the owner is on: one per tier (scores not in tier order) and one
    no run has placed yet."""
    tier_1, tier_2, tier_3 = seeded_tiers
    accounts = {
        "bravo": AccountFactory(name="Bravo Tier One", owner=owner),
        "alpha": AccountFactory(name="Alpha Tier Two", owner=owner),
        "delta": AccountFactory(name="Delta Tier Three", owner=owner),
        "charlie": AccountFactory(name="Charlie Untiered", owner=owner),
    }
    place(accounts["bravo"], tier_1, "81.50")
    place(accounts["alpha"], tier_2, "92.25")
    place(accounts["delta"], tier_3, "12.00")
    return accounts


def get_list(client, **params):
    response = client.get(reverse("accounts:list"), params)
    assert response.status_code == 200
    return response


def listed_names(response):
    return [account.name for account in response.context["page"].object_list]


def api_names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def row_of(response, name):
    """The HTML of the list's table row that names `name`."""
    for row in re.findall(r"<tr>.*?</tr>", response.text, flags=re.S):
        if f">{name}</a>" in row:
            return row
    raise AssertionError(f"No row for {name!r} in the list.")


# --- the tier filter ------------------------------------------------------------------


def test_list_filters_by_tier(client_for, owner, seeded_tiers, portfolio):
    client = client_for(owner)
    assert listed_names(get_list(client, tier=seeded_tiers[0].pk)) == ["Bravo Tier One"]
    assert listed_names(get_list(client, tier=seeded_tiers[1].pk)) == ["Alpha Tier Two"]


def test_list_filters_the_accounts_not_yet_tiered(client_for, owner, seeded_tiers, portfolio):
    response = get_list(client_for(owner), tier="none")
    assert listed_names(response) == ["Charlie Untiered"]
    assert response.context["is_filtered"]


def test_api_filters_by_tier(api_for, owner, seeded_tiers, portfolio):
    client = api_for(owner)
    assert api_names(client.get(API_URL, {"tier": seeded_tiers[2].pk})) == ["Delta Tier Three"]
    assert api_names(client.get(API_URL, {"tier": "none"})) == ["Charlie Untiered"]


def test_tier_select_offers_every_tier_by_rank_then_not_yet_tiered(
    client_for, owner, seeded_tiers, portfolio
):
    response = get_list(client_for(owner), tier=seeded_tiers[1].pk)
    field = response.context["filter"].form.fields["tier"]
    assert list(field.choices) == [
        ("", "Any tier"),
        *[(str(tier.pk), tier.name) for tier in seeded_tiers],
        ("none", "Not yet tiered"),
    ]
    # The chosen tier stays selected (the URL carries it; htmx pushes the URL).
    assert f'<option value="{seeded_tiers[1].pk}" selected>' in response.text


def test_a_tier_added_since_start_up_can_be_filtered_on(client_for, owner, seeded_tiers, portfolio):
    tier_4 = TierFactory(name="Watch list", rank=4)
    place(portfolio["charlie"], tier_4)
    response = get_list(client_for(owner), tier=tier_4.pk)
    assert listed_names(response) == ["Charlie Untiered"]
    assert "Watch list" in response.text


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "NONE", "1.5"])
def test_api_answers_an_invalid_tier_with_a_400_field_error(api_for, owner, portfolio, value):
    response = api_for(owner).get(API_URL, {"tier": value})
    assert response.status_code == 400
    assert "tier" in response.json()


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_list_shows_an_invalid_tier_as_a_filter_error(client_for, owner, portfolio, value):
    response = get_list(client_for(owner), tier=value)
    assert listed_names(response) == []
    assert "form-errors" in response.text
    assert f"Tier: “{value}” is not a tier" in response.text


def test_an_outsider_sees_none_of_our_accounts_through_the_tier_filter(
    client_for, api_for, outsider, seeded_tiers, portfolio
):
    own = outsider.owned_accounts.get()
    place(own, seeded_tiers[0])
    html = client_for(outsider)
    assert listed_names(get_list(html, tier=seeded_tiers[0].pk)) == [own.name]
    assert listed_names(get_list(html, tier=seeded_tiers[1].pk)) == []
    assert listed_names(get_list(html, tier="none")) == []
    api = api_for(outsider)
    assert api_names(api.get(API_URL, {"tier": seeded_tiers[0].pk})) == [own.name]
    assert api_names(api.get(API_URL, {"tier": "none"})) == []


# --- sorting by tier and score ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("tier", ["Bravo Tier One", "Alpha Tier Two", "Delta Tier Three", "Charlie Untiered"]),
        ("-tier", ["Delta Tier Three", "Alpha Tier Two", "Bravo Tier One", "Charlie Untiered"]),
        ("score", ["Delta Tier Three", "Bravo Tier One", "Alpha Tier Two", "Charlie Untiered"]),
        ("-score", ["Alpha Tier Two", "Bravo Tier One", "Delta Tier Three", "Charlie Untiered"]),
    ],
)
def test_list_and_api_sort_by_tier_and_score_with_the_untiered_last(
    client_for, api_for, owner, portfolio, sort, expected
):
    assert listed_names(get_list(client_for(owner), sort=sort)) == expected
    assert api_names(api_for(owner).get(API_URL, {"sort": sort})) == expected


def test_accounts_of_one_tier_sort_by_name(client_for, owner, seeded_tiers, portfolio):
    place(AccountFactory(name="Aardvark Tier One", owner=owner), seeded_tiers[0], "10")
    names = listed_names(get_list(client_for(owner), sort="tier"))
    assert names[:2] == ["Aardvark Tier One", "Bravo Tier One"]


def test_tier_and_score_headers_sort_the_list(client_for, owner, portfolio):
    response = get_list(client_for(owner), sort="tier")
    assert 'aria-sort="ascending"' in response.text
    assert "sort=-tier" in response.text  # clicking the sorted header reverses it
    assert "sort=score" in response.text


# --- the Tier and Servicing columns -----------------------------------------------------


def test_tier_column_shows_the_tier_name_and_score(client_for, owner, portfolio):
    response = get_list(client_for(owner))
    row = row_of(response, "Alpha Tier Two")
    assert re.search(r'class="badge tier-badge[^"]*">Tier II\s*<', row)
    assert "92.3" in row
    assert "tier-pin" not in row
    untiered = row_of(response, "Charlie Untiered")
    assert "Not yet tiered" in untiered
    assert "tier-badge" not in untiered


def test_tier_column_marks_a_pinned_tier_with_the_override_reason(
    client_for, owner, manager, seeded_tiers, portfolio
):
    tier_pin(
        account=portfolio["delta"],
        tier=seeded_tiers[1],
        reason="Board-level partnership",
        by=manager,
    )
    row = row_of(get_list(client_for(owner)), "Delta Tier Three")
    assert re.search(r">Tier II\s*<svg", row)
    assert 'class="tier-pin"' in row
    assert 'title="Tier set by override: Board-level partnership"' in row


def test_servicing_column_shows_the_missing_executive_sponsor_until_one_joins(
    client_for, owner, manager, portfolio
):
    client = client_for(owner)
    row = row_of(get_list(client), "Bravo Tier One")
    assert "2 gaps" in row
    assert "No team member in the executive sponsor role" in row
    assert "No account plan" in row  # Tier I requires one; Strata holds no plans yet
    assert ">OK<" not in row
    # The badge leads to the Tier tab, which says how to fix each gap.
    tier_tab = reverse("segmentation:account_tier", args=[portfolio["bravo"].pk])
    assert f'class="badge servicing-gaps" href="{tier_tab}"' in row

    TeamMemberFactory(account=portfolio["bravo"], role=TeamMember.Role.EXECUTIVE_SPONSOR)
    row = row_of(get_list(client), "Bravo Tier One")
    assert "1 gap" in row and "No account plan" in row
    assert "executive sponsor" not in row

    from plans import services as plans

    plan = plans.plan_create(account=portfolio["bravo"], by=portfolio["bravo"].owner)
    row = row_of(get_list(client), "Bravo Tier One")
    assert "1 gap" in row and "plan is draft, not approved" in row  # Tier I needs it approved

    plans.plan_submit(plan=plan, by=portfolio["bravo"].owner, comment="")
    plans.plan_approve(plan=plan, by=manager, comment="Good")
    row = row_of(get_list(client), "Bravo Tier One")
    assert ">OK<" in row


def test_servicing_column_is_ok_for_a_tier_that_requires_no_role_and_empty_untiered(
    client_for, owner, portfolio
):
    response = get_list(client_for(owner))
    assert ">OK<" in row_of(response, "Delta Tier Three")
    untiered = row_of(response, "Charlie Untiered")
    assert ">OK<" not in untiered
    assert "gap" not in untiered


def test_htmx_results_carry_the_tier_columns(client_for, owner, seeded_tiers, portfolio):
    response = client_for(owner).get(
        reverse("accounts:list"), {"tier": seeded_tiers[0].pk}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.text
    assert "No team member in the executive sponsor role" in response.text


# --- queries --------------------------------------------------------------------------


def _add_tiered_accounts(count, *, viewer, seeded_tiers):
    """Accounts the viewer is on, spread over the tiers, each with a team of three and
    some with an executive sponsor, some pinned."""
    for number in range(count):
        account = AccountFactory(owner=UserFactory())
        TeamMember.objects.create(account=account, user=viewer, role=TeamMember.Role.SALES)
        if number % 2:
            TeamMemberFactory(account=account, role=TeamMember.Role.EXECUTIVE_SPONSOR)
        assignment = place(account, seeded_tiers[number % len(seeded_tiers)], str(number))
        if number % 3 == 0:
            assignment.pinned, assignment.pin_reason = True, "Strategic"
            assignment.save()


@pytest.mark.parametrize("role", ["teammate", "executive"])
@pytest.mark.parametrize("params", [{}, {"sort": "tier"}, {"sort": "-score", "tier": "first"}])
def test_list_queries_are_the_same_for_3_and_30_tiered_accounts(
    request, client_for, teammate, seeded_tiers, role, params, django_assert_num_queries
):
    if params.get("tier") == "first":
        params = {**params, "tier": seeded_tiers[0].pk}
    client = client_for(request.getfixturevalue(role))
    _add_tiered_accounts(3, viewer=teammate, seeded_tiers=seeded_tiers)
    with CaptureQueriesContext(connection) as few:
        assert listed_names(get_list(client, **params))
    _add_tiered_accounts(27, viewer=teammate, seeded_tiers=seeded_tiers)
    with django_assert_num_queries(len(few.captured_queries)):
        response = get_list(client, **params)
    assert len(listed_names(response)) == (25 if not params.get("tier") else 10)


@pytest.mark.parametrize("params", [{}, {"sort": "tier"}])
def test_api_list_queries_are_the_same_for_3_and_30_tiered_accounts(
    api_for, teammate, seeded_tiers, params, django_assert_num_queries
):
    client = api_for(teammate)
    _add_tiered_accounts(3, viewer=teammate, seeded_tiers=seeded_tiers)
    with CaptureQueriesContext(connection) as few:
        assert len(api_names(client.get(API_URL, params))) == 3
    _add_tiered_accounts(27, viewer=teammate, seeded_tiers=seeded_tiers)
    with django_assert_num_queries(len(few.captured_queries)):
        rows = client.get(API_URL, params).json()["results"]
    assert len(rows) == 30
    assert {row["tier"] for row in rows} == {tier.name for tier in seeded_tiers}
    assert any(row["tier_pinned"] for row in rows)
