"""Reads for the portfolio view: the accounts a user may see, counted per tier in SQL."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from accounts_app.models import Account, User

from .models import Tier


@dataclass(frozen=True)
class TierRow:
    tier: Tier | None  # None: the accounts no run has placed yet
    accounts: int
    revenue: Decimal
    pinned: int
    accounts_pct: Decimal | None
    revenue_pct: Decimal | None  # None when the total revenue is 0

    @property
    def list_filter(self) -> str:
        """The accounts list's `tier` parameter for this row's accounts."""
        return "none" if self.tier is None else str(self.tier.pk)


@dataclass(frozen=True)
class PortfolioSummary:
    rows: list[TierRow]
    accounts: int
    revenue: Decimal
    pinned: int


def portfolio_accounts(*, user: User) -> QuerySet[Account]:
    """The accounts the portfolio counts: those the user may see, archived ones left out."""
    return Account.objects.visible_to(user).filter(archived=False)


def portfolio_summary(*, user: User) -> PortfolioSummary:
    """One row per tier in rank order (empty tiers included), then the accounts not yet
    tiered if there are any: two queries, however many accounts."""
    grouped = (
        portfolio_accounts(user=user)
        .order_by()  # the model's default ordering would join the GROUP BY
        .values("tier_assignment__tier_id")
        .annotate(
            accounts=Count("pk"),
            revenue=Sum("annual_revenue"),
            pinned=Count("pk", filter=Q(tier_assignment__pinned=True)),
        )
    )
    by_tier = {row["tier_assignment__tier_id"]: row for row in grouped}
    total_accounts = sum(row["accounts"] for row in by_tier.values())
    total_revenue = sum((row["revenue"] or Decimal("0") for row in by_tier.values()), Decimal("0"))

    def row_for(tier: Tier | None) -> TierRow:
        figures = by_tier.get(tier.pk if tier else None, {})
        accounts = figures.get("accounts", 0)
        revenue = figures.get("revenue") or Decimal("0")
        return TierRow(
            tier=tier,
            accounts=accounts,
            revenue=revenue,
            pinned=figures.get("pinned", 0),
            accounts_pct=_pct(Decimal(accounts), Decimal(total_accounts)),
            revenue_pct=_pct(revenue, total_revenue),
        )

    rows = [row_for(tier) for tier in Tier.objects.order_by("rank")]
    if None in by_tier:
        rows.append(row_for(None))
    return PortfolioSummary(
        rows=rows,
        accounts=total_accounts,
        revenue=total_revenue,
        pinned=sum(row.pinned for row in rows),
    )


def portfolio_revenues(*, user: User) -> list[Decimal]:
    """Every counted account's revenue, largest first, for the Pareto curve (one query)."""
    return list(
        portfolio_accounts(user=user)
        .order_by("-annual_revenue")
        .values_list("annual_revenue", flat=True)
    )


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return part * 100 / whole if whole else None
