"""What each role should look at today (DESIGN §12), read for the home page at `/`.

- A team member: their overdue and due-soon tactics and review action items, the
  reviews due on their accounts, the alerts on their accounts grouped by account, the
  plans they have to write or submit, and the renewals of the next 90 days.
- A manager: the plans waiting for them, their team's accounts off their servicing
  model, the team's alerts by account and renewals (and their own work, if they hold
  any).
- An executive (and an admin): the portfolio's headline, the top tier's accounts at
  risk, and the value at stake in renewals by tier.

Each part is a fixed number of queries, limited to what a page shows, whatever the
number of accounts (DESIGN §9)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User
from plans.models import Plan, ReviewActionItem, Tactic
from plans.reviews import reviews_due_for
from plans.selectors import can_coach_plan, current_plans
from scorecards.models import Alert, Severity
from segmentation.models import Tier

from .dashboards import dashboard_accounts, portfolio_latest
from .renewals import renewals_ahead
from .servicing import servicing_verdicts

SOON_DAYS = 14  # "due soon": within two weeks
REVIEW_AHEAD_DAYS = 30
SHOWN = 10  # items of each list on the page; the rest are counted


@dataclass
class Listing:
    """Up to SHOWN items of a list, and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass
class ByAccount(Listing):
    """Items of a few accounts (one or more each), `total` counting the accounts."""

    @property
    def more(self) -> int:
        return max(self.total - len({item.account.pk for item in self.items}), 0)


def _listing(queryset, limit: int = SHOWN) -> Listing:
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return Listing(items=items, total=len(items))
    return Listing(items=items[:limit], total=queryset.count())


def my_accounts(*, user: User) -> QuerySet[Account]:
    """The live accounts whose team `user` is on (owners are on their team)."""
    return Account.objects.filter(
        archived=False,
        pk__in=TeamMember.objects.filter(user=user).values("account_id"),
    )


# --- A team member's work --------------------------------------------------------------


def my_tactics(*, user: User, today: date) -> Listing:
    """Open tactics `user` owns, of live plan items of accounts they may see, overdue or
    due within SOON_DAYS; the most overdue first."""
    tactics = (
        Tactic.objects.visible_to(user)
        .filter(
            owner=user,
            status__in=Tactic.OPEN_STATUSES,
            due_date__lte=today + timedelta(days=SOON_DAYS),
            deleted_at__isnull=True,
            strategy__deleted_at__isnull=True,
            strategy__goal__deleted_at__isnull=True,
            strategy__goal__plan__account__archived=False,
        )
        .select_related("strategy__goal__plan__account")
        .order_by("due_date", "pk")
    )
    return _listing(tactics)


def my_actions(*, user: User, today: date) -> Listing:
    """Review action items `user` owns, not done, overdue or due within SOON_DAYS (those
    made tactics are followed on the plan)."""
    actions = (
        ReviewActionItem.objects.visible_to(user)
        .filter(
            owner=user,
            done=False,
            tactic__isnull=True,
            due_date__lte=today + timedelta(days=SOON_DAYS),
            review__account__archived=False,
        )
        .select_related("review__account")
        .order_by("due_date", "pk")
    )
    return _listing(actions)


@dataclass
class ReviewDueRow:
    account: Account
    kind: str
    due: date
    overdue: bool


def reviews_due(*, accounts: QuerySet[Account], today: date) -> ByAccount:
    """The reviews the tiers of `accounts` call for, overdue or due within
    REVIEW_AHEAD_DAYS, the most overdue first; `total` counts the accounts.

    Found from the next review each account's snapshot keeps (the first of either kind,
    recomputed on every change that moves it, and nightly): the SHOWN accounts due
    first hold the SHOWN reviews due first, and only theirs are worked out again, both
    kinds, as the page loads — not a manager's thousand accounts on every visit."""
    horizon = today + timedelta(days=REVIEW_AHEAD_DAYS)
    due = accounts.filter(latest_snapshot__next_review_due__lte=horizon)
    # Every id at once, soonest first (a few thousand integers at most): counted here.
    first = list(
        due.order_by("latest_snapshot__next_review_due", "pk").values_list("pk", flat=True)
    )
    total = len(first)
    rows = sorted(
        (row for row in reviews_due_for(first[:SHOWN]) if row.due <= horizon),
        key=lambda row: (row.due, row.account_id),
    )[:SHOWN]
    names = Account.objects.in_bulk([row.account_id for row in rows])
    return ByAccount(
        items=[
            ReviewDueRow(
                account=names[row.account_id],
                kind=row.kind,
                due=row.due,
                overdue=row.due < today,
            )
            for row in rows
        ],
        total=total,
    )


def plans_to_write(*, user: User, today: date) -> Listing:
    """The accounts `user` owns whose plan for this fiscal year is a draft or was sent
    back, or is missing where the tier requires one."""
    owned = Account.objects.filter(owner=user, archived=False)
    plans = {plan.account_id: plan for plan in current_plans(accounts=owned, on=today).order_by()}
    rows = []
    for account in owned.select_related("tier_assignment__tier").order_by("name"):
        plan = plans.get(account.pk)
        tier = getattr(getattr(account, "tier_assignment", None), "tier", None)
        if plan is None and tier is not None and tier.plan_required:
            rows.append({"account": account, "plan": None})
        elif plan is not None and plan.status in (
            Plan.Status.DRAFT,
            Plan.Status.CHANGES_REQUESTED,
        ):
            rows.append({"account": account, "plan": plan})
    return Listing(items=rows[:SHOWN], total=len(rows))


