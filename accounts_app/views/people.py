"""The Contacts and Team tabs, and the business units on the Overview tab."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import download
from core.http import deleted_with_undo, paginate, saved_form

from .. import services
from ..exports import contact_columns, contact_export_queryset
from ..forms import BusinessUnitForm, ContactForm, TeamMemberForm, TeamRoleForm
from ..models import BusinessUnit, Contact
from ..selectors import (
    account_archived_count,
    account_contact_list,
    account_get_for_user,
    account_team,
    business_unit_get,
    can_manage_team,
    contact_get,
    team_member_get,
)
from .common import back_to_tab, render_account_page

# --- Contacts ----------------------------------------------------------------------

# Not met for longer than this, a contact's "Last met" is shown as a warning.
LAST_MET_WARNING_DAYS = 90


def _archived_asked(request) -> bool:
    """The tab lists the archived records instead of the active ones (`?archived=true`)."""
    return request.GET.get("archived", "").lower() in ("true", "1")


@login_required
def contact_list_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    search = request.GET.get("q", "").strip()[:100]
    archived = _archived_asked(request)
    contacts = account_contact_list(account=account, search=search, archived=archived)
    page = paginate(request, contacts, per_page=50)
    today = timezone.localdate()
    for contact in page:
        contact.best_strength = max((r.strength for r in contact.relationships.all()), default=0)
        contact.days_since_met = (today - contact.last_met).days if contact.last_met else None
        contact.met_long_ago = (
            contact.days_since_met is not None and contact.days_since_met > LAST_MET_WARNING_DAYS
        )
    query = {"q": search} if search else {}
    if archived:
        query["archived"] = "true"
    return render_account_page(
        request,
        account=account,
        tab="contacts",
        panel="accounts/_contacts.html",
        context={
            "page": page,
            "search": search,
            "archived": archived,
            "archived_count": account_archived_count(account=account, model=Contact),
            "query_string": urlencode(query),
        },
    )


@login_required
def contact_export_view(request, account_id: int):
    """The contacts the Contacts tab shows, with its search, as CSV or XLSX."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    search = request.GET.get("q", "").strip()[:100]
    contacts = account_contact_list(
        account=account, search=search, archived=_archived_asked(request)
    )
    return download(request, contact_columns(), contact_export_queryset(contacts), name="contacts")


