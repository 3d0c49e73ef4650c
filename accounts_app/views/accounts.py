"""Accounts: create and edit. (The list and the Overview, which read every app, are
insights'.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.http import deleted_with_undo

from .. import services
from ..forms import AccountForm
from ..selectors import (
    account_get_for_user,
    account_parent_choices,
    can_create_account,
    can_manage_team,
)


def _account_form_page(request, *, form, account=None):
    return TemplateResponse(
        request, "accounts/account_form.html", {"form": form, "account": account}
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create_view(request):
    if not can_create_account(user=request.user):
        raise PermissionDenied("Executives read accounts; they do not create them.")
    parents = account_parent_choices(user=request.user)
    form = AccountForm(request.POST or None, parent_choices=parents)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Account “{account.name}” created. You are its owner.")
            return redirect(account)
    return _account_form_page(request, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    parents = account_parent_choices(user=request.user)
    form = AccountForm(request.POST or None, instance=account, parent_choices=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Account saved.")
            return redirect(account)
    return _account_form_page(request, form=form, account=account)


def _roster_account(request, account_id):
    account = account_get_for_user(user=request.user, account_id=account_id)
    if not can_manage_team(user=request.user, account=account):
        raise PermissionDenied("Only the account owner or an admin archives or restores it.")
    return account


@login_required
@require_http_methods(["POST"])
def account_archive_view(request, account_id: int):
    """Delete = archive (DESIGN §11): out of the lists until restored, nothing lost."""
    account = _roster_account(request, account_id)
    services.account_archive(account=account, by=request.user)
    deleted_with_undo(
        request,
        f"{account.name} is archived: it is out of the lists, and everything under it kept.",
        reverse("accounts:restore", args=[account.pk]),
    )
    return redirect(account)


@login_required
@require_http_methods(["POST"])
def account_restore_view(request, account_id: int):
    account = _roster_account(request, account_id)
    services.account_restore(account=account, by=request.user)
    messages.success(request, f"{account.name} is back, with everything under it.")
    return redirect(account)


@login_required
@require_http_methods(["POST"])
def account_purge_view(request, account_id: int):
    """For good: admins, the account's name typed in; recorded."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    if not request.user.is_admin_role:
        raise PermissionDenied("Only admins purge an account.")
    try:
        services.account_purge(
            account=account, by=request.user, confirm=request.POST.get("confirm", "")
        )
    except ValidationError:
        messages.error(request, "Nothing was purged: type the account's name exactly.")
        return redirect(account)
    messages.success(request, f"{account.name} and everything under it are purged.")
    return redirect("accounts:list")
