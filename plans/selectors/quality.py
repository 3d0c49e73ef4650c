"""What plan quality reads (DESIGN §3), and the quality it gives."""

from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts_app.models import Contact, Relationship

from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from ..quality import PlanFacts, Quality, plan_quality


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
        account=plan.account, buying_role=Contact.BuyingRole.DECISION_MAKER, archived=False
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