# --- Alerts by account -----------------------------------------------------------------


def alerts_by_account(*, accounts: QuerySet[Account], today: date) -> Listing:
    """Live alerts not snoozed, counted per account by severity; the accounts with the
    most severe alerts first."""
    rows = (
        Alert.objects.filter(account__in=accounts, status__in=Alert.LIVE)
        .filter(Alert.awake(today))
        .order_by()
        .values("account_id", "account__name")
        .annotate(
            n=Count("pk"),
            high=Count("pk", filter=Q(severity=Severity.HIGH)),
            medium=Count("pk", filter=Q(severity=Severity.MEDIUM)),
        )
        .order_by("-high", "-medium", "-n", "account__name")
    )
    # One row per account, a few numbers each: all read at once rather than counted again.
    rows = list(rows)
    return Listing(items=rows[:SHOWN], total=len(rows))


# --- A manager's -----------------------------------------------------------------------


def plans_waiting(*, user: User) -> Listing:
    """Submitted plans of the accounts `user` may see, when they are one who approves
    (a manager, an admin); the longest waiting first."""
    plans = (
        Plan.objects.visible_to(user)
        .filter(status=Plan.Status.SUBMITTED, account__archived=False)
        .select_related("account__owner")
        .order_by("updated_at", "pk")
    )
    if not can_coach_plan(user=user, plan=None):
        return Listing()
    return _listing(plans)


def off_servicing_model(*, accounts: QuerySet[Account], today: date) -> Listing:
    """The accounts whose tier's servicing requirements are not all met, with the
    verdict; the top tier first. Found from the verdict each account's snapshot keeps
    (recomputed on every change that moves it, and nightly), so that a manager of a
    thousand accounts does not have each one judged on every visit; the ones shown are
    judged again as the page loads, and one fixed since its snapshot is left out."""
    off = accounts.filter(latest_snapshot__servicing_gaps__gt=0)
    # Every id at once, the top tier first (a few thousand integers at most): counted
    # here; the first ones judged again.
    found = list(off.order_by("tier_assignment__tier__rank", "name").values_list("pk", flat=True))
    candidates = found[: 2 * SHOWN]
    verdicts = servicing_verdicts(account_ids=candidates, on=today)
    still = [pk for pk in candidates if verdicts[pk].meets is False]
    total = len(found)
    names = Account.objects.in_bulk(still[:SHOWN])
    return Listing(
        items=[{"account": names[pk], "verdict": verdicts[pk]} for pk in still[:SHOWN]],
        total=total - (len(candidates) - len(still)),
    )


# --- An executive's --------------------------------------------------------------------


def top_tier_at_risk(*, user: User) -> tuple[Tier | None, Listing]:
    """The accounts of the top tier in the red or amber health band, weakest first."""
    tier = Tier.objects.order_by("rank").first()
    if tier is None:
        return None, Listing()
    accounts = (
        dashboard_accounts(user=user)
        .filter(
            tier_assignment__tier=tier,
            latest_snapshot__health_band__in=("red", "amber"),
        )
        .order_by("latest_snapshot__health", "name")
    )
    return tier, _listing(accounts)


def home(*, user: User) -> dict:
    """Everything the home page shows to `user`, by their role."""
    today = timezone.localdate()
    role = user.role
    parts: dict = {"today": today, "role": role}
    if role in (User.Role.EXECUTIVE, User.Role.ADMIN):
        snapshot = portfolio_latest()
        parts["portfolio"] = snapshot.data if snapshot else None
        parts["portfolio_date"] = snapshot.date if snapshot else None
        parts["top_tier"], parts["at_risk"] = top_tier_at_risk(user=user)
        parts["renewals_at_stake"] = snapshot.data.get("renewals") if snapshot else None
        if role == User.Role.ADMIN:
            parts["plans_waiting"] = plans_waiting(user=user)
        return parts
    mine = my_accounts(user=user)
    parts["tactics"] = my_tactics(user=user, today=today)
    parts["actions"] = my_actions(user=user, today=today)
    parts["plans_to_write"] = plans_to_write(user=user, today=today)
    if role == User.Role.MANAGER:
        # A manager's own work shows when they hold some.
        if not parts["tactics"].total and not parts["actions"].total:
            parts["tactics"] = parts["actions"] = None
        if not parts["plans_to_write"].total:
            parts["plans_to_write"] = None
        team = dashboard_accounts(user=user)
        parts["plans_waiting"] = plans_waiting(user=user)
        parts["off_model"] = off_servicing_model(accounts=team, today=today)
        parts["alerts"] = alerts_by_account(accounts=team, today=today)
        parts["reviews"] = reviews_due(accounts=team, today=today)
        parts["renewals"] = renewals_ahead(accounts=team, today=today)
    else:
        parts["alerts"] = alerts_by_account(accounts=mine, today=today)
        parts["reviews"] = reviews_due(accounts=mine, today=today)
        parts["renewals"] = renewals_ahead(accounts=mine, today=today)
    return parts
