"""HTML views of accounts: the list, create, the Overview tab, edit and the one-pager PDF."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import (
    Account,
    DefaultIndustry,
    DefaultRegion,
    LifecycleStage,
    TeamMember,
)
from demo.factories import (
    AccountFactory,
    AccountSnapshotFactory,
    BusinessUnitFactory,
    ContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
READ_ONLY_ROLES = ["manager", "executive"]


def account_url(name, account):
    return reverse(f"accounts:{name}", args=[account.pk])


def form_data(**overrides):
    """A complete, valid account form as a browser would post it."""
    data = {
        "name": "Globex Corporation",
        "parent": "",
        "industry": DefaultIndustry.ENERGY,
        "region": DefaultRegion.ASIA_PACIFIC,
        "lifecycle_stage": LifecycleStage.MATURE,
        "annual_revenue": "250000",
        "wallet_estimate": "1000000",
        "gross_margin_pct": "28.5",
        "strategic_value": "4",
        "strategic_value_reason": "Anchor customer in the region.",
        "website": "globex.example",
        "description": "",
    }
    data.update(overrides)
    return data


def assert_redirects_to_login(response, url):
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- who may open what -------------------------------------------------------------------

ACCOUNT_PAGES = ["detail", "edit", "one_pager"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_redirected_to_login_from_the_list_and_create(client, method):
    for url in (reverse("accounts:list"), reverse("accounts:create")):
        assert_redirects_to_login(getattr(client, method)(url), url)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_anonymous_is_redirected_to_login_from_account_pages(client, account, page, method):
    url = account_url(page, account)
    assert_redirects_to_login(getattr(client, method)(url), url)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_outsider_gets_404_on_account_pages(client_for, outsider, account, page, method, headers):
    client = client_for(outsider)
    response = getattr(client, method)(account_url(page, account), form_data(), **headers)
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.name == "Acme Industrial"


def test_outsider_does_not_see_the_account_in_the_list(client_for, outsider, account):
    response = client_for(outsider).get(reverse("accounts:list"))
    assert response.status_code == 200
    assert "Acme Industrial" not in response.text
    assert listed_names(response) == ["Outsider's Own Account"]


def test_a_missing_account_is_404(client_for, admin_user):
    assert client_for(admin_user).get("/accounts/999999/").status_code == 404


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
@pytest.mark.parametrize("page", ["detail", "one_pager"])
def test_read_only_roles_can_read_the_account(request, client_for, account, role, page):
    client = client_for(request.getfixturevalue(role))
    assert client.get(account_url(page, account)).status_code == 200


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_see_no_edit_button(request, client_for, account, role):
    response = client_for(request.getfixturevalue(role)).get(account_url("detail", account))
    assert account_url("edit", account) not in response.text
    assert reverse("accounts:business_unit_create", args=[account.pk]) not in response.text


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_get_403_on_the_edit_form(request, client_for, account, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(account_url("edit", account)).status_code == 403
    assert client.get(account_url("edit", account), **HTMX).status_code == 403


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_get_403_when_posting_an_edit(request, client_for, account, role):
    client = client_for(request.getfixturevalue(role))
    response = client.post(account_url("edit", account), form_data(name="Hijacked"))
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.name == "Acme Industrial"


def test_executive_gets_403_on_create(client_for, executive):
    client = client_for(executive)
    assert client.get(reverse("accounts:create")).status_code == 403
    assert client.post(reverse("accounts:create"), form_data()).status_code == 403
    assert not Account.objects.filter(name="Globex Corporation").exists()


def test_executive_sees_no_new_account_button(client_for, executive):
    response = client_for(executive).get(reverse("accounts:list"))
    assert reverse("accounts:create") not in response.text


@pytest.mark.parametrize("role", ["owner", "teammate", "admin_user"])
def test_team_members_and_admins_see_the_edit_form(request, client_for, account, role):
    response = client_for(request.getfixturevalue(role)).get(account_url("edit", account))
    assert response.status_code == 200
    assert 'value="Acme Industrial"' in response.text


@pytest.mark.parametrize("role", ["teammate", "admin_user"])
def test_teammate_and_admin_can_edit_the_account(request, client_for, account, role):
    client = client_for(request.getfixturevalue(role))
    response = client.post(account_url("edit", account), form_data(name="Acme Global"))
    assert response.status_code == 302
    assert response["Location"] == account_url("detail", account)
    account.refresh_from_db()
    assert (account.name, account.strategic_value) == ("Acme Global", 4)
    assert account.gross_margin_pct == Decimal("28.5")
    assert account.website == "https://globex.example"


@pytest.mark.parametrize("role", ["owner", "manager", "outsider"])
def test_anyone_but_executives_can_create_an_account_and_owns_it(request, client_for, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(reverse("accounts:create")).status_code == 200
    response = client.post(reverse("accounts:create"), form_data())
    created = Account.objects.get(name="Globex Corporation")
    assert response.status_code == 302
    assert response["Location"] == account_url("detail", created)
    assert created.owner == user
    assert created.team_members.get().role == TeamMember.Role.OWNER


def test_parent_choices_are_limited_to_visible_accounts(client_for, owner, account, outsider):
    foreign = Account.objects.get(owner=outsider)
    client = client_for(owner)
    choices = client.get(reverse("accounts:create")).context["form"].fields["parent"].queryset
    assert list(choices) == [account]
    response = client.post(reverse("accounts:create"), form_data(parent=foreign.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Account.objects.filter(name="Globex Corporation").exists()


def test_saving_a_subsidiary_keeps_a_parent_the_editor_cannot_see(client_for, teammate, outsider):
    group = Account.objects.get(owner=outsider)
    subsidiary = AccountFactory(name="Acme Rail", owner=teammate, parent=group)
    client = client_for(teammate)
    form = client.get(account_url("edit", subsidiary)).context["form"]
    assert list(form.fields["parent"].queryset) == [group]  # offered, so the select keeps it

    response = client.post(
        account_url("edit", subsidiary), form_data(name="Acme Rail", parent=group.pk)
    )

    assert response.status_code == 302
    subsidiary.refresh_from_db()
    assert subsidiary.parent == group


def test_an_account_cannot_be_made_its_own_parent_in_the_form(client_for, owner, account):
    response = client_for(owner).post(
        account_url("edit", account), form_data(name="Acme Industrial", parent=account.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_edit_form_rejects_a_parent_cycle(client_for, owner, account):
    child = AccountFactory(owner=owner, parent=account, name="Acme Rail")
    response = client_for(owner).post(
        account_url("edit", account), form_data(name="Acme Industrial", parent=child.pk)
    )
    assert response.status_code == 200
    assert "cannot be its own parent" in response.text
    account.refresh_from_db()
    assert account.parent is None


# --- forms with bad input -----------------------------------------------------------------


def test_edit_with_bad_margin_shows_the_error_and_keeps_the_input(client_for, teammate, account):
    response = client_for(teammate).post(
        account_url("edit", account),
        form_data(name="Acme Typed Name", gross_margin_pct="150"),
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.text
    assert 'value="Acme Typed Name"' in response.text
    assert 'value="150"' in response.text
    account.refresh_from_db()
    assert account.name == "Acme Industrial"
    assert account.gross_margin_pct == Decimal("32.50")


def test_create_with_blank_name_saves_nothing(client_for, owner):
    before = Account.objects.count()
    response = client_for(owner).post(
        reverse("accounts:create"), form_data(name="", annual_revenue="-5", website="not a url")
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Ensure this value is greater than or equal to 0." in response.text
    assert "Enter a valid URL." in response.text
    assert 'value="-5"' in response.text
    assert Account.objects.count() == before


def test_edit_with_blank_name_keeps_the_saved_name_in_the_breadcrumb(client_for, teammate, account):
    response = client_for(teammate).post(account_url("edit", account), form_data(name=""))
    assert response.status_code == 200
    assert "Acme Industrial" in response.text


def test_edit_and_create_accept_only_get_and_post(client_for, owner, account):
    client = client_for(owner)
    assert client.put(account_url("edit", account)).status_code == 405
    assert client.delete(reverse("accounts:create")).status_code == 405


# --- the Overview tab and htmx ---------------------------------------------------------


def test_detail_shows_the_overview(client_for, owner, account):
    BusinessUnitFactory(account=account, name="Rail Division")
    response = client_for(owner).get(account_url("detail", account))
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="account-tabs"' in response.text
    assert "Rail Division" in response.text
    assert account_url("edit", account) in response.text


def test_detail_htmx_request_returns_only_the_tabs_fragment(client_for, owner, account):
    response = client_for(owner).get(account_url("detail", account), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="account-tabs"' in response.text
    assert "<h1" not in response.text  # no page head, only the tab area


def test_detail_history_restore_returns_the_full_page(client_for, owner, account):
    response = client_for(owner).get(account_url("detail", account), **HISTORY_RESTORE)
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="account-tabs"' in response.text


def test_detail_lists_only_visible_subsidiaries(client_for, teammate, account, outsider):
    AccountFactory(parent=account, owner=teammate, name="Acme Rail")
    AccountFactory(parent=account, owner=outsider, name="Acme Secret")
    response = client_for(teammate).get(account_url("detail", account))
    assert "Acme Rail" in response.text
    assert "Acme Secret" not in response.text


def test_detail_shows_the_latest_snapshot(client_for, owner, account):
    AccountSnapshotFactory(
        account=account,
        date=timezone.localdate(),
        contact_count=17,
        relationship_count=9,
        team_size=2,
        computed_at=timezone.now(),
    )
    response = client_for(owner).get(account_url("detail", account))
    assert response.context["snapshot"].contact_count == 17
    assert ">17<" in response.text


# --- the one-pager ------------------------------------------------------------------------


def test_one_pager_is_a_pdf(client_for, owner, account):
    ContactFactory(account=account, name="Carla Buyer")
    response = client_for(owner).get(account_url("one_pager", account))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="acme-industrial-one-pager.pdf"' in response["Content-Disposition"]


# --- the list: search, filters, sorting, pages -----------------------------------------


@pytest.fixture
def portfolio(executive, owner, teammate):
    """Four accounts with distinct attributes; the executive sees them all."""
    return {
        "alpha": AccountFactory(
            name="Alpha Mining",
            owner=owner,
            region=DefaultRegion.LATIN_AMERICA,
            industry=DefaultIndustry.ENERGY,
            lifecycle_stage=LifecycleStage.AT_RISK,
            annual_revenue=Decimal("300"),
        ),
        "beta": AccountFactory(
            name="Beta Pharma",
            owner=teammate,
            region=DefaultRegion.WESTERN_EUROPE,
            industry=DefaultIndustry.PHARMA,
            lifecycle_stage=LifecycleStage.MATURE,
            annual_revenue=Decimal("100"),
        ),
        "gamma": AccountFactory(
            name="Gamma Retail",
            owner=teammate,
            region=DefaultRegion.WESTERN_EUROPE,
            industry=DefaultIndustry.RETAIL,
            lifecycle_stage=LifecycleStage.MATURE,
            annual_revenue=Decimal("200"),
        ),
        "delta": AccountFactory(
            name="Delta Subsidiary",
            owner=owner,
            region=DefaultRegion.ASIA_PACIFIC,
            industry=DefaultIndustry.RETAIL,
            lifecycle_stage=LifecycleStage.DEVELOPMENT,
            annual_revenue=Decimal("400"),
        ),
    }


def listed_names(response):
    return [account.name for account in response.context["page"].object_list]


def get_list(client, **params):
    response = client.get(reverse("accounts:list"), params)
    assert response.status_code == 200
    return response


def test_list_shows_visible_accounts_sorted_by_name(client_for, executive, portfolio):
    names = listed_names(get_list(client_for(executive)))
    assert names == ["Alpha Mining", "Beta Pharma", "Delta Subsidiary", "Gamma Retail"]


def test_list_search_matches_account_and_parent_names(client_for, executive, portfolio):
    portfolio["delta"].parent = portfolio["gamma"]
    portfolio["delta"].save()
    client = client_for(executive)
    assert listed_names(get_list(client, q="pharma")) == ["Beta Pharma"]
    assert listed_names(get_list(client, q="gamma")) == ["Delta Subsidiary", "Gamma Retail"]
    assert listed_names(get_list(client, q="nothing like it")) == []


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("region", DefaultRegion.WESTERN_EUROPE, ["Beta Pharma", "Gamma Retail"]),
        ("industry", DefaultIndustry.RETAIL, ["Delta Subsidiary", "Gamma Retail"]),
        ("lifecycle_stage", LifecycleStage.AT_RISK, ["Alpha Mining"]),
    ],
)
def test_list_filters_by_attribute(client_for, executive, portfolio, param, value, expected):
    assert listed_names(get_list(client_for(executive), **{param: value})) == expected


def test_list_filters_by_owner(client_for, executive, owner, portfolio):
    names = listed_names(get_list(client_for(executive), owner=owner.pk))
    assert names == ["Alpha Mining", "Delta Subsidiary"]


def test_list_filters_combine(client_for, executive, teammate, portfolio):
    response = get_list(
        client_for(executive), owner=teammate.pk, industry=DefaultIndustry.RETAIL, q="retail"
    )
    assert listed_names(response) == ["Gamma Retail"]
    assert response.context["is_filtered"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("revenue", ["Beta Pharma", "Gamma Retail", "Alpha Mining", "Delta Subsidiary"]),
        ("-revenue", ["Delta Subsidiary", "Alpha Mining", "Gamma Retail", "Beta Pharma"]),
        ("-name", ["Gamma Retail", "Delta Subsidiary", "Beta Pharma", "Alpha Mining"]),
    ],
)
def test_list_sorts_by_column(client_for, executive, portfolio, sort, expected):
    assert listed_names(get_list(client_for(executive), sort=sort)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"region": "mars"},
        {"owner": "abc"},
        {"owner": "999999"},
        {"lifecycle_stage": "<script>"},
        {"sort": "password"},
        {"page": "abc"},
        {"page": "999"},
        {"archived": "maybe"},
        {"parent": "x"},
        {"q": "x" * 500},
    ],
)
def test_list_with_an_invalid_parameter_does_not_fail(client_for, executive, portfolio, params):
    response = client_for(executive).get(reverse("accounts:list"), params)
    assert response.status_code == 200


def test_list_with_an_unknown_region_shows_the_filter_error(client_for, executive, portfolio):
    response = get_list(client_for(executive), region="mars")
    assert listed_names(response) == []
    assert "“mars” is not in the list of regions" in response.text


def test_list_paginates_by_25(client_for, owner):
    AccountFactory.create_batch(27, owner=owner)
    client = client_for(owner)
    first = get_list(client)
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.num_pages == 2
    second = get_list(client, page=2)
    assert len(second.context["page"].object_list) == 2
    assert set(listed_names(first)).isdisjoint(listed_names(second))


def test_list_pagination_links_keep_the_filters(client_for, owner):
    AccountFactory.create_batch(26, owner=owner, region=DefaultRegion.ASIA_PACIFIC)
    response = get_list(client_for(owner), region=DefaultRegion.ASIA_PACIFIC, sort="-revenue")
    assert "region=asia_pacific&amp;sort=-revenue&amp;page=2" in response.text


def test_list_htmx_request_returns_only_the_results(client_for, owner, account):
    response = client_for(owner).get(reverse("accounts:list"), {"q": "acme"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="results"' in response.text
    assert "Acme Industrial" in response.text


def test_list_history_restore_returns_the_full_page(client_for, owner, account):
    response = client_for(owner).get(reverse("accounts:list"), **HISTORY_RESTORE)
    assert "<html" in response.text


def _make_visible_accounts(count, viewer_team_member):
    """Accounts with everything the list shows: owner, parent, snapshot."""
    parent = AccountFactory(name="Global Parent", owner=UserFactory())
    for _ in range(count):
        account = AccountFactory(owner=UserFactory(), parent=parent)
        TeamMember.objects.create(account=account, user=viewer_team_member)
        AccountSnapshotFactory(
            account=account,
            date=timezone.localdate(),
            contact_count=3,
            last_interaction=timezone.localdate(),
            computed_at=timezone.now(),
        )


@pytest.mark.parametrize("role", ["teammate", "manager", "executive"])
def test_list_queries_do_not_grow_with_the_number_of_accounts(
    request, client_for, teammate, role, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(role))
    _make_visible_accounts(5, teammate)
    with CaptureQueriesContext(connection) as few:
        assert len(listed_names(get_list(client))) >= 5
    _make_visible_accounts(25, teammate)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(listed_names(get_list(client))) == 25


@pytest.mark.parametrize(
    "sort", ["name", "industry", "region", "stage", "owner", "revenue", "contacts", "updated"]
)
def test_list_sorts_by_every_column_both_ways(client_for, executive, portfolio, sort):
    client = client_for(executive)
    ascending = listed_names(get_list(client, sort=sort))
    descending = listed_names(get_list(client, sort=f"-{sort}"))
    assert sorted(ascending) == sorted(descending) == sorted(portfolio_names(portfolio))


def portfolio_names(portfolio):
    return [account.name for account in portfolio.values()]


def test_owner_filter_offers_only_owners_of_visible_accounts(
    client_for, teammate, account, outsider
):
    form = client_for(teammate).get(reverse("accounts:list")).context["filter"].form
    assert list(form.fields["owner"].queryset) == [account.owner]
    assert outsider not in form.fields["owner"].queryset
