"""Business-review packs (DESIGN §6): an account's PDF, internal (everything) or for the
customer (what goes across the table at an external review), rendered by WeasyPrint
from the templates under templates/packs/ with the same figures, charts and partials
as the pages.

What the customer version leaves out is decided here, not in the templates: its
context simply does not carry internal ratings of the customer's people, attitudes,
margins, return on effort, alerts or coaching notes, so no template can print them.
"""

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from accounts_app.charts import trend_svg
from accounts_app.models import Account, Contact, User
from accounts_app.pdf import render_pdf
from accounts_app.relmap import RelationshipMapUnavailable, relationship_map_svg
from accounts_app.selectors import account_rpi, account_rpi_trend, mark_servicing_gaps
from opportunities import formulas as opportunity_formulas
from opportunities.models import Opportunity
from opportunities.selectors import whitespace_matrix
from scorecards.alerts.services import alert_list
from scorecards.dashboards import account_health_trend, health_components
from scorecards.models import Alert
from scorecards.selectors import account_scorecard, scorecard_lines
from segmentation.selectors import account_tier_panel

from .charts import revenue_bars_svg
from .models import BusinessReview, Plan, PlanComment, ReviewActionItem, Tactic
from .quality import plan_quality
from .reviews import reviews_due
from .selectors import plan_facts
from .services import fiscal_year

INTERNAL, CUSTOMER = "internal", "customer"
VARIANTS = {INTERNAL: "Internal", CUSTOMER: "Customer"}


@dataclass
class PlanTree:
    plan: Plan
    goals: list  # [(goal, [(strategy, [tactic])])]


def _plan_tree(plan: Plan) -> PlanTree:
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


def pack_context(*, account: Account, variant: str, user: User) -> dict:
    """Everything the pack of `variant` prints, gathered in a fixed number of queries."""
    if variant not in VARIANTS:
        raise ValueError(f"Unknown pack variant: {variant}")
    internal = variant == INTERNAL
    today = timezone.localdate()
    snapshot = account.latest_snapshot
    plan = Plan.objects.filter(account=account, period=fiscal_year()).first()
    tree = _plan_tree(plan) if plan else None
    scorecard = account_scorecard(account=account)
    lines = scorecard_lines(scorecard=scorecard) if scorecard else []
    if not internal:
        lines = [view for view in lines if view.metric.joint]
    last_review = _last_review(account, variant=variant)
    actions = []
    if last_review:
        actions = list(
            last_review.actions.select_related("owner", "tactic").order_by("position", "id")
        )
        if not internal:
            actions = [a for a in actions if a.agreed_with_customer]
    opportunities = list(
        Opportunity.objects.filter(account=account)
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
        "customer_goals": list(
            plan.knowledge_points.filter(deleted_at__isnull=True, kind="goal").order_by(
                "position", "id"
            )
        )
        if plan
        else [],
        "scorecard": scorecard,
        "lines": lines,
        "last_review": last_review,
        "review_actions": actions,
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
    if not internal:
        return context
    context["open_deals"] = open_deals

    # --- Internal only -------------------------------------------------------------------
    mark_servicing_gaps(accounts=[account])
    health_points = account_health_trend(account=account)
    rpi_points = account_rpi_trend(account=account)
    tier_panel = account_tier_panel(account=account)
    try:
        relmap = relationship_map_svg(account, for_page=True)
    except RelationshipMapUnavailable:
        relmap = ""
    context.update(
        {
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
                Contact.objects.filter(account=account)
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
            "alerts": list(
                alert_list(user=user)
                .filter(account=account, status__in=Alert.LIVE)
                .select_related("rule", "assignee")
                .order_by("status", "-raised_at")[:30]
            ),
            "open_actions": ReviewActionItem.objects.filter(
                review__account=account, done=False
            ).count(),
        }
    )
    return context


def render_account_pack(*, account: Account, variant: str, user: User) -> bytes:
    return render_pdf(
        "packs/account.html", pack_context(account=account, variant=variant, user=user)
    )


def pack_filename(*, account: Account, variant: str) -> str:
    day = timezone.localdate()
    return f"{slugify(account.name) or 'account'}-review-pack-{variant}-{day:%Y-%m-%d}.pdf"


def pack_response(*, account: Account, variant: str, user: User) -> HttpResponse:
    """The pack as a download (rendered in the request: a single account's pack takes a
    second or two; bench/packs.py)."""
    pdf = render_account_pack(account=account, variant=variant, user=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = pack_filename(account=account, variant=variant)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
