"""The Relationships tab: the matrix of the account's contacts × its team, edited in place,
with the Relationship Penetration Index and the coverage gaps beside it (DESIGN §3).

One page costs the same number of queries whatever the number of contacts or team
members: the team, the business units, the contacts and all the relationships of the
account are read once each, and the RPI from the same team.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from core.http import wants_fragment

from .. import services
from ..models import Account, BusinessUnit, Contact, Relationship, TeamMember
from ..selectors import (
    RpiReport,
    account_get_for_user,
    account_rpi,
    account_team,
    can_edit_account,
)
from .common import render_account_page

STRENGTH_LABELS = dict(Relationship.Strength.choices)
STRENGTH_VALUES = {str(value) for value in STRENGTH_LABELS}
# Owner first (the first choice), then the roles in the order the model lists them.
ROLE_ORDER = {role: index for index, role in enumerate(TeamMember.Role.values)}
NO_UNIT = "No business unit"

PARTS = (
    (
        "high",
        "High",
        "How well we know the executive and senior contacts: the mean of their best "
        "strength out of 4.",
    ),
    (
        "wide",
        "Wide",
        "The share of the business units where we know someone at Transactional (2) or better.",
    ),
    (
        "deep",
        "Deep",
        "How well we know the buying roles: best strength out of 4, weighted 3 for a "
        "decision maker, 2 a recommender, 1 an influencer.",
    ),
)


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


def _team_columns(account: Account) -> list[TeamMember]:
    """The account's team, owner first, then by role and name (one query)."""
    return sorted(
        account_team(account=account),
        key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), m.user.name.casefold(), m.pk),
    )


def _relationships_by_pair(account: Account) -> dict[tuple[int, int], tuple[int, int | None]]:
    """Every relationship of the account as (contact, user) → (strength, target): one query."""
    return {
        (contact_id, user_id): (strength, target)
        for contact_id, user_id, strength, target in Relationship.objects.filter(
            contact__account=account
        ).values_list("contact_id", "user_id", "strength", "target_strength")
    }


def _contact_order(contact: Contact):
    return (Contact.LEVEL_ORDER.get(contact.level, 9), contact.name.casefold(), contact.pk)


def _matrix(
    account: Account, team: list[TeamMember], *, editing: tuple[int, int] | None = None
) -> tuple[list[Group], dict]:
    """The rows, grouped by business unit (by name, "No business unit" last), each group
    ordered by level then name; and the cells being edited (by pair), if any."""
    units = list(account.business_units.order_by("name", "id"))
    groups = {unit.pk: Group(name=unit.name, unit=unit) for unit in units}
    loose = Group(name=NO_UNIT, unit=None)
    pairs = _relationships_by_pair(account)
    user_ids = [member.user_id for member in team]
    # Not `account.contacts`: the related manager would set each contact's account and,
    # with account_id deferred, load it contact by contact.
    contacts = sorted(
        Contact.objects.filter(account=account).only(
            "id", "name", "title", "level", "buying_role", "attitude", "business_unit_id"
        ),
        key=_contact_order,
    )
    edited = {}
    for contact in contacts:
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


def _rpi_context(account: Account, team: list[TeamMember]) -> dict:
    """The RPI panel and the gap list: the report and its parts (the panel's template
    reads the tier's target)."""
    report: RpiReport = account_rpi(account=account, team=team)
    names = {member.user_id: member.user.name for member in team}
    parts = [
        {"key": key, "label": label, "value": report.penetration.percent(key), "explain": text}
        for key, label, text in PARTS
    ]
    return {
        "rpi": report,
        "rpi_parts": parts,
        "gaps": [(gap, names.get(gap.cell_user_id)) for gap in report.gaps],
    }


def _page_context(account: Account, *, editing=None, editor=None) -> dict:
    team = _team_columns(account)
    groups, edited = _matrix(account, team, editing=editing)
    context = {
        "team": team,
        "groups": groups,
        "contact_count": sum(len(group.rows) for group in groups),
        # Contact, Level/role, Best, then one column per team member.
        "column_count": 3 + len(team),
        **_rpi_context(account, team),
    }
    if editor and editing in edited:
        edited[editing].editor = {**editor, "cell": edited[editing]}
    return context


def _matrix_page(
    request, account, *, editing=None, editor=None, error: str = "", status: int = 200
) -> HttpResponse:
    context = _page_context(account, editing=editing, editor=editor)
    return render_account_page(
        request,
        account=account,
        tab="relationships",
        panel="accounts/_relationships.html",
        context={**context, "matrix_error": error},
        status=status,
    )


@login_required
def matrix_view(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, account_id=account_id)
    return _matrix_page(request, account)


# --- One cell: its editor (GET) and saving it (POST) ------------------------------------


class PairError(Exception):
    """The URL names a contact or a team member that is not part of this account's matrix."""


