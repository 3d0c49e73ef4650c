"""An account's business-review pack (DESIGN §6): what its PDF prints, internal
(everything) or for the customer (what goes across the table at an external review),
from the same figures, charts and partials as the pages.

What the customer version leaves out is decided here, not in the templates: its
context simply does not carry internal ratings of the customer's people, attitudes,
margins, return on effort, alerts or coaching notes, so no template can print them.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from accounts_app.models import Account, Contact, User
from accounts_app.relmap import RelationshipMapUnavailable, relationship_map_svg
from accounts_app.selectors import account_rpi, account_rpi_trend
from core import periods
from core.charts import trend_svg
from opportunities import formulas as opportunity_formulas
from opportunities.models import Opportunity
from opportunities.selectors import whitespace_matrix
from plans.charts import revenue_bars_svg
from plans.models import BusinessReview, Plan, PlanComment, ReviewActionItem, Risk, Tactic
from plans.quality import plan_quality
from plans.reviews import reviews_due
from plans.selectors import current_plan, plan_facts
from scorecards.alerts.services import alert_list
from scorecards.charts import perception_svg, sparkline_svg
from scorecards.models import Alert, SurveyRound
from scorecards.selectors import account_scorecard, scorecard_lines
from scorecards.surveys import round_results

from ..health import account_health_trend, health_components
from ..servicing import account_servicing
from .contents import contents

INTERNAL, CUSTOMER = "internal", "customer"
VARIANTS = {INTERNAL: "Internal", CUSTOMER: "Customer"}


@dataclass
class PlanTree:
    plan: Plan
    goals: list  # [(goal, [(strategy, [tactic])])]


@dataclass(frozen=True)
class SharedPlan:
    """What the customer's pack may say of our plan: which year it covers and how far
    along it is — not its overview, targets, strategies or tactics."""

    label: str
    status: str

    def get_status_display(self) -> str:
        return self.status


def _for_the_customer(plan: Plan | None, tree: PlanTree | None):
    """The plan and its tree as the customer's pack holds them: the goals only."""
    if plan is None:
        return None, None
    shared = SharedPlan(label=plan.label, status=plan.get_status_display())
    return shared, PlanTree(plan=shared, goals=[(goal, []) for goal, _ in tree.goals])


def overdue_since(due: date | None, *, still_open: bool, today: date) -> date | None:
    """The due date of an item still open after it (printed "Overdue since 3 Nov", as the
    plan page marks a tactic open past its date); None when it is not overdue."""
    return due if still_open and due is not None and due < today else None


def _plan_tree(plan: Plan, *, today: date) -> PlanTree:
    goals = {}
    for tactic in (
        Tactic.objects.filter(
            strategy__goal__plan=plan,
            deleted_at__isnull=True,
            strategy__deleted_at__isnull=True,
            strategy__goal__deleted_at__isnull=True,
        )
        .select_related("owner", "strategy__goal")
        .order_by("strategy__goal__position", "strategy__position", "position", "id")
    ):
        tactic.overdue_since = overdue_since(
            tactic.due_date, still_open=tactic.is_open, today=today
        )
        strategy = tactic.strategy
        goals.setdefault(strategy.goal, {}).setdefault(strategy, []).append(tactic)
    # Goals and strategies without tactics count too.
    for goal in plan.goals.filter(deleted_at__isnull=True).order_by("position", "id"):
        goals.setdefault(goal, {})
        for strategy in goal.strategies.filter(deleted_at__isnull=True).order_by("position", "id"):
            goals[goal].setdefault(strategy, [])
    ordered = sorted(goals.items(), key=lambda item: (item[0].position, item[0].pk))
    return PlanTree(
        plan=plan,
        goals=[
            (goal, sorted(strategies.items(), key=lambda s: (s[0].position, s[0].pk)))
            for goal, strategies in ordered
        ],
    )


def _last_review(account: Account, *, variant: str) -> BusinessReview | None:
    reviews = BusinessReview.objects.filter(account=account, held_on__isnull=False)
    if variant == CUSTOMER:
        reviews = reviews.filter(kind=BusinessReview.Kind.EXTERNAL)
    return reviews.order_by("-held_on", "-id").first()


def _latest_survey(account: Account) -> dict | None:
    """The latest survey round with answers: its results and the perception chart."""
    survey = (
        SurveyRound.objects.filter(account=account, responses__kind="customer")
        .select_related("template")
        .order_by("-created_at", "-id")
        .first()
    )
    if survey is None:
        return None
    results = round_results(survey=survey)
    return {
        "round": survey,
        "results": results,
        "chart": perception_svg(
            [
                (r.dimension.name, r.gap.customer_mean, r.gap.internal_mean, r.gap.blind_spot)
                for r in results.dimensions
            ]
        ),
    }


def _scorecard_lines(scorecard, *, joint_only: bool) -> list:
    """The latest scorecard's lines with their sparklines; the customer sees the joint
    metrics only."""
    lines = scorecard_lines(scorecard=scorecard) if scorecard else []
    if joint_only:
        lines = [view for view in lines if view.metric.joint]
    for view in lines:
        view.sparkline = sparkline_svg(
            view.trend, status=view.status, label=view.metric.name, unit=view.metric.unit
        )
    return lines


def _review_actions(review: BusinessReview | None, *, agreed_only: bool, today: date) -> list:
    """The action items of the last review, the overdue ones marked; the customer sees
    those agreed with them."""
    if review is None:
        return []
    actions = list(review.actions.select_related("owner", "tactic").order_by("position", "id"))
    for action in actions:
        action.overdue_since = overdue_since(
            action.due_date, still_open=not action.done, today=today
        )
    return [a for a in actions if a.agreed_with_customer] if agreed_only else actions


