"""Business-review packs (DESIGN §6): an account's PDF, internal (everything) or for the
customer (what goes across the table at an external review), rendered by WeasyPrint
from the templates under templates/packs/ with the same figures, charts and partials
as the pages.

What the customer version leaves out is decided here, not in the templates: its
context simply does not carry internal ratings of the customer's people, attitudes,
margins, return on effort, alerts or coaching notes, so no template can print them.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, F, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader

from accounts_app.models import Account, Contact, User
from accounts_app.relmap import RelationshipMapUnavailable, relationship_map_svg
from accounts_app.selectors import account_rpi, account_rpi_trend
from core.charts import trend_svg
from core.pdf import render_pdf
from insights.health import account_health_trend, health_components
from opportunities import formulas as opportunity_formulas
from opportunities.models import Opportunity
from opportunities.selectors import whitespace_matrix
from plans.charts import revenue_bars_svg
from plans.models import BusinessReview, GeneratedPack, Plan, PlanComment, ReviewActionItem, Tactic
from plans.quality import plan_quality
from plans.reviews import reviews_due, reviews_due_for
from plans.selectors import current_plan, current_plans, plan_facts
from scorecards.alerts.services import alert_list
from scorecards.charts import perception_svg, sparkline_svg
from scorecards.models import Alert, PortfolioSnapshot, SurveyRound
from scorecards.selectors import account_scorecard, scorecard_lines
from scorecards.surveys import round_results

from .servicing import account_servicing, mark_servicing_gaps

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


def pack_context(*, account: Account, variant: str, user: User) -> dict:
    """Everything the pack of `variant` prints, gathered in a fixed number of queries."""
    if variant not in VARIANTS:
        raise ValueError(f"Unknown pack variant: {variant}")
    internal = variant == INTERNAL
    today = timezone.localdate()
    snapshot = account.latest_snapshot
    plan = current_plan(account=account)
    tree = _plan_tree(plan) if plan else None
    scorecard = account_scorecard(account=account)
    lines = scorecard_lines(scorecard=scorecard) if scorecard else []
    if not internal:
        lines = [view for view in lines if view.metric.joint]
    for view in lines:
        view.sparkline = sparkline_svg(
            view.trend, status=view.status, label=view.metric.name, unit=view.metric.unit
        )
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
    tier_panel = account_servicing(account=account)
    account.servicing_gaps = tier_panel.gaps if tier_panel.assignment else None
    health_points = account_health_trend(account=account)
    rpi_points = account_rpi_trend(account=account)
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
    )
    return context


def render_account_pack(*, account: Account, variant: str, user: User) -> bytes:
    return render_pdf(
        "packs/account.html", pack_context(account=account, variant=variant, user=user)
    )


def pack_filename(*, account: Account | None, variant: str, day=None) -> str:
    day = day or timezone.localdate()
    name = slugify(account.name) or "account" if account else "portfolio"
    return f"{name}-review-pack-{variant}-{day:%Y-%m-%d}.pdf"


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def download_response(pack: GeneratedPack) -> HttpResponse:
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    filename = pack_filename(
        account=pack.account, variant=pack.kind, day=timezone.localdate(pack.created_at)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def pack_response(*, account: Account, variant: str, user: User) -> HttpResponse:
    """The account's pack as a download, rendered in the request (a second or two:
    bench/packs.py) and kept with who generated it and when."""
    pdf = render_account_pack(account=account, variant=variant, user=user)
    pack = GeneratedPack.objects.create(
        kind=variant,
        account=account,
        status=GeneratedPack.Status.DONE,
        pdf=pdf,
        pages=page_count(pdf),
        size=len(pdf),
        requested_by=user,
        finished_at=timezone.now(),
    )
    return download_response(pack)


# --- The executive portfolio pack ------------------------------------------------------------


def portfolio_accounts(*, limit: int | None = None) -> list[Account]:
    """The Tier I accounts (the top tier), largest revenue first, up to `limit`
    (STRATA_PORTFOLIO_PACK_ACCOUNTS by default)."""
    limit = settings.STRATA_PORTFOLIO_PACK_ACCOUNTS if limit is None else limit
    return list(
        Account.objects.filter(archived=False, tier_assignment__tier__rank=1)
        .select_related("owner", "latest_snapshot", "tier_assignment__tier")
        .order_by(F("annual_revenue").desc(nulls_last=True), "name", "pk")[:limit]
    )


def portfolio_account_count() -> int:
    return Account.objects.filter(archived=False, tier_assignment__tier__rank=1).count()


def portfolio_context(*, accounts: list[Account], user: User, progress=None) -> dict:
    """One summary per account (a page each) and the portfolio's totals. `progress(n)`
    is called as accounts are gathered, in batches."""
    today = timezone.localdate()
    ids = [a.pk for a in accounts]
    mark_servicing_gaps(accounts=accounts)
    due = {}
    for row in reviews_due_for(ids):
        due.setdefault(row.account_id, []).append(row)
    alerts = {}
    for alert in (
        Alert.objects.filter(account_id__in=ids, status__in=Alert.LIVE)
        .select_related("rule")
        .order_by(
            "account_id",
            Case(When(severity="high", then=0), When(severity="medium", then=1), default=2),
            "-raised_at",
        )
    ):
        alerts.setdefault(alert.account_id, []).append(alert)
    plans = {plan.account_id: plan for plan in current_plans(accounts=ids)}
    summaries = []
    for index, account in enumerate(accounts, start=1):
        snapshot = account.latest_snapshot
        points = account_health_trend(account=account)
        summaries.append(
            {
                "account": account,
                "snapshot": snapshot,
                "plan": plans.get(account.pk),
                "reviews_due": sorted(due.get(account.pk, []), key=lambda r: r.kind),
                "overdue": [r for r in due.get(account.pk, []) if r.due < today],
                "alerts": alerts.get(account.pk, [])[:5],
                "alert_count": len(alerts.get(account.pk, [])),
                "health_chart": trend_svg(
                    points, id_prefix=f"pf-health-{account.pk}", title="Health over the year"
                )
                if points
                else "",
            }
        )
        if progress and (index % 5 == 0 or index == len(accounts)):
            progress(index)
    bands = {band: 0 for band in ("green", "amber", "red", "none")}
    for summary in summaries:
        snapshot = summary["snapshot"]
        bands[(snapshot.health_band if snapshot else "") or "none"] += 1
    latest = PortfolioSnapshot.objects.order_by("-date").first()
    return {
        "summaries": summaries,
        "bands": bands,
        "revenue": sum((a.annual_revenue or 0) for a in accounts),
        "pipeline": sum(
            (s["snapshot"].pipeline_open_value or 0) for s in summaries if s["snapshot"]
        ),
        "overdue_reviews": sum(1 for s in summaries if s["overdue"]),
        "with_gaps": sum(1 for s in summaries if s["account"].servicing_gaps),
        "portfolio": latest,
        "generated_at": timezone.now(),
        "generated_by": user,
        "tier_name": accounts[0].tier_assignment.tier.name if accounts else "Tier I",
        "tier_total": portfolio_account_count(),
    }


def portfolio_pack_start(*, by: User) -> GeneratedPack:
    """Queue the executive portfolio pack (a job renders it); one at a time: while one is
    waiting or rendering, that one is returned."""
    from .tasks import render_portfolio_pack

    if not by.sees_every_account:
        raise PermissionDenied("The portfolio pack is for executives.")
    with transaction.atomic():
        running = (
            GeneratedPack.objects.select_for_update()
            .filter(
                kind=GeneratedPack.Kind.PORTFOLIO,
                status__in=(GeneratedPack.Status.PENDING, GeneratedPack.Status.RUNNING),
            )
            .first()
        )
        if running:
            return running
        pack = GeneratedPack.objects.create(kind=GeneratedPack.Kind.PORTFOLIO, requested_by=by)
        transaction.on_commit(lambda: render_portfolio_pack.delay(pack.pk))
    return pack


def portfolio_pack_render(*, pack_id: int, limit: int | None = None) -> GeneratedPack | None:
    """Render portfolio pack `pack_id` (the job's work). A pack already done or failed is
    left as it is, so a redelivered job changes nothing; one left running by a lost
    worker is rendered again from the start."""
    with transaction.atomic():
        pack = GeneratedPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.finished:
            return pack
        accounts = portfolio_accounts(limit=limit)
        pack.status = GeneratedPack.Status.RUNNING
        pack.progress_done, pack.progress_total = 0, len(accounts) + 1
        pack.save(update_fields=["status", "progress_done", "progress_total"])

    def progress(done: int) -> None:
        GeneratedPack.objects.filter(pk=pack_id).update(progress_done=done)

    try:
        context = portfolio_context(accounts=accounts, user=pack.requested_by, progress=progress)
        pdf = render_pdf("packs/portfolio.html", context)
    except Exception as exc:  # a failed render is shown on the page, not lost in a log
        GeneratedPack.objects.filter(pk=pack_id).update(
            status=GeneratedPack.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    GeneratedPack.objects.filter(pk=pack_id).update(
        status=GeneratedPack.Status.DONE,
        pdf=pdf,
        pages=page_count(pdf),
        size=len(pdf),
        progress_done=len(accounts) + 1,
        finished_at=timezone.now(),
    )
    pack.refresh_from_db()
    return pack