def _contact_form(request, *, account, contact=None):
    instance = contact or Contact(account=account)
    form = ContactForm(request.POST or None, instance=instance, account=account)

    def save(data):
        if contact is None:
            saved = services.contact_create(account=account, by=request.user, **data)
            messages.success(request, f"Contact “{saved.name}” added.")
        else:
            services.contact_update(contact=contact, by=request.user, **data)
            messages.success(request, f"Contact “{contact.name}” saved.")

    if saved_form(request, form, save):
        return back_to_tab(request, account, "accounts:contacts")
    return render_account_page(
        request,
        account=account,
        tab="contacts",
        panel="accounts/_contact_form.html",
        context={"form": form, "contact": contact},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    return _contact_form(request, account=account)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit_view(request, account_id: int, contact_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    contact = contact_get(account=account, contact_id=contact_id)
    return _contact_form(request, account=account, contact=contact)


@login_required
@require_POST
def contact_delete_view(request, account_id: int, contact_id: int):
    """Delete = archive (DESIGN §11): their relationships and interactions are kept."""
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    contact = contact_get(account=account, contact_id=contact_id)
    services.contact_archive(contact=contact, by=request.user)
    deleted_with_undo(
        request,
        f"Contact “{contact.name}” archived; their relationships and interactions are kept.",
        reverse("accounts:contact_restore", args=[account.pk, contact.pk]),
    )
    return back_to_tab(request, account, "accounts:contacts")


@login_required
@require_POST
def contact_restore_view(request, account_id: int, contact_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    contact = contact_get(account=account, contact_id=contact_id)
    services.contact_restore(contact=contact, by=request.user)
    messages.success(request, f"Contact “{contact.name}” is back, with their relationships.")
    return back_to_tab(request, account, "accounts:contacts")


# --- Business units (on the Overview tab) -------------------------------------------


def _business_unit_form(request, *, account, unit=None):
    form = BusinessUnitForm(request.POST or None, instance=unit or BusinessUnit(account=account))

    def save(data):
        if unit is None:
            services.business_unit_create(account=account, by=request.user, **data)
            messages.success(request, "Business unit added.")
        else:
            services.business_unit_update(business_unit=unit, by=request.user, **data)
            messages.success(request, "Business unit saved.")

    if saved_form(request, form, save):
        return back_to_tab(request, account, "accounts:detail")
    return render_account_page(
        request,
        account=account,
        tab="overview",
        panel="accounts/_business_unit_form.html",
        context={"form": form, "unit": unit},
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_unit_create_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    return _business_unit_form(request, account=account)


@login_required
@require_http_methods(["GET", "POST"])
def business_unit_edit_view(request, account_id: int, unit_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    unit = business_unit_get(account=account, business_unit_id=unit_id)
    return _business_unit_form(request, account=account, unit=unit)


@login_required
@require_POST
def business_unit_delete_view(request, account_id: int, unit_id: int):
    """Delete = archive (DESIGN §11): its contacts and opportunities are kept."""
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    unit = business_unit_get(account=account, business_unit_id=unit_id)
    services.business_unit_archive(business_unit=unit, by=request.user)
    deleted_with_undo(
        request,
        f"Business unit “{unit.name}” archived; its contacts are kept.",
        reverse("accounts:business_unit_restore", args=[account.pk, unit.pk]),
    )
    return back_to_tab(request, account, "accounts:detail")


@login_required
@require_POST
def business_unit_restore_view(request, account_id: int, unit_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    unit = business_unit_get(account=account, business_unit_id=unit_id)
    services.business_unit_restore(business_unit=unit, by=request.user)
    messages.success(request, f"Business unit “{unit.name}” is back.")
    return back_to_tab(request, account, "accounts:detail")


# --- Team ----------------------------------------------------------------------------


def _team_page(request, account, *, form=None, status=200):
    if form is None and can_manage_team(user=request.user, account=account):
        form = TeamMemberForm(account=account)
    return render_account_page(
        request,
        account=account,
        tab="team",
        panel="accounts/_team.html",
        context={
            "members": account_team(account=account),
            "form": form,
            "role_form": TeamRoleForm(),
        },
        status=status,
    )


@login_required
def team_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    return _team_page(request, account)


def _account_for_roster(request, account_id):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    if not can_manage_team(user=request.user, account=account):
        raise PermissionDenied("Only the account owner or an admin changes the team.")
    return account


@login_required
@require_POST
def team_add_view(request, account_id: int):
    account = _account_for_roster(request, account_id)
    form = TeamMemberForm(request.POST, account=account)
    if form.is_valid():
        try:
            member = services.team_member_add(
                account=account,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{member.user.name} joined the team.")
            return back_to_tab(request, account, "accounts:team")
    return _team_page(request, account, form=form)


@login_required
@require_POST
def team_role_view(request, account_id: int, member_id: int):
    account = _account_for_roster(request, account_id)
    member = team_member_get(account=account, team_member_id=member_id)
    form = TeamRoleForm(request.POST)
    if form.is_valid():
        try:
            services.team_member_change_role(
                member=member, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{member.user.name} is now {member.get_role_display()}.")
    else:
        messages.error(request, "Choose a valid role.")
    return back_to_tab(request, account, "accounts:team")


@login_required
@require_POST
def team_remove_view(request, account_id: int, member_id: int):
    account = _account_for_roster(request, account_id)
    member = team_member_get(account=account, team_member_id=member_id)
    try:
        services.team_member_remove(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.user.name} left the team.")
    return back_to_tab(request, account, "accounts:team")
