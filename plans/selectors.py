"""Reads of plans and the permission rules of DESIGN §1 for them.

A plan is visible to whoever may see its account. Its team (and admins) edit it while
it is not approved; the account owner (or an admin) submits it; a coach — an admin, or
a manager who may see the account (on its team, or a report of theirs is) — approves it
or requests changes, but never for a plan they submitted themselves. Everyone who may
see the plan may comment; coaches and the team resolve comments.
"""

from datetime import date

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts_app.models import Account, Contact, Relationship, TeamMember, User
from core.periods import fiscal_year

from .models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from .quality import PlanFacts, Quality, plan_quality


def plan_get_for_user(*, user: User, plan_id) -> Plan:
    """The plan, or 404 if its account is not the user's to see."""
    try:
        return (
            Plan.objects.visible_to(user)
            .select_related("account", "account__owner")
            .get(pk=plan_id)
        )
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such plan.") from exc


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


def _on_team(user: User, account: Account, *, role: str | None = None) -> bool:
    members = TeamMember.objects.filter(account=account, user=user)
    if role:
        members = members.filter(role=role)
    return members.exists()


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_edit_plan(*, user: User, plan: Plan) -> bool:
    if not _active(user) or plan.read_only:
        return False
    return user.is_admin_role or _on_team(user, plan.account)


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


def plan_facts(*, plan: Plan, today=None) -> PlanFacts:
    """What plan quality reads, in a fixed number of queries."""
    live = {"deleted_at": None}
    swot = dict(
        SwotItem.objects.filter(plan=plan, **live)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    complete_goals = (
        Goal.objects.filter(plan=plan, **live)
        .filter(
            strategies__deleted_at=None,
            strategies__tactics__deleted_at=None,
            strategies__tactics__isnull=False,
        )
        .distinct()
        .count()
    )
    open_tactics = Tactic.objects.filter(
        strategy__goal__plan=plan,
        deleted_at=None,
        strategy__deleted_at=None,
        strategy__goal__deleted_at=None,
        status__in=Tactic.OPEN_STATUSES,
    )
    incomplete = open_tactics.filter(Q(owner__isnull=True) | Q(due_date__isnull=True)).count()
    decision_makers = Contact.objects.filter(
        account=plan.account, buying_role=Contact.BuyingRole.DECISION_MAKER
    )
    covered = (
        Relationship.objects.filter(
            contact__in=decision_makers,
            strength__gte=2,
            user__team_memberships__account=plan.account,
        )
        .values("contact_id")
        .distinct()
        .count()
    )
    dm_count = decision_makers.count()
    last_items = [
        model.objects.filter(**{path: plan}).aggregate(m=Max("updated_at"))["m"]
        for model, path in (
            (KnowledgePoint, "plan"),
            (SwotItem, "plan"),
            (Goal, "plan"),
            (Strategy, "goal__plan"),
            (Tactic, "strategy__goal__plan"),
        )
    ]
    last_update = max([plan.updated_at, *[m for m in last_items if m]])
    return PlanFacts(
        overview=plan.overview,
        knowledge_points=KnowledgePoint.objects.filter(plan=plan, **live).count(),
        revenue_target=plan.revenue_target,
        strengths=swot.get(SwotItem.Kind.STRENGTH, 0),
        weaknesses=swot.get(SwotItem.Kind.WEAKNESS, 0),
        goals_with_strategy_and_tactic=complete_goals,
        open_tactics_without_owner_or_due=incomplete,
        decision_makers=dm_count,
        decision_makers_below_2=dm_count - covered,
        last_update=timezone.localdate(last_update),
        today=today or timezone.localdate(),
    )


def plan_quality_for(*, plan: Plan, today=None) -> Quality:
    return plan_quality(plan_facts(plan=plan, today=today))


CHANGE_SOURCES = (
    (Plan, "id", "Plan"),
    (KnowledgePoint, "plan_id", "Knowledge point"),
    (SwotItem, "plan_id", "SWOT item"),
    (Goal, "plan_id", "Goal"),
    (Strategy, "goal__plan_id", "Strategy"),
    (Tactic, "strategy__goal__plan_id", "Tactic"),
)
NOT_SHOWN = {"version", "updated_at", "created_at", "position", "quality", "quality_failing"}


def plan_approved_at(*, plan: Plan):
    """When the plan last became approved: the history record of that save (it follows
    the transition row by a moment, so the approval itself is not listed as a change)."""
    return (
        plan.history.filter(status=Plan.Status.APPROVED)
        .exclude(history_type="-")
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )


def plan_changes_since(*, plan: Plan, since=None) -> list[dict]:
    """Every recorded change to the plan and its items after `since` (all if None),
    newest first: when, who, what (added, changed, deleted, restored) and each changed
    field's old and new value. Fields are compared by their stored values (ids for
    relations), so it costs one query per model plus one per kind of related name shown."""
    out, users, points = [], set(), set()
    for model, path, label in CHANGE_SOURCES:
        fields = [
            (f.name, f.attname) for f in model._meta.concrete_fields if f.name not in NOT_SHOWN
        ]
        previous = {}
        records = (
            model.history.filter(**{path: plan.pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if since is not None and record.history_date <= since:
                continue
            if record.history_type == "+" or before is None:
                what, changes = "added", []
            else:
                changes = [
                    (name, getattr(before, attname), getattr(record, attname))
                    for name, attname in fields
                    if getattr(before, attname) != getattr(record, attname)
                ]
                if not changes:
                    continue
                if any(name == "deleted_at" for name, _, _ in changes):
                    what = "restored" if record.deleted_at is None else "deleted"
                else:
                    what = "changed"
                changes = [c for c in changes if c[0] != "deleted_at"]
                for name, old, new in changes:
                    if name in ("owner", "created_by"):
                        users.update(v for v in (old, new) if v)
                    if name == "customer_goal":
                        points.update(v for v in (old, new) if v)
            out.append(
                {
                    "at": record.history_date,
                    "by": record.history_user,
                    "kind": label,
                    "text": plan.label if model is Plan else record.text,
                    "what": what,
                    "changes": changes,
                }
            )
    names = {
        "owner": dict((u.pk, u.name) for u in User.objects.filter(pk__in=users)) if users else {},
        "customer_goal": dict(
            KnowledgePoint.objects.filter(pk__in=points).values_list("pk", "text")
        )
        if points
        else {},
    }
    names["created_by"] = names["owner"]
    for change in out:
        change["changes"] = [
            (name, names[name].get(old, old), names[name].get(new, new))
            if name in names
            else (name, old, new)
            for name, old, new in change["changes"]
        ]
    out.sort(key=lambda change: change["at"], reverse=True)
    return out