def _pair(request, account: Account, contact_id: int, user_id: int):
    """The contact and the team member of a cell, both of this account.

    A contact of an account the user cannot see is a 404, like the account itself (no
    leak of its existence); one of another account they can see, or a user who is not on
    this account's team, is a mistake in the request, answered 400 with the reason.
    """
    contact = account.contacts.filter(pk=contact_id).first()
    if contact is None:
        visible_elsewhere = Contact.objects.visible_to(request.user).filter(pk=contact_id).exists()
        if not visible_elsewhere:
            raise Http404("No such contact.")
        raise PairError("This contact belongs to another account.")
    member = account.team_members.select_related("user").filter(user_id=user_id).first()
    if member is None:
        raise PairError("Only members of the account team can hold a relationship.")
    return contact, member


def _parse(data) -> tuple[int, int | None]:
    """Strength 0–4 and target 0–4 or empty, exactly; anything else is a ValidationError."""
    strength, target = data.get("strength", ""), data.get("target", "")
    errors = []
    if strength not in STRENGTH_VALUES:
        errors.append("Choose a strength from 0 (None) to 4 (Trusted advisor).")
    if target != "" and target not in STRENGTH_VALUES:
        errors.append("Choose a target from 0 to 4, or no target.")
    if errors:
        raise ValidationError(errors)
    return int(strength), (int(target) if target != "" else None)


def _cell_of(contact: Contact, member: TeamMember) -> Cell:
    relationship = (
        Relationship.objects.filter(contact=contact, user_id=member.user_id)
        .values_list("strength", "target_strength")
        .first()
    )
    strength, target = relationship or (None, None)
    return Cell(contact.pk, member.user_id, strength, target)


def _editor_context(account, contact, member, cell, *, error: str = "") -> dict:
    targets = [(value, label) for value, label in STRENGTH_LABELS.items() if value > 0]
    if cell.target == 0:  # possible through the API; keep it choosable
        targets.insert(0, (0, STRENGTH_LABELS[0]))
    return {
        "account": account,
        "contact": contact,
        "member": member,
        "cell": cell,
        "strengths": list(STRENGTH_LABELS.items()),
        "targets": targets,
        "error": error,
        "url": reverse("accounts:relationship_cell", args=[account.pk, contact.pk, member.user_id]),
    }


def _fragment(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    response = TemplateResponse(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _pair_error(request, account, contact_id, user_id, message: str) -> HttpResponse:
    if wants_fragment(request):
        cell = Cell(contact_id, user_id)
        return _fragment(
            request,
            "accounts/_matrix_cell_error.html",
            {"cell": cell, "error": message},
            status=400,
        )
    return _matrix_page(request, account, error=message, status=400)


def _saved(request, account, contact, member) -> HttpResponse:
    """The updated cell, with the row's best strength, the RPI panel and the gap list
    swapped out of band, and a sentence for screen readers."""
    team = _team_columns(account)
    cell = _cell_of(contact, member)
    team_ids = [m.user_id for m in team]
    best = max(
        Relationship.objects.filter(contact=contact, user_id__in=team_ids).values_list(
            "strength", flat=True
        ),
        default=0,
    )
    context = {
        "account": account,
        "cell": cell,
        "row": Row(contact=contact, cells=[], best=best),
        "contact": contact,
        "member": member,
        **_rpi_context(account, team),
    }
    return _fragment(request, "accounts/_matrix_saved.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def relationship_cell_view(
    request: HttpRequest, account_id: int, contact_id: int, user_id: int
) -> HttpResponse:
    """GET: the cell's inline editor (`?cancel=1`: the cell as shown, to close it).
    POST: save its strength and target; strength 0 with no target removes the relationship.
    """
    cancel = request.method == "GET" and "cancel" in request.GET
    account = account_get_for_user(user=request.user, account_id=account_id)
    if not cancel and not can_edit_account(user=request.user, account=account):
        raise PermissionDenied("You can see this account but not change its relationships.")
    try:
        contact, member = _pair(request, account, contact_id, user_id)
    except PairError as exc:
        return _pair_error(request, account, contact_id, user_id, str(exc))

    if request.method == "GET":
        cell = _cell_of(contact, member)
        if cancel:
            return _fragment(request, "accounts/_matrix_cell.html", {"cell": cell})
        context = _editor_context(account, contact, member, cell)
        if wants_fragment(request):
            return _fragment(request, "accounts/_matrix_editor.html", {"editor": context})
        return _matrix_page(request, account, editing=(contact.pk, member.user_id), editor=context)

    try:
        strength, target = _parse(request.POST)
        services.relationship_set(
            contact=contact, user=member.user, strength=strength, target=target, by=request.user
        )
    except (ValidationError, IntegrityError) as exc:
        # IntegrityError: someone created the same pair a moment earlier (unique pair).
        message = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else "Someone changed this relationship at the same moment: check it and save again."
        )
        cell = _cell_of(contact, member)
        context = _editor_context(account, contact, member, cell, error=message)
        if wants_fragment(request):
            return _fragment(
                request, "accounts/_matrix_editor.html", {"editor": context}, status=400
            )
        return _matrix_page(
            request, account, editing=(contact.pk, member.user_id), editor=context, status=400
        )
    if wants_fragment(request):
        return _saved(request, account, contact, member)
    url = reverse("accounts:relationships", args=[account.pk])
    return redirect(f"{url}#cell-{contact.pk}-{member.user_id}")
