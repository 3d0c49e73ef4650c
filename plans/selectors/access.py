"""Access to plans (the plan for a user, the current plans) and the permission rules of
DESIGN §1 for them.

A plan is visible to whoever may see its account. Its team (and admins) edit it while
it is not approved; the account owner (or an admin) submits it; a coach — an admin, or
a manager who may see the account (on its team, or a report of theirs is) — approves it
or requests changes, but never for a plan they submitted themselves. Everyone who may
see the plan may comment; coaches and the team resolve comments.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts_app.models import Account, TeamMember, User
from core.periods import fiscal_year

from ..models import Plan


def plan_get_for_user(*, user: User, plan_id, write: bool = False) -> Plan:
    """The plan, or 404 if its account is not the user's to see; 403 if `write` and they
    may not change it (it is approved, or they are not on the account team)."""
    try:
        plan = (
            Plan.objects.visible_to(user)
            .select_related("account", "account__owner")
            .get(pk=plan_id)
        )
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such plan.") from exc
    if write and not can_edit_plan(user=user, plan=plan):
        if plan.read_only:
            raise PermissionDenied("The plan is approved: reopen it to change it.")
        raise PermissionDenied("Only the account team changes its plan.")
    return plan


def current_plan(*, account: Account) -> Plan | None:
    """The account's plan for the fiscal year we are in, if it has one."""
    return Plan.objects.filter(account=account, period=fiscal_year()).first()


def current_plans(*, accounts, on: date | None = None) -> QuerySet[Plan]:
    """The plans of `accounts` (a queryset of accounts, or ids) for the fiscal year of
    `on` (default: today)."""
    if isinstance(accounts, QuerySet):
        scope = {"account__in": accounts}
    else:
        scope = {"account_id__any_of": list(accounts)}
    return Plan.objects.filter(period=fiscal_year(on), **scope)


def _on_team(user: User, account: Account, *, role: str | None = None, write: bool = False) -> bool:
    """On the account's team (in `role`; in a seat that changes the account if `write`:
    the executive sponsor's reads and comments)."""
    members = TeamMember.objects.filter(account=account, user=user)
    if role:
        members = members.filter(role=role)
    if write:
        members = members.exclude(role__in=TeamMember.READ_ONLY_ROLES)
    return members.exists()


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_edit_plan(*, user: User, plan: Plan) -> bool:
    if not _active(user) or plan.read_only:
        return False
    return user.is_admin_role or _on_team(user, plan.account, write=True)


def can_submit_plan(*, user: User, plan: Plan) -> bool:
    if not _active(user):
        return False
    return user.is_admin_role or _on_team(user, plan.account, role=TeamMember.Role.OWNER)


def can_coach_plan(*, user: User, plan: Plan) -> bool:
    """Approve, request changes: admins, and managers who may see the account. The plan
    must have been loaded for `user` (plan_get_for_user), so visibility holds already."""
    if not _active(user):
        return False
    return user.is_admin_role or user.role == User.Role.MANAGER


def can_reopen_plan(*, user: User, plan: Plan) -> bool:
    return can_submit_plan(user=user, plan=plan) or can_coach_plan(user=user, plan=plan)


def can_resolve_comments(*, user: User, plan: Plan) -> bool:
    if not _active(user):
        return False
    return user.is_admin_role or user.role == User.Role.MANAGER or _on_team(user, plan.account)
