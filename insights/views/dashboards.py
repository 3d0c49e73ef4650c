"""Dashboards, read from snapshots: the account's Health tab (the account dashboard), the
dashboard of the accounts a user sees (a manager's team, a member's own), and the
executive's portfolio by tier (precomputed by the dashboard job)."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from accounts_app.selectors import account_get_for_user, account_rpi_trend
from accounts_app.views.common import render_account_page
from core.charts import trend_svg
from core.http import wants_fragment
from scorecards import charts
from segmentation.models import Tier

from .. import dashboards, health, renewals
from ..selectors import account_live_alerts, live_alerts, mark_next_review, owners_of
from ..servicing import mark_servicing

SORTS = {
    "health": (F("latest_snapshot__health").asc(nulls_last=True), "name"),
    "-health": (F("latest_snapshot__health").desc(nulls_last=True), "name"),
    "rpi": (F("latest_snapshot__rpi").asc(nulls_last=True), "name"),
    "plan": (F("latest_snapshot__plan_quality").asc(nulls_first=True), "name"),
    "overdue": (F("latest_snapshot__tactics_overdue").desc(), "name"),
    "pipeline": (F("latest_snapshot__pipeline_open_value").desc(), "name"),
    "name": ("name",),
}
SORT_LABELS = [
    ("health", "Health, weakest first"),
    ("-health", "Health, strongest first"),
    ("rpi", "RPI, lowest first"),
    ("plan", "Plan quality, lowest first"),
    ("overdue", "Overdue tactics, most first"),
    ("pipeline", "Open pipeline, largest first"),
    ("name", "Name"),
]


@login_required
def account_health_view(request, account_id: int):
    """The account dashboard: health and its components, trends, scorecard, pipeline,
    plan and tier, as of the latest snapshot."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    snapshot = account.latest_snapshot
    health_points = health.account_health_trend(account=account)
    rpi_points = account_rpi_trend(account=account)
    assignment = getattr(account, "tier_assignment", None)
    return render_account_page(
        request,
        account=account,
        tab="health",
        panel="insights/_health.html",
        context={
            "snapshot": snapshot,
            "components": health.health_components(snapshot),
            "health_chart": trend_svg(
                health_points, id_prefix="health-trend", title="Account health over time"
            )
            if health_points
            else "",
            "rpi_chart": trend_svg(
                rpi_points,
                target=assignment.tier.rpi_target if assignment else None,
                id_prefix="rpi-trend",
            )
            if rpi_points
            else "",
            "tier": assignment.tier if assignment else None,
            "alerts": account_live_alerts(account=account),
        },
    )


def _int(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@login_required
def team_dashboard_view(request):
    """The accounts the user sees: health bands by tier, pipeline, plans, the accounts
    that moved most, and every account's figures, worst health first."""
    base = dashboards.dashboard_accounts(user=request.user)
    tier_id, owner_id = _int(request.GET.get("tier")), _int(request.GET.get("owner"))
    accounts = dashboards.dashboard_filter(
        base, user=request.user, tier_id=tier_id, owner_id=owner_id
    )
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "health"
    summary = dashboards.manager_summary(accounts=accounts)
    paginator = Paginator(accounts.order_by(*SORTS[sort], "pk"), 25)
    paginator.count = summary.accounts
    page = paginator.get_page(request.GET.get("page"))
    mark_next_review(accounts=page.object_list)
    mark_servicing(accounts=page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    alert_counts, top_alerts = live_alerts(accounts=accounts)
    renewal_tiers, renewal_total = renewals.renewals_by_tier(
        accounts=accounts, today=timezone.localdate()
    )
    context = {
        "nav_active": "dashboards",
        "alert_counts": alert_counts,
        "top_alerts": top_alerts,
        "summary": summary,
        "bands_chart": charts.bands_svg(
            [(name or "Not yet tiered", bands) for name, bands in summary.by_tier],
            title="Accounts by health band and tier",
        ),
        "movers": dashboards.movers(accounts=accounts),
        "renewal_tiers": renewal_tiers,
        "renewal_total": renewal_total,
        "renewal_days": renewals.RENEWAL_DAYS,
        "page": page,
        "sort": sort,
        "sort_labels": SORT_LABELS,
        "tiers": Tier.objects.order_by("rank"),
        "owners": owners_of(accounts=base),
        "tier_id": tier_id,
        "owner_id": owner_id,
        "query_string": params.urlencode(),
        "sees_portfolio": request.user.sees_every_account,
        "is_filtered": bool(tier_id or owner_id),
    }
    template = "insights/dashboard.html"
    if wants_fragment(request):
        template = "insights/dashboard.html#results"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _retention_context(latest) -> dict:
    retention = latest.data.get("retention") if latest else None
    if not retention:
        return {"retention": None}

    def span(start: str, end_month_after: str) -> str:
        first = date.fromisoformat(start)
        last = date.fromisoformat(end_month_after) - timedelta(days=1)
        return f"{first:%b %Y} – {last:%b %Y}"

    return {
        "retention": retention,
        "retention_earlier": span(retention["earlier_from"], retention["later_from"]),
        "retention_later": span(retention["later_from"], retention["until"]),
    }


@login_required
def portfolio_dashboard_view(request):
    """The executive dashboard: the whole portfolio by tier, from the precomputed
    aggregates. Executives and admins only (it counts every account): 404 for others."""
    if not request.user.sees_every_account:
        raise Http404("No such page.")
    latest = dashboards.portfolio_latest()
    trend = dashboards.portfolio_trend()
    series = {}
    for snapshot in trend:
        for tier in snapshot.data.get("tiers", []):
            if tier["health_mean"] is not None and tier["id"] is not None:
                series.setdefault(tier["name"], []).append((snapshot.date, tier["health_mean"]))
    tiers = latest.data["tiers"] if latest else []
    for tier in tiers:
        tier["meeting_pct"] = (
            100 * tier["meeting_requirements"] / tier["accounts"]
            if tier["requirements"] and tier["accounts"]
            else None
        )
        tier["revenue_pct"] = (
            100 * tier["revenue"] / latest.data["total"]["revenue"]
            if latest.data["total"]["revenue"]
            else None
        )
    return TemplateResponse(
        request,
        "insights/portfolio.html",
        {
            "nav_active": "dashboards",
            "portfolio": latest,
            "tiers": tiers,
            "total": latest.data["total"] if latest else None,
            **_retention_context(latest),
            "renewals": latest.data.get("renewals") if latest else None,
            "snapshots_from": date.fromisoformat(latest.data["snapshots_from"][:10])
            if latest and latest.data.get("snapshots_from")
            else None,
            "bands_chart": charts.bands_svg(
                [(t["name"], t["bands"]) for t in tiers], title="Accounts by health band and tier"
            ),
            "trend_chart": charts.lines_svg(
                list(series.items()), title="Mean account health by tier"
            ),
        },
    )
