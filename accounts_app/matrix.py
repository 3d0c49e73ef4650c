"""The relationship matrix of the Relationships tab: the account's contacts × its team,
as rows grouped by business unit, built from plain values (no ORM here; the reads are
in selectors.relationships, the page in views.relationships)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

# The choices and the level order only, never a query.
from .models import BusinessUnit, Contact, Relationship, TeamMember

STRENGTH_LABELS = dict(Relationship.Strength.choices)
# Owner first (the first choice), then the roles in the order the model lists them.
ROLE_ORDER = {role: index for index, role in enumerate(TeamMember.Role.values)}
NO_UNIT = "No business unit"


@dataclass
class Cell:
    """One (contact, team member) pair; `strength` is None where there is no relationship."""

    contact_id: int
    user_id: int
    strength: int | None = None
    target: int | None = None
    first: bool = False  # the grid's one cell in the tab order when the page loads
    editor: dict | None = None  # the open editor's context (a page loaded without htmx)

    @property
    def dom_id(self) -> str:
        return f"cell-{self.contact_id}-{self.user_id}"

    @property
    def below(self) -> bool:
        return self.target is not None and (self.strength or 0) < self.target

    @property
    def css(self) -> str:
        classes = ["cell"]
        if self.strength is not None:
            classes.append(f"s{self.strength}")
        if self.below:
            classes.append("below")
        return " ".join(classes)

    @property
    def text(self) -> str:
        """What the cell says in words (its title, and what a screen reader hears)."""
        if self.strength is None:
            return "No relationship"
        parts = [f"{STRENGTH_LABELS[self.strength]} ({self.strength})"]
        if self.target is not None:
            parts.append(f"target {STRENGTH_LABELS[self.target]} ({self.target})")
        if self.below:
            parts.append("below target")
        return ", ".join(parts)


@dataclass
class Row:
    contact: Contact
    cells: list[Cell]
    # The strongest relationship of a current team member (what the cells show).
    best: int = 0


@dataclass
class Group:
    name: str
    unit: BusinessUnit | None
    rows: list[Row] = field(default_factory=list)


def team_column_key(member: TeamMember):
    """The matrix's columns: owner first, then by role and name."""
    return (ROLE_ORDER.get(member.role, len(ROLE_ORDER)), member.user.name.casefold(), member.pk)


def contact_order(contact: Contact):
    return (Contact.LEVEL_ORDER.get(contact.level, 9), contact.name.casefold(), contact.pk)


def matrix_groups(
    *,
    units: Iterable[BusinessUnit],
    contacts: Iterable[Contact],
    user_ids: list[int],
    pairs: dict[tuple[int, int], tuple[int, int | None]],
    editing: tuple[int, int] | None = None,
) -> tuple[list[Group], dict]:
    """The rows, grouped by business unit (by name, "No business unit" last), each group
    ordered by level then name; and the cells being edited (by pair), if any. `pairs` is
    every relationship as (contact, user) → (strength, target); `user_ids` the columns."""
    groups = {unit.pk: Group(name=unit.name, unit=unit) for unit in units}
    loose = Group(name=NO_UNIT, unit=None)
    edited = {}
    for contact in sorted(contacts, key=contact_order):
        cells = []
        for user_id in user_ids:
            strength, target = pairs.get((contact.pk, user_id), (None, None))
            cell = Cell(contact.pk, user_id, strength, target)
            if editing == (contact.pk, user_id):
                edited[editing] = cell
            cells.append(cell)
        best = max((cell.strength or 0 for cell in cells), default=0)
        group = groups.get(contact.business_unit_id, loose)
        group.rows.append(Row(contact=contact, cells=cells, best=best))
    ordered = sorted(groups.values(), key=lambda g: (g.name.casefold(), g.unit.pk))
    if loose.rows:
        ordered.append(loose)
    first = next((g.rows[0] for g in ordered if g.rows), None)
    if first and first.cells:
        first.cells[0].first = True
    return ordered, edited
