"""Renewals ahead (DESIGN §13): the active contracts of the accounts a person sees that
end within the next RENEWAL_DAYS, with where each renewal stands, for the home pages;
and the value at stake by tier — what those contracts are worth a year, and how much of
it no won or qualified renewal secures yet — for the home pages and the dashboards.

Read at request time for a person's own accounts and a manager's dashboard (a renewal's
window moves every day and a qualification changes at any hour); for the whole
portfolio, stored by the dashboard job with the other portfolio aggregates (hourly), as
renewals_data(). Each read is a fixed number of queries over the (status, end_date)
index, whatever the number of contracts."""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from accounts_app.models import Account
from opportunities.models import Contract, Opportunity
from opportunities.selectors import renewal_secured, renewal_state

RENEWAL_DAYS = 90
SHOWN = 10


@dataclass
class Renewal:
    contract: Contract
    days_left: int
    notice_by: date
    notice_days_left: int  # negative once the notice date has passed
    state: str  # renewal_state(): not_open, lost, won, qualified, unqualified

    @property
    def notice_passed(self) -> bool:
        return self.notice_days_left < 0

    @property
    def secured(self) -> bool:
        return self.state in ("won", "qualified")


@dataclass
class RenewalsAhead:
    """Up to SHOWN renewals, the soonest first, and the whole window's count and value."""

    items: list[Renewal] = field(default_factory=list)
    total: int = 0
    value: Decimal = Decimal(0)
    unsecured_value: Decimal = Decimal(0)
    days: int = RENEWAL_DAYS

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def _ending(accounts: QuerySet[Account], today: date, days: int) -> QuerySet[Contract]:
    return Contract.objects.filter(
        account__in=accounts.filter(archived=False).values("pk"),
        status=Contract.Status.ACTIVE,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=days),
    )


def _secured_filter() -> Q:
    return Q(renewal_opportunity__in=Opportunity.objects.filter(renewal_secured()))


def renewals_ahead(
    *, accounts: QuerySet[Account], today: date, days: int = RENEWAL_DAYS
) -> RenewalsAhead:
    """The renewals of `accounts` in the next `days`: two queries."""
    contracts = _ending(accounts, today, days)
    totals = contracts.order_by().aggregate(
        n=Count("pk"),
        value=Sum("annual_value"),
        secured=Sum("annual_value", filter=_secured_filter()),
    )
    shown = contracts.select_related("account", "renewal_opportunity__stage").order_by(
        "end_date", "account__name", "pk"
    )[:SHOWN]
    value = totals["value"] or Decimal(0)
    return RenewalsAhead(
        items=[
            Renewal(
                contract=contract,
                days_left=(contract.end_date - today).days,
                notice_by=contract.notice_by,
                notice_days_left=(contract.notice_by - today).days,
                state=renewal_state(contract.renewal_opportunity),
            )
            for contract in shown
        ],
        total=totals["n"],
        value=value,
        unsecured_value=value - (totals["secured"] or 0),
        days=days,
    )


@dataclass
class TierAtStake:
    name: str
    rank: int | None
    contracts: int
    value: Decimal
    unsecured_value: Decimal
    unsecured: int


def renewals_by_tier(
    *, accounts: QuerySet[Account], today: date, days: int = RENEWAL_DAYS
) -> tuple[list[TierAtStake], TierAtStake]:
    """The value at stake in the next `days` by tier (the top tier first, the untiered
    last) and in all: one query."""
    secured = _secured_filter()
    rows = (
        _ending(accounts, today, days)
        .order_by()
        .values("account__tier_assignment__tier__name", "account__tier_assignment__tier__rank")
        .annotate(
            n=Count("pk"),
            value=Sum("annual_value"),
            secured=Sum("annual_value", filter=secured),
            secured_n=Count("pk", filter=secured),
        )
    )
    tiers = [
        TierAtStake(
            name=row["account__tier_assignment__tier__name"] or "Not yet tiered",
            rank=row["account__tier_assignment__tier__rank"],
            contracts=row["n"],
            value=row["value"] or Decimal(0),
            unsecured_value=(row["value"] or 0) - (row["secured"] or 0),
            unsecured=row["n"] - row["secured_n"],
        )
        for row in rows
    ]
    tiers.sort(key=lambda tier: (tier.rank is None, tier.rank or 0))
    total = TierAtStake(
        name="All tiers",
        rank=None,
        contracts=sum(t.contracts for t in tiers),
        value=sum((t.value for t in tiers), Decimal(0)),
        unsecured_value=sum((t.unsecured_value for t in tiers), Decimal(0)),
        unsecured=sum(t.unsecured for t in tiers),
    )
    return tiers, total


def renewals_data(*, accounts: QuerySet[Account], today: date, days: int = RENEWAL_DAYS) -> dict:
    """renewals_by_tier() as JSON for the portfolio snapshot (money as floats)."""
    tiers, total = renewals_by_tier(accounts=accounts, today=today, days=days)

    def plain(tier: TierAtStake) -> dict:
        row = asdict(tier)
        return row | {key: float(row[key]) for key in ("value", "unsecured_value")}

    return {"days": days, "tiers": [plain(t) for t in tiers], "total": plain(total)}
