"""The plan of the next period, started from this one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts_app.models import User
from accounts_app.selectors import can_edit_account
from core import history
from core.history import records_actor
from core.jobs import recompute_later

from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from .coaching import _team_users
from .plans import plan_quality_refresh


def _save_new(obj, by: User):
    """Create `obj` with its history record naming `by` (also outside a web request)."""
    obj._history_user = by
    obj.save()
    return obj


@records_actor
@transaction.atomic
def plan_clone(*, plan: Plan, by: User) -> Plan:
    """The plan of the next period: overview, targets, knowledge points, SWOT, goals and
    strategies carried over, with their open tactics; done and dropped tactics, and
    deleted items, left behind. The new plan starts as a draft."""
    if not can_edit_account(user=by, account=plan.account):
        raise PermissionDenied("Only the account team starts its plan.")
    period = plan.period + 1
    if Plan.objects.filter(account=plan.account, period=period).exists():
        raise ValidationError({"period": f"{plan.account} already has a plan for FY{period}."})
    # Owners who have left the team leave their tactics unowned.
    team = set(_team_users(plan))
    new = _save_new(
        Plan(
            account=plan.account,
            period=period,
            created_by=by,
            overview=plan.overview,
            revenue_target=plan.revenue_target,
            wallet_estimate=plan.wallet_estimate,
            margin_target_pct=plan.margin_target_pct,
        ),
        by,
    )
    recompute_later(plan.account_id)
    points = {}
    for kp in plan.knowledge_points.filter(deleted_at=None):
        points[kp.pk] = KnowledgePoint(plan=new, kind=kp.kind, text=kp.text, position=kp.position)
    history.bulk_create(KnowledgePoint, list(points.values()), by=by)
    swot = [
        SwotItem(plan=new, kind=s.kind, text=s.text, position=s.position)
        for s in plan.swot_items.filter(deleted_at=None)
    ]
    history.bulk_create(SwotItem, swot, by=by)
    for goal in plan.goals.filter(deleted_at=None).prefetch_related("strategies__tactics"):
        customer_goal = points.get(goal.customer_goal_id)
        new_goal = _save_new(
            Goal(
                plan=new,
                text=goal.text,
                position=goal.position,
                customer_goal=customer_goal if customer_goal and customer_goal.pk else None,
            ),
            by,
        )
        for strategy in goal.strategies.all():
            if strategy.deleted_at:
                continue
            new_strategy = _save_new(
                Strategy(goal=new_goal, text=strategy.text, position=strategy.position), by
            )
            tactics = [
                Tactic(
                    strategy=new_strategy,
                    text=t.text,
                    owner_id=t.owner_id if t.owner_id in team else None,
                    due_date=t.due_date,
                    status=t.status,
                    position=t.position,
                )
                for t in strategy.tactics.all()
                if t.deleted_at is None and t.is_open
            ]
            history.bulk_create(Tactic, tactics, by=by)
    return plan_quality_refresh(plan=new)
