"""The executive portfolio pack (DESIGN §6): a page per Tier I account, rendered by a
job (insights.tasks.render_portfolio_pack) with its progress kept on the pack."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, When
from django.utils import timezone

from accounts_app.models import Account, User
from core.charts import trend_svg
from core.pdf import render_pdf
from plans.models import GeneratedPack
from plans.reviews import reviews_due_for
from plans.selectors import current_plans
from scorecards.models import Alert, PortfolioSnapshot

from ..health import account_health_trend
from ..servicing import mark_servicing
from .files import page_count

logger = logging.getLogger(__name__)


def portfolio_accounts(*, limit: int | None = None) -> list[Account]:
    """The Tier I accounts (the top tier), largest revenue first, up to `limit`
    (STRATA_PORTFOLIO_PACK_ACCOUNTS by default)."""
    limit = settings.STRATA_PORTFOLIO_PACK_ACCOUNTS if limit is None else limit
    return list(
        Account.objects.filter(archived=False, tier_assignment__tier__rank=1)
        .select_related("owner", "industry", "region", "latest_snapshot", "tier_assignment__tier")
        .order_by(F("annual_revenue").desc(nulls_last=True), "name", "pk")[:limit]
    )


def portfolio_account_count() -> int:
    return Account.objects.filter(archived=False, tier_assignment__tier__rank=1).count()


def portfolio_context(*, accounts: list[Account], user: User, progress=None) -> dict:
    """One summary per account (a page each) and the portfolio's totals. `progress(n)`
    is called as accounts are gathered, in batches."""
    today = timezone.localdate()
    ids = [a.pk for a in accounts]
    mark_servicing(accounts=accounts)
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
        "with_gaps": sum(1 for s in summaries if s["account"].servicing.unmet),
        "portfolio": latest,
        "today": today,
        "generated_at": timezone.now(),
        "generated_by": user,
        "tier_name": accounts[0].tier_assignment.tier.name if accounts else "Tier I",
        "tier_total": portfolio_account_count(),
    }


def portfolio_pack_start(*, by: User) -> GeneratedPack:
    """Queue the executive portfolio pack (a job renders it); one at a time: while one is
    waiting or rendering, that one is returned."""
    from ..tasks import render_portfolio_pack  # the job renders with this module

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
        # untracked: a pack's rendering progress
        GeneratedPack.objects.filter(pk=pack_id).update(progress_done=done)

    try:
        context = portfolio_context(accounts=accounts, user=pack.requested_by, progress=progress)
        pdf = render_pdf("packs/portfolio.html", context)
    except Exception as exc:  # a failed render is shown on the page, not lost in a log
        # untracked: a pack's rendering progress
        GeneratedPack.objects.filter(pk=pack_id).update(
            status=GeneratedPack.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    # untracked: a pack's rendering progress
    GeneratedPack.objects.filter(pk=pack_id).update(
        status=GeneratedPack.Status.DONE,
        pdf=pdf,
        pages=page_count(pdf),
        size=len(pdf),
        progress_done=len(accounts) + 1,
        finished_at=timezone.now(),
    )
    pack.refresh_from_db()
    logger.info("portfolio pack %s rendered: %s pages", pack.pk, pack.pages)
    return pack
