"""The Relationships tab: the matrix of the account's contacts × its team, edited in place,
with the Relationship Penetration Index and the coverage gaps beside it (DESIGN §3).

One page costs the same number of queries whatever the number of contacts or team
members (selectors.relationships reads the matrix), and the RPI from the same team.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from core.http import REFUSED, wants_fragment

from .. import services
from ..matrix import STRENGTH_LABELS, Cell, Row
from ..models import Account, TeamMember
from ..selectors import (
    PairError,
    RpiReport,
    account_get_for_user,
    account_rpi,
    can_edit_account,
    contact_best_strength,
    relationship_cell,
    relationship_matrix,
    relationship_matrix_team,
    relationship_pair_get,
)
from .common import render_account_page

STRENGTH_VALUES = {str(value) for value in STRENGTH_LABELS}

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
    team = relationship_matrix_team(account=account)
    groups, edited = relationship_matrix(account=account, team=team, editing=editing)
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
            status=REFUSED,
        )
    return _matrix_page(request, account, error=message, status=REFUSED)


def _saved(request, account, contact, member) -> HttpResponse:
    """The updated cell, with the row's best strength, the RPI panel and the gap list
    swapped out of band, and a sentence for screen readers."""
    team = relationship_matrix_team(account=account)
    cell = relationship_cell(contact=contact, member=member)
    best = contact_best_strength(contact=contact, user_ids=[m.user_id for m in team])
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
        contact, member = relationship_pair_get(
            user=request.user, account=account, contact_id=contact_id, user_id=user_id
        )
    except PairError as exc:
        return _pair_error(request, account, contact_id, user_id, str(exc))

    if request.method == "GET":
        cell = relationship_cell(contact=contact, member=member)
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
        cell = relationship_cell(contact=contact, member=member)
        context = _editor_context(account, contact, member, cell, error=message)
        if wants_fragment(request):
            return _fragment(
                request, "accounts/_matrix_editor.html", {"editor": context}, status=REFUSED
            )
        return _matrix_page(
            request, account, editing=(contact.pk, member.user_id), editor=context, status=REFUSED
        )
    if wants_fragment(request):
        return _saved(request, account, contact, member)
    url = reverse("accounts:relationships", args=[account.pk])
    return redirect(f"{url}#cell-{contact.pk}-{member.user_id}")
