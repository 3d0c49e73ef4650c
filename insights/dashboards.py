"""The dashboards' reads, all from snapshots: an account's (its latest snapshot and
history), a manager's (the latest snapshot of each account they see, aggregated in SQL)
and the executive's (the portfolio aggregates precomputed by the dashboard job, whose
daily rows are the trend). Nothing here computes a formula in the request."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Abs
from django.utils import timezone

from accounts_app.models import Account, User
from core.lookups import IdArray
from scorecards.models import PortfolioSnapshot
from segmentation.models import Tier

from .renewals import renewals_data
from .retention import retention_by_tier
from .servicing import servicing_verdicts

BANDS = ("green", "amber", "red")
TREND_DAYS = 365


# --- Manager -----------------------------------------------------------------------------


def dashboard_accounts(*, user: User) -> QuerySet[Account]:
    """The accounts on a user's dashboard: those they may see, not archived, with their
    latest snapshot and tier joined.

    For a user who does not see every account, the ids are read once and bound as one
    array (core/lookups.py): the dashboard's queries would otherwise each
    evaluate the team-and-reports subquery, which PostgreSQL misjudges (bench/README.md)."""
    accounts = Account.objects.filter(archived=False)
    if not _sees_every_account(user):
        ids = list(Account.objects.visible_to(user).filter(archived=False).values_list("pk"))
        accounts = Account.objects.filter(pk__any_of=IdArray(pk for (pk,) in ids))
    return accounts.select_related("latest_snapshot", "owner", "tier_assignment__tier")


def dashboard_filter(
    accounts: QuerySet[Account], *, user: User, tier_id: int | None, owner_id: int | None
) -> QuerySet[Account]:
    """`accounts` (dashboard_accounts()) in tier `tier_id` and of owner `owner_id`, when
    given; for a user who does not see every account, again as one array of ids, read
    once instead of joined by each query."""
    if not (tier_id or owner_id):
        return accounts
    if tier_id:
        accounts = accounts.filter(tier_assignment__tier_id=tier_id)
    if owner_id:
        accounts = accounts.filter(owner_id=owner_id)
    if _sees_every_account(user):
        return accounts
    ids = IdArray(accounts.values_list("pk", flat=True))
    return Account.objects.filter(pk__any_of=ids).select_related(
        "latest_snapshot", "owner", "tier_assignment__tier"
    )


def _sees_every_account(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.sees_every_account


@dataclass
class ManagerSummary:
    accounts: int
    bands: dict
    health_mean: Decimal | None
    rpi_mean: Decimal | None
    pipeline_open: Decimal
    pipeline_weighted: Decimal
    qualified: int
    needs_work: int
    unqualified: int
    stalled: int
    tactics_overdue: int
    plans: dict
    oldest: object
    newest: object
    # [(tier name or None, {band: accounts, "none": accounts})], by rank, untiered last
    by_tier: list


def health_aggregates(prefix: str = "latest_snapshot__") -> dict:
    """Accounts per health band, mean health and mean RPI of their latest snapshots."""
    return {
        **{band: Count("pk", filter=Q(**{f"{prefix}health_band": band})) for band in BANDS},
        "health": Avg(f"{prefix}health"),
        "rpi": Avg(f"{prefix}rpi"),
    }


SUMMED = {
    "open": "pipeline_open_value",
    "weighted": "pipeline_weighted",
    "qualified": "opportunities_qualified",
    "needs_work": "opportunities_needs_work",
    "unqualified": "opportunities_unqualified",
    "stalled": "opportunities_stalled",
    "overdue": "tactics_overdue",
    "health_sum": "health",
    "rpi_sum": "rpi",
}


def _mean(total, count) -> Decimal | None:
    return Decimal(total) / count if count else None


def manager_summary(*, accounts: QuerySet[Account]) -> ManagerSummary:
    """The accounts' latest snapshots aggregated in ONE query, grouped by tier and plan
    status (a few dozen rows at most), and folded here into the totals, the plans by
    status and the health bands by tier: sums, counts, minima and maxima add up across
    groups, and the means are sums over counts."""
    s = "latest_snapshot__"
    rows = list(
        accounts.order_by()
        .values("tier_assignment__tier__name", "tier_assignment__tier__rank", f"{s}plan_status")
        .annotate(
            n=Count("pk"),
            **{band: Count("pk", filter=Q(**{f"{s}health_band": band})) for band in BANDS},
            **{key: Sum(f"{s}{field}") for key, field in SUMMED.items()},
            health_n=Count(f"{s}health"),
            rpi_n=Count(f"{s}rpi"),
            oldest=Min(f"{s}computed_at"),
            newest=Max(f"{s}computed_at"),
        )
    )
    total = defaultdict(lambda: 0)
    plans, tiers = defaultdict(int), {}
    for row in rows:
        for key in ("n", *BANDS, *SUMMED, "health_n", "rpi_n"):
            total[key] += row[key] or 0
        plans[(row[f"{s}plan_status"] or "none").replace("_", " ")] += row["n"]
        tier = (row["tier_assignment__tier__rank"], row["tier_assignment__tier__name"])
        bands = tiers.setdefault(tier, dict.fromkeys((*BANDS, "none"), 0))
        for band in BANDS:
            bands[band] += row[band]
        bands["none"] += row["n"] - sum(row[band] for band in BANDS)
    bands = {band: total[band] for band in BANDS}
    bands["none"] = total["n"] - sum(bands.values())
    stamps = [row[key] for row in rows for key in ("oldest", "newest") if row[key]]
    return ManagerSummary(
        accounts=total["n"],
        bands=bands,
        health_mean=_mean(total["health_sum"], total["health_n"]),
        rpi_mean=_mean(total["rpi_sum"], total["rpi_n"]),
        pipeline_open=Decimal(total["open"]),
        pipeline_weighted=Decimal(total["weighted"]),
        qualified=total["qualified"],
        needs_work=total["needs_work"],
        unqualified=total["unqualified"],
        stalled=total["stalled"],
        tactics_overdue=total["overdue"],
        plans=dict(plans),
        oldest=min(stamps, default=None),
        newest=max(stamps, default=None),
        by_tier=[
            (name, bands)
            for (rank, name), bands in sorted(
                tiers.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0)
            )
        ],
    )


def movers(*, accounts: QuerySet[Account], limit: int = 8) -> list:
    """The accounts whose health moved most in MOVED_DAYS (either way), as their latest
    snapshots say (health_change_30d, worked out by the snapshot job)."""
    change = "latest_snapshot__health_change_30d"
    return list(
        accounts.filter(**{f"{change}__isnull": False})
        .exclude(**{change: 0})
        .annotate(health_change=F(change))
        .order_by(Abs(change).desc(), "name")[:limit]
    )


# --- Portfolio (the dashboard job) ----------------------------------------------------------


def portfolio_snapshot_refresh(*, day: date | None = None) -> PortfolioSnapshot:
    """Aggregate every non-archived account's latest snapshot by tier — accounts, revenue,
    health bands and mean, RPI, pipeline — and how many meet their tier's servicing
    requirements, with the revenue retention and the renewals at stake by tier; stored
    for the day (recomputing
    overwrites it). A fixed number of queries: the aggregates, the tiers, the teams'
    roles and the plans."""
    day = day or timezone.localdate()
    accounts = Account.objects.filter(archived=False)
    s = "latest_snapshot__"
    rows = {
        row["tier_assignment__tier_id"]: row
        for row in accounts.order_by()
        .values("tier_assignment__tier_id")
        .annotate(
            accounts=Count("pk"),
            revenue=Sum("annual_revenue"),
            **health_aggregates(),
            pipeline=Sum(f"{s}pipeline_open_value"),
            weighted=Sum(f"{s}pipeline_weighted"),
            computed=Min(f"{s}computed_at"),
        )
    }
    tiers = list(Tier.objects.order_by("rank"))
    # Servicing requirements: how many of each tier's accounts meet them all.
    with_requirements = [
        t
        for t in tiers
        if t.required_team_roles
        or t.plan_required
        or t.external_review_days
        or t.internal_review_days
    ]
    meeting = defaultdict(int)
    if with_requirements:
        required = accounts.filter(tier_assignment__tier__in=with_requirements)
        verdicts = servicing_verdicts(account_ids=required.values_list("pk", flat=True), on=day)
        for verdict in verdicts.values():
            if verdict.meets:
                meeting[verdict.tier.pk] += 1

    def entry(key, name, rank, row, tier=None):
        n = row.get("accounts", 0) if row else 0
        bands = {band: (row or {}).get(band, 0) for band in BANDS}
        bands["none"] = n - sum(bands.values())
        return {
            "id": key,
            "name": name,
            "rank": rank,
            "accounts": n,
            "revenue": float((row or {}).get("revenue") or 0),
            "bands": bands,
            "health_mean": _round((row or {}).get("health")),
            "rpi_mean": _round((row or {}).get("rpi")),
            "pipeline_open": float((row or {}).get("pipeline") or 0),
            "pipeline_weighted": float((row or {}).get("weighted") or 0),
            "requirements": bool(tier and tier in with_requirements),
            "meeting_requirements": meeting.get(key, 0),
        }

    entries = [entry(t.pk, t.name, t.rank, rows.get(t.pk), t) for t in tiers]
    if rows.get(None):
        entries.append(entry(None, "Not yet tiered", None, rows[None]))
    total_row = {
        "accounts": sum(r["accounts"] for r in rows.values()),
        "revenue": sum((r["revenue"] or 0) for r in rows.values()),
        "pipeline": sum((r["pipeline"] or 0) for r in rows.values()),
        "weighted": sum((r["weighted"] or 0) for r in rows.values()),
        **{band: sum(r[band] for r in rows.values()) for band in BANDS},
    }
    measured = sum(r["accounts"] for r in rows.values() if r["health"] is not None)
    total_row["health"] = (
        sum(r["health"] * r["accounts"] for r in rows.values() if r["health"] is not None)
        / measured
        if measured
        else None
    )
    total_row["rpi"] = None
    computed = [r["computed"] for r in rows.values() if r["computed"]]
    data = {
        "tiers": entries,
        "total": entry("total", "All accounts", None, total_row),
        "snapshots_from": min(computed).isoformat() if computed else None,
        # Net and gross revenue retention by tier, from the monthly revenue history.
        "retention": retention_by_tier(today=day),
        # The value at stake in the renewals of the next 90 days, by tier.
        "renewals": renewals_data(accounts=accounts, today=day),
    }
    snapshot, _ = PortfolioSnapshot.objects.update_or_create(
        date=day, defaults={"data": data, "computed_at": timezone.now()}
    )
    return snapshot


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def portfolio_latest() -> PortfolioSnapshot | None:
    """The newest portfolio aggregates the dashboard job stored."""
    return PortfolioSnapshot.objects.order_by("-date").first()


def portfolio_trend(*, days: int = TREND_DAYS) -> list[PortfolioSnapshot]:
    since = timezone.localdate() - timedelta(days=days)
    return list(PortfolioSnapshot.objects.filter(date__gte=since).order_by("date"))
