"""The whitespace matrix: our product lines × the account's business units, what is sold,
open or whitespace in each cell, and the competitors installed there (the incumbent)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from accounts_app.models import Account, BusinessUnit

from .. import formulas
from ..formulas import SOLD, WHITESPACE
from ..models import CompetitorPresence, Opportunity, ProductLine, Stage, WhitespaceCell


@dataclass
class MatrixCell:
    product_line: ProductLine
    business_unit: BusinessUnit
    state: str = WHITESPACE
    revenue: Decimal | None = None
    opportunities: list = field(default_factory=list)
    # The competitors installed here: named for this cell, or for the whole product line.
    incumbents: list = field(default_factory=list)

    @property
    def open_value(self) -> Decimal:
        return sum((o.value for o in self.opportunities), Decimal(0))


@dataclass
class MatrixTotal:
    sold: Decimal = Decimal(0)
    open_value: Decimal = Decimal(0)
    open_count: int = 0
    whitespace: int = 0

    def add(self, cell: MatrixCell) -> None:
        if cell.state == SOLD:
            self.sold += cell.revenue or 0
        self.open_value += cell.open_value
        self.open_count += len(cell.opportunities)
        if cell.state == WHITESPACE:
            self.whitespace += 1


@dataclass
class MatrixRow:
    product_line: ProductLine
    cells: list[MatrixCell]
    total: MatrixTotal


@dataclass
class WhitespaceMatrix:
    business_units: list[BusinessUnit]
    rows: list[MatrixRow]
    column_totals: list[MatrixTotal]
    total: MatrixTotal
    unplaced: int  # open opportunities without a product line or a business unit
    # Competitors present at the account with no unit or product line named (those
    # named for a whole unit are each unit's `competitors`).
    account_competitors: list = field(default_factory=list)

    def cell(self, product_line_id: int, business_unit_id: int) -> MatrixCell | None:
        for row in self.rows:
            if row.product_line.pk == product_line_id:
                for cell in row.cells:
                    if cell.business_unit.pk == business_unit_id:
                        return cell
        return None


def whitespace_matrix(*, account: Account) -> WhitespaceMatrix:
    """Product lines × the account's business units. A cell is sold (with its revenue)
    or not applicable where the team recorded it; else an open opportunity there makes
    it open; else it is whitespace. A sold cell lists its open opportunities too (an
    upsell). Inactive product lines appear only where the account has something on them.
    Archived business units and opportunities are left out. A competitor present in a
    unit and a line is the incumbent of that cell; in a line without a unit, of the
    line's every cell; in a unit without a line, it is the unit's `competitors`; with
    neither, at the account. Five queries."""
    units = list(
        BusinessUnit.objects.filter(account=account, archived=False).order_by("name", "id")
    )
    recorded = {
        (cell.product_line_id, cell.business_unit_id): cell
        for cell in WhitespaceCell.objects.filter(account=account)
    }
    open_opportunities = defaultdict(list)
    unplaced = 0
    for opportunity in (
        Opportunity.objects.filter(
            account=account, stage__outcome=Stage.Outcome.OPEN, archived=False
        )
        .only("pk", "name", "value", "product_line_id", "business_unit_id")
        .order_by("-value", "pk")
    ):
        if opportunity.product_line_id and opportunity.business_unit_id:
            key = (opportunity.product_line_id, opportunity.business_unit_id)
            open_opportunities[key].append(opportunity)
        else:
            unplaced += 1
    incumbents, line_wide = defaultdict(list), defaultdict(list)
    unit_competitors, account_competitors = defaultdict(list), []
    for presence in CompetitorPresence.objects.filter(account=account).select_related("competitor"):
        name = presence.competitor.name
        line, unit = presence.product_line_id, presence.business_unit_id
        if line and unit:
            incumbents[(line, unit)].append(name)
        elif line:
            line_wide[line].append(name)
        elif unit:
            unit_competitors[unit].append(name)
        else:
            account_competitors.append(name)
    used_lines = {line for line, _ in recorded} | {line for line, _ in open_opportunities}
    lines = ProductLine.objects.filter(Q(active=True) | Q(pk__in=used_lines)).order_by(
        "position", "name"
    )
    for unit in units:
        unit.competitors = sorted(set(unit_competitors[unit.pk]))
    rows, column_totals, total = [], [MatrixTotal() for _ in units], MatrixTotal()
    for line in lines:
        cells, row_total = [], MatrixTotal()
        for index, unit in enumerate(units):
            key = (line.pk, unit.pk)
            record = recorded.get(key)
            cell = MatrixCell(
                product_line=line,
                business_unit=unit,
                state=formulas.whitespace_state(
                    record.state if record else None, len(open_opportunities[key])
                ),
                revenue=record.revenue if record else None,
                opportunities=open_opportunities[key],
                incumbents=sorted({*incumbents[key], *line_wide[line.pk]}),
            )
            cells.append(cell)
            for tally in (row_total, column_totals[index], total):
                tally.add(cell)
        rows.append(MatrixRow(product_line=line, cells=cells, total=row_total))
    return WhitespaceMatrix(
        business_units=units,
        rows=rows,
        column_totals=column_totals,
        total=total,
        unplaced=unplaced,
        account_competitors=sorted(set(account_competitors)),
    )
