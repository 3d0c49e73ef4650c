"""The sections of the plan page as they render: knowledge points by kind, the
financials card, SWOT quadrants, goals with their strategies and tactics; and one list
rendered again after an add, a reorder or a kind changed."""

from collections import defaultdict
from decimal import Decimal

from django_htmx.http import reswap, retarget, trigger_client_event

from ...models import Goal, KnowledgePoint, Plan, SwotItem
from ...selectors import (
    goal_with_strategies,
    plan_goals,
    plan_knowledge_points,
    plan_swot_items,
    strategy_with_tactics,
)
from .common import _base_context, _mark, _respond, _wants_fragment


def _goals(plan: Plan) -> list[Goal]:
    return _mark(plan, "goal", list(plan_goals(plan=plan)))


def _knowledge_groups(plan: Plan) -> list[dict]:
    points = defaultdict(list)
    for point in _mark(plan, "knowledge", plan_knowledge_points(plan=plan)):
        points[point.kind].append(point)
    plural = {"goal": "Customer goals", "initiative": "Initiatives", "challenge": "Challenges"}
    return [
        {"kind": kind, "label": plural[kind], "singular": label.lower(), "items": points[kind]}
        for kind, label in KnowledgePoint.Kind.choices
    ]


def _swot_quadrants(plan: Plan) -> list[dict]:
    items = defaultdict(list)
    for item in _mark(plan, "swot", plan_swot_items(plan=plan)):
        items[item.kind].append(item)
    plural = {
        "strength": "Strengths",
        "weakness": "Weaknesses",
        "opportunity": "Opportunities",
        "threat": "Threats",
    }
    return [
        {"kind": kind, "label": plural[kind], "singular": label.lower(), "items": items[kind]}
        for kind, label in SwotItem.Kind.choices
    ]


def _financials(plan: Plan) -> dict:
    quarters = [plan.revenue_q1, plan.revenue_q2, plan.revenue_q3, plan.revenue_q4]
    known = [q for q in quarters if q is not None]
    actual = sum(known, Decimal(0)) if known else None

    def pct(part, whole):
        if part is None or not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"))

    progress = pct(actual, plan.revenue_target)
    return {
        "quarters": list(zip(("Q1", "Q2", "Q3", "Q4"), quarters, strict=True)),
        "actual": actual,
        "target": plan.revenue_target,
        "progress_pct": progress,
        "progress_bar": min(progress, Decimal(100)) if progress is not None else None,
        "wallet": plan.wallet_estimate,
        "share_pct": pct(actual, plan.wallet_estimate),
        "margin_pct": plan.margin_target_pct,
        # No actuals and no target: the card invites to add them (a new plan has the
        # account's wallet and margin already).
        "empty": not known and plan.revenue_target is None,
        "blank": not known
        and all(
            v is None for v in (plan.revenue_target, plan.wallet_estimate, plan.margin_target_pct)
        ),
    }


# --- Lists: rendering one list again after an add, a reorder, a kind changed ---------------


def _container_id(kind: str, parent) -> str:
    if kind == "strategy":
        return f"goal-{parent.pk}-strategies"
    if kind == "tactic":
        return f"strategy-{parent.pk}-tactics"
    return {"knowledge": "knowledge-body", "swot": "swot-body", "goal": "goals-body"}[kind]


def _container_response(request, plan, kind, parent, *, notice="", status=200, reopen=""):
    context = {**_base_context(request, plan), "notice": notice}
    if kind == "knowledge":
        template = "plans/_page_knowledge.html"
        context["knowledge_groups"] = _knowledge_groups(plan)
    elif kind == "swot":
        template = "plans/_page_swot.html"
        context["swot_quadrants"] = _swot_quadrants(plan)
    elif kind == "goal":
        template = "plans/_page_goals.html"
        context["goals"] = _goals(plan)
    elif kind == "strategy":
        template = "plans/_page_strategies.html"
        goal = goal_with_strategies(goal_id=parent.pk)
        context["goal"] = _mark(plan, "goal", [goal])[0]
    else:
        template = "plans/_page_tactics.html"
        strategy = strategy_with_tactics(strategy_id=parent.pk)
        context["strategy"] = _mark(plan, "strategy", [strategy])[0]
    response = _respond(request, template, context, status=status)
    if _wants_fragment(request):
        retarget(response, f"#{_container_id(kind, parent)}")
        reswap(response, "outerHTML")
        if reopen:
            # The add form opens again, empty, for the next item.
            trigger_client_event(response, "strata:reopen-add", {"id": reopen}, after="settle")
    return response
