"""Reads of the plan page: the live items of each section (children prefetched, in a
fixed number of queries), one item or parent of a plan for an edit, an item again with
its children after a change, and the team's alignment."""

from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts_app.models import Relationship
from accounts_app.selectors import account_team

from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

LIVE = {"deleted_at": None}
# How an item of each kind reaches its plan.
PLAN_PATH = {
    KnowledgePoint: "plan",
    SwotItem: "plan",
    Goal: "plan",
    Strategy: "goal__plan",
    Tactic: "strategy__goal__plan",
}


def _attach_plan(item, plan: Plan) -> None:
    """Let the services find the plan without loading the chain again."""
    if isinstance(item, Tactic):
        item.strategy.goal.plan = plan
    elif isinstance(item, Strategy):
        item.goal.plan = plan
    else:
        item.plan = plan


def plan_item_get(*, plan: Plan, model, item_id):
    """An item of `plan` of `model` (deleted ones too: they can be restored), or 404."""
    queryset = model.objects.filter(**{PLAN_PATH[model]: plan})
    if model is Tactic:
        queryset = queryset.select_related("owner")
    elif model is Goal:
        queryset = queryset.select_related("customer_goal")
    item = queryset.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such item in this plan.")
    _attach_plan(item, plan)
    return item


def plan_item_parent_get(*, plan: Plan, model, parent_id):
    """The live goal (of a strategy) or strategy (of a tactic) of `plan` named by
    `parent_id`, or 404."""
    if not str(parent_id or "").isdigit() or len(str(parent_id)) > 18:
        raise Http404("No such parent item.")
    live_parents = {"deleted_at": None}
    if model is Strategy:  # a strategy of a deleted goal is gone from the plan too
        live_parents["goal__deleted_at"] = None
    parent = model.objects.filter(
        **{PLAN_PATH[model]: plan, "pk": parent_id}, **live_parents
    ).first()
    if parent is None:
        raise Http404("No such parent item.")
    _attach_plan(parent, plan)
    return parent


def _live_tactics() -> QuerySet[Tactic]:
    return Tactic.objects.filter(**LIVE).select_related("owner")


def _live_strategies() -> QuerySet[Strategy]:
    return Strategy.objects.filter(**LIVE).prefetch_related(
        Prefetch("tactics", queryset=_live_tactics())
    )


def plan_knowledge_points(*, plan: Plan) -> QuerySet[KnowledgePoint]:
    """The plan's live knowledge points, in their order."""
    return KnowledgePoint.objects.filter(plan=plan, **LIVE)


def plan_swot_items(*, plan: Plan) -> QuerySet[SwotItem]:
    """The plan's live SWOT items, in their order."""
    return SwotItem.objects.filter(plan=plan, **LIVE)


def plan_goals(*, plan: Plan) -> QuerySet[Goal]:
    """The plan's live goals with their customer goal, their live strategies and those
    strategies' live tactics (with owners): four queries, however big the plan."""
    return (
        Goal.objects.filter(plan=plan, **LIVE)
        .select_related("customer_goal")
        .prefetch_related(Prefetch("strategies", queryset=_live_strategies()))
    )


def goal_with_strategies(*, goal_id) -> Goal:
    """The goal again with its live strategies and their live tactics, as the page
    shows it."""
    return (
        Goal.objects.filter(pk=goal_id)
        .select_related("customer_goal")
        .prefetch_related(Prefetch("strategies", queryset=_live_strategies()))
        .get()
    )


def strategy_with_tactics(*, strategy_id) -> Strategy:
    """The strategy again with its live tactics, as the page shows it."""
    return (
        Strategy.objects.filter(pk=strategy_id)
        .prefetch_related(Prefetch("tactics", queryset=_live_tactics()))
        .get()
    )


def plan_alignment(*, plan: Plan) -> list[dict]:
    """Who on the team covers which business units and decision makers: their
    relationships of strength ≥ 2 with the account's contacts. Two queries."""
    team = list(account_team(account=plan.account))
    covered = defaultdict(lambda: {"units": set(), "decision_makers": []})
    relationships = (
        Relationship.objects.filter(
            contact__account=plan.account,
            strength__gte=2,
            user__team_memberships__account=plan.account,
        )
        .select_related("contact", "contact__business_unit")
        .order_by("-strength", "contact__name")
    )
    for relationship in relationships:
        contact = relationship.contact
        mine = covered[relationship.user_id]
        if contact.business_unit is not None:
            mine["units"].add(contact.business_unit.name)
        if contact.buying_role == contact.BuyingRole.DECISION_MAKER:
            mine["decision_makers"].append(relationship)
    return [
        {
            "member": member,
            "units": sorted(covered[member.user_id]["units"]),
            "decision_makers": covered[member.user_id]["decision_makers"],
        }
        for member in team
    ]
