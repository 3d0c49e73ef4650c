"""The whitespace matrix: product lines × the account's business units, each cell sold,
open, not applicable or whitespace, with totals worked by hand; the cell editor; the
empty states; permissions and query counts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    OpportunityFactory,
    ProductLineFactory,
)
from opportunities import selectors, services
from opportunities.models import ProductLine, WhitespaceCell

from .helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(account, owner):
    """Two lines × two units: service/east sold for 100,000 with an open upsell of
    30,000; service/west open (50,000 and 20,000); parts/east not applicable; parts/west
    whitespace. A won deal and an unplaced open one are not in the cells."""
    service = ProductLineFactory(name="Field service", position=1)
    parts = ProductLineFactory(name="Spare parts", position=2)
    ProductLineFactory(name="Retired line", position=3, active=False)
    east = BusinessUnitFactory(account=account, name="East")
    west = BusinessUnitFactory(account=account, name="West")
    set_cell = services.whitespace_cell_set
    set_cell(
        account=account,
        product_line=service,
        business_unit=east,
        state="sold",
        revenue=Decimal("100000"),
        by=owner,
    )
    set_cell(
        account=account, product_line=parts, business_unit=east, state="not_applicable", by=owner
    )
    place = {"product_line": service}
    OpportunityFactory(
        account=account,
        by=owner,
        name="Upsell",
        value=Decimal("30000"),
        business_unit=east,
        **place,
    )
    OpportunityFactory(
        account=account,
        by=owner,
        name="West big",
        value=Decimal("50000"),
        business_unit=west,
        **place,
    )
    OpportunityFactory(
        account=account,
        by=owner,
        name="West small",
        value=Decimal("20000"),
        business_unit=west,
        **place,
    )
    OpportunityFactory(
        account=account,
        by=owner,
        name="Won",
        stage_name="Won",
        value=Decimal("9"),
        business_unit=west,
        **place,
    )
    OpportunityFactory(account=account, by=owner, name="Unplaced", value=Decimal("7000"))
    return {"service": service, "parts": parts, "east": east, "west": west}


def matrix_url(account):
    return reverse("opportunities:whitespace", args=[account.pk])


def cell_url(account, line, unit):
    return reverse("opportunities:whitespace_cell", args=[account.pk, line.pk, unit.pk])


def test_each_cell_has_its_state_and_the_totals_add_up(account, grid):
    matrix = selectors.whitespace_matrix(account=account)
    assert [u.name for u in matrix.business_units] == ["East", "West"]
    assert [r.product_line.name for r in matrix.rows] == ["Field service", "Spare parts"]
    states = [
        [(c.state, c.revenue, [o.name for o in c.opportunities]) for c in r.cells]
        for r in matrix.rows
    ]
    assert states == [
        [("sold", Decimal("100000"), ["Upsell"]), ("open", None, ["West big", "West small"])],
        [("not_applicable", None, []), ("whitespace", None, [])],
    ]
    service, parts = (r.total for r in matrix.rows)
    assert (service.sold, service.open_value, service.open_count, service.whitespace) == (
        Decimal("100000"),
        Decimal("100000"),
        3,
        0,
    )
    assert (parts.sold, parts.open_value, parts.whitespace) == (0, 0, 1)
    east, west = matrix.column_totals
    assert (east.sold, east.open_value, east.whitespace) == (Decimal("100000"), Decimal("30000"), 0)
    assert (west.sold, west.open_value, west.whitespace) == (0, Decimal("70000"), 1)
    assert (matrix.total.sold, matrix.total.open_value, matrix.total.whitespace) == (
        Decimal("100000"),
        Decimal("100000"),
        1,
    )
    assert matrix.unplaced == 1


def test_the_tab_shows_the_matrix_with_links(client_for, owner, account, grid):
    response = client_for(owner).get(matrix_url(account))
    page = text(response)
    assert "1 whitespace cell · sold €100,000 a year · open €100,000 in 3 opportunities" in page
    assert "1 open opportunity has no product line or business unit" in page
    assert "Sold €100,000 Also open Upsell €30,000" in page
    assert "Open opportunities West big €50,000 West small €20,000" in page
    assert "Retired line" not in page
    start = reverse("opportunities:create", args=[account.pk])
    html = response.content.decode()
    assert f"{start}?product_line={grid['parts'].pk}&amp;business_unit={grid['west'].pk}" in html
    assert html.count('class="ws-start"') == 1  # only the whitespace cell starts one


def test_a_retired_line_stays_where_the_account_has_something_on_it(owner, account, grid):
    retired = ProductLine.objects.get(name="Retired line")
    services.whitespace_cell_set(
        account=account,
        product_line=retired,
        business_unit=grid["east"],
        state="sold",
        revenue=Decimal("5"),
        by=owner,
    )
    lines = [r.product_line.name for r in selectors.whitespace_matrix(account=account).rows]
    assert lines == ["Field service", "Spare parts", "Retired line"]


def test_the_team_records_a_sold_cell_in_place(client_for, owner, account, grid):
    url = cell_url(account, grid["parts"], grid["west"])
    editor = client_for(owner).get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in editor.content.decode() and "Spare parts for West" in text(editor)
    response = client_for(owner).post(
        url, {"state": "sold", "revenue": "45000"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and matrix_url(account) in response["HX-Location"]
    cell = WhitespaceCell.objects.get(product_line=grid["parts"], business_unit=grid["west"])
    assert (cell.state, cell.revenue) == ("sold", Decimal("45000"))
    assert selectors.whitespace_matrix(account=account).total.sold == Decimal("145000")


def test_a_sold_cell_needs_its_revenue_and_keeps_the_choice(client_for, owner, account, grid):
    url = cell_url(account, grid["parts"], grid["west"])
    for data, message in (
        ({"state": "sold", "revenue": ""}, "Enter the annual revenue of what is sold here."),
        ({"state": "sold", "revenue": "-1"}, "greater than or equal to 0"),
        ({"state": "sold", "revenue": "1000000bn"}, "no more than 14 digits"),
        ({"state": "sold", "revenue": "1e20"}, "Enter an amount such as 12k"),
        ({"state": "bought"}, "Select a valid choice"),
    ):
        response = client_for(owner).post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and message in text(response), data
        if data["state"] == "sold":  # the choice is kept
            assert re.search(r'value="sold"[^>]*checked', response.content.decode())
    assert not WhitespaceCell.objects.filter(business_unit=grid["west"]).exists()


def test_back_to_whitespace_removes_the_record(client_for, owner, account, grid):
    url = cell_url(account, grid["service"], grid["east"])
    client_for(owner).post(url, {"state": "whitespace"})
    assert not WhitespaceCell.objects.filter(business_unit=grid["east"], state="sold").exists()
    cell = selectors.whitespace_matrix(account=account).cell(grid["service"].pk, grid["east"].pk)
    assert cell.state == "open"  # its upsell is still open


def test_empty_states_say_what_to_do(client_for, owner, account):
    assert "No business units recorded" in text(client_for(owner).get(matrix_url(account)))
    BusinessUnitFactory(account=account, name="East")
    assert "No product lines yet" in text(client_for(owner).get(matrix_url(account)))


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_see_the_matrix_but_do_not_change_it(
    request, client_for, role, account, grid
):
    client = client_for(request.getfixturevalue(role))
    response = client.get(matrix_url(account))
    assert response.status_code == 200 and "Sold €100,000" in text(response)
    assert 'class="ws-edit"' not in response.content.decode()
    assert 'class="ws-start"' not in response.content.decode()
    url = cell_url(account, grid["parts"], grid["west"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"state": "sold", "revenue": "1"}).status_code == 403
    assert WhitespaceCell.objects.count() == 2


def test_outsiders_and_foreign_cells_get_404(client_for, outsider, owner, account, grid):
    client = client_for(outsider)
    assert client.get(matrix_url(account)).status_code == 404
    url = cell_url(account, grid["parts"], grid["west"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"state": "not_applicable"}).status_code == 404
    # A unit of another account, or a line that does not exist, is no cell of this matrix.
    elsewhere = BusinessUnitFactory(name="Elsewhere")
    assert client_for(owner).get(cell_url(account, grid["parts"], elsewhere)).status_code == 404
    missing = reverse("opportunities:whitespace_cell", args=[account.pk, 987654, grid["east"].pk])
    assert client_for(owner).post(missing, {"state": "not_applicable"}).status_code == 404
    assert WhitespaceCell.objects.count() == 2


def test_the_matrix_queries_do_not_grow_with_lines_units_or_deals(client_for, owner):
    client = client_for(owner)

    def count(n):
        account = AccountFactory(owner=owner)
        for i in range(n):
            line = ProductLineFactory(name=f"Line {n}-{i}")
            unit = BusinessUnitFactory(account=account, name=f"Unit {i}")
            OpportunityFactory(
                account=account, by=owner, name=f"O{i}", product_line=line, business_unit=unit
            )
            services.whitespace_cell_set(
                account=account,
                product_line=line,
                business_unit=unit,
                state="sold",
                revenue=Decimal(i),
                by=owner,
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(matrix_url(account)).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(8)


def test_competitors_installed_show_as_incumbents(client_for, owner, outsider, account, grid):
    """In a unit and a line: that cell's incumbent; in a whole line: every cell of the
    line; in a whole unit: under the unit; with neither: at the account. The page, the
    API and the internal pack say the same; nobody else's presences leak in."""
    from opportunities.models import Competitor

    rival, other, third, fourth = (
        Competitor.objects.create(name=name)
        for name in ("Northwind", "Contoso", "Globex", "Initech")
    )
    add = services.competitor_presence_add
    add(account=account, by=owner, competitor=rival, product_line=grid["parts"],
        business_unit=grid["west"])  # fmt: skip
    add(account=account, by=owner, competitor=other, product_line=grid["service"])
    add(account=account, by=owner, competitor=third, business_unit=grid["east"])
    add(account=account, by=owner, competitor=fourth)
    elsewhere = AccountFactory(owner=owner)
    add(account=elsewhere, by=owner, competitor=fourth, product_line=grid["parts"])

    matrix = selectors.whitespace_matrix(account=account)
    cells = {
        (cell.product_line.name, cell.business_unit.name): cell.incumbents
        for row in matrix.rows
        for cell in row.cells
    }
    assert cells == {
        ("Field service", "East"): ["Contoso"],
        ("Field service", "West"): ["Contoso"],
        ("Spare parts", "East"): [],
        ("Spare parts", "West"): ["Northwind"],
    }
    assert [(u.name, u.competitors) for u in matrix.business_units] == [
        ("East", ["Globex"]),
        ("West", []),
    ]
    assert matrix.account_competitors == ["Initech"]

    page = text(client_for(owner).get(matrix_url(account)))
    assert "East Competitor: Globex" in page
    assert "competing at the account: Initech" in page
    assert "Whitespace + Opportunity Incumbent: Northwind" in page

    api = client_for(owner).get(f"/api/v1/accounts/{account.pk}/whitespace/").json()
    assert api["account_competitors"] == ["Initech"]
    assert api["business_units"][0]["competitors"] == ["Globex"]
    assert [c["incumbents"] for c in api["rows"][1]["cells"]] == [[], ["Northwind"]]
    assert client_for(outsider).get(f"/api/v1/accounts/{account.pk}/whitespace/").status_code == 404