def _deals(account: Account) -> tuple[list, list]:
    """The account's open and won opportunities, each with the customer's ROI and
    payback."""
    opportunities = list(
        Opportunity.objects.filter(account=account, archived=False)
        .select_related("stage", "owner", "product_line")
        .order_by("stage__position", "-value", "pk")
    )
    for deal in opportunities:
        deal.roi_pct = opportunity_formulas.customer_roi_pct(
            deal.customer_annual_benefit, deal.horizon_years, deal.customer_investment
        )
        deal.payback = opportunity_formulas.payback_months(
            deal.customer_annual_benefit, deal.customer_investment
        )
    open_deals = [d for d in opportunities if d.stage.outcome == "open"]
    won = [d for d in opportunities if d.stage.outcome == "won"]
    return open_deals, won


def pack_context(*, account: Account, variant: str, user: User) -> dict:
    """Everything the pack of `variant` prints, gathered in a fixed number of queries."""
    if variant not in VARIANTS:
        raise ValueError(f"Unknown pack variant: {variant}")
    internal = variant == INTERNAL
    today = timezone.localdate()
    snapshot = account.latest_snapshot
    plan = current_plan(account=account)
    tree = _plan_tree(plan, today=today) if plan else None
    scorecard = account_scorecard(account=account)
    last_review = _last_review(account, variant=variant)
    open_deals, won = _deals(account)
    customer_goals = (
        list(
            plan.knowledge_points.filter(deleted_at__isnull=True, kind="goal").order_by(
                "position", "id"
            )
        )
        if plan
        else []
    )
    if not internal:
        plan, tree = _for_the_customer(plan, tree)
    context = {
        "account": account,
        "variant": variant,
        "variant_label": VARIANTS[variant],
        "internal": internal,
        "generated_at": timezone.now(),
        "generated_by": user,
        "today": today,
        "snapshot": snapshot,
        "plan": plan,
        "tree": tree,
        "customer_goals": customer_goals,
        "scorecard": scorecard,
        # Named as the app names it ("Q4 FY2026", "Mar 2026"): core.periods, one place.
        "scorecard_period": periods.label(scorecard.period_start, scorecard.cadence)
        if scorecard
        else "",
        "lines": _scorecard_lines(scorecard, joint_only=not internal),
        "last_review": last_review,
        "review_actions": _review_actions(last_review, agreed_only=not internal, today=today),
        "next_external": BusinessReview.objects.filter(
            account=account,
            kind=BusinessReview.Kind.EXTERNAL,
            held_on__isnull=True,
            scheduled_for__gte=today,
        )
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first(),
        "won": won,
        "open_count": len(open_deals),
    }
    if internal:
        context["open_deals"] = open_deals
        context.update(_internal_context(account=account, plan=plan, user=user))
    context.update(contents(context))
    return context


def _internal_context(*, account: Account, plan, user: User) -> dict:
    """What only the internal pack prints: tier and servicing, health and RPI with their
    trends, the relationship map and contacts, plan quality and financials, coaching
    comments, whitespace, the risk register, alerts, the survey, the reviews."""
    snapshot = account.latest_snapshot
    tier_panel = account_servicing(account=account)
    health_points = account_health_trend(account=account)
    rpi_points = account_rpi_trend(account=account)
    try:
        relmap = relationship_map_svg(account, for_page=True)
    except RelationshipMapUnavailable:
        relmap = ""
    return {
        "tier_panel": tier_panel,
        "reviews_due": reviews_due(account=account),
        "components": health_components(snapshot),
        "health_chart": trend_svg(
            health_points, id_prefix="pack-health", title="Account health over time"
        )
        if health_points
        else "",
        "rpi_chart": trend_svg(
            rpi_points,
            target=tier_panel.tier.rpi_target if tier_panel.tier else None,
            id_prefix="pack-rpi",
            title="RPI over time",
        )
        if rpi_points
        else "",
        "rpi": account_rpi(account=account),
        "relmap": relmap,
        "contacts": list(
            Contact.objects.filter(account=account, archived=False)
            .select_related("business_unit")
            .order_by("level", "name")
        ),
        "quality": plan_quality(plan_facts(plan=plan)) if plan else None,
        "revenue_chart": revenue_bars_svg(
            [(f"Q{n}", getattr(plan, f"revenue_q{n}")) for n in range(1, 5)],
            target=plan.revenue_target,
            title=f"{plan.label} revenue by quarter against the target",
        )
        if plan
        else "",
        "comments": list(
            PlanComment.objects.filter(plan=plan, parent__isnull=True)
            .select_related("author")
            .order_by("-created_at")[:12]
        )
        if plan
        else [],
        "whitespace": whitespace_matrix(account=account),
        # The register is ours: the customer's pack never carries it.
        "risks": list(
            Risk.objects.filter(account=account, status__in=Risk.LIVE).select_related("owner")
        ),
        "alerts": list(
            alert_list(user=user)
            .filter(account=account, status__in=Alert.LIVE)
            .select_related("rule", "assignee")
            .order_by("status", "-raised_at")[:30]
        ),
        "survey": _latest_survey(account),
        "reviews": list(
            BusinessReview.objects.filter(account=account)
            .annotate(action_count=Count("actions"))
            .order_by("-scheduled_for", "-id")[:12]
        ),
        "open_actions": ReviewActionItem.objects.filter(
            review__account=account, done=False
        ).count(),
    }
