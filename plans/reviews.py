"""Business reviews (DESIGN §2, plans): scheduling and recording them, their action
items (which can become tactics of the plan), and when the next one is due by the
tier's servicing cadence (DESIGN §3: external and internal review every N days).

The next review of a kind is due `cadence` days after the last one held; an account
that never held one is due `cadence` days after it entered its tier, or today if that
is unknown. No cadence (no tier, or a tier without one) means nothing is due.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from accounts_app.models import Account, Contact, TeamMember, User
from accounts_app.selectors import can_edit_account
from core.history import records_actor
from core.jobs import recompute_later
from segmentation.models import TierAssignment, TierChange

from . import services
from .models import BusinessReview, ReviewActionItem, Strategy, Tactic

KIND_CADENCE = {
    BusinessReview.Kind.EXTERNAL: "external_review_days",
    BusinessReview.Kind.INTERNAL: "internal_review_days",
}
REVIEW_FIELDS = (
    "kind",
    "title",
    "scheduled_for",
    "held_on",
    "agenda",
    "outcomes",
    "decisions",
    "customer_feedback",
)


# --- When the next review is due ------------------------------------------------------------


@dataclass
class ReviewDue:
    kind: str
    label: str
    cadence_days: int | None
    last_held: date | None
    due: date | None
    next_scheduled: date | None

    @property
    def overdue_days(self) -> int:
        if self.due is None:
            return 0
        return max(0, (timezone.localdate() - self.due).days)


def due_date(
    *, cadence_days: int | None, last_held: date | None, since: date | None
) -> date | None:
    """The day the next review is due: `cadence_days` after the last held, or after
    `since` (the day the account entered its tier) if none was held; None without a
    cadence."""
    if not cadence_days:
        return None
    start = last_held or since
    if start is None:
        return timezone.localdate()
    return start + timedelta(days=cadence_days)


def _entering(changes):
    """Tier changes that moved an account into another tier: not a pin to the tier it was
    in, nor an unpin, which leave it where it is and its reviews' clock running."""
    return changes.exclude(from_tier=F("to_tier"))


def tier_since(*, account: Account) -> date | None:
    """The day the account entered its current tier: its latest move into it (or the
    assignment's last update when no change was recorded)."""
    changed = (
        _entering(account.tier_changes.all()).order_by("-at").values_list("at", flat=True).first()
    )
    if changed is None:
        assignment = getattr(account, "tier_assignment", None)
        changed = assignment.updated_at if assignment else None
    return timezone.localdate(changed) if changed else None


def reviews_due(*, account: Account) -> list[ReviewDue]:
    """Per kind of review: the tier's cadence, the last held, when the next is due and
    the next scheduled (one query for the reviews, one for the tier's start)."""
    assignment = getattr(account, "tier_assignment", None)
    tier = assignment.tier if assignment else None
    since = tier_since(account=account) if tier else None
    today = timezone.localdate()
    rows = {
        row["kind"]: row
        for row in BusinessReview.objects.filter(account=account)
        .order_by()
        .values("kind")
        .annotate(
            last_held=Max("held_on"),
            next_scheduled=Min(
                "scheduled_for", filter=Q(held_on__isnull=True, scheduled_for__gte=today)
            ),
        )
    }
    due = []
    for kind, label in BusinessReview.Kind.choices:
        cadence = getattr(tier, KIND_CADENCE[kind]) if tier else None
        row = rows.get(kind, {})
        due.append(
            ReviewDue(
                kind=kind,
                label=label.split(" (")[0],
                cadence_days=cadence,
                last_held=row.get("last_held"),
                due=due_date(cadence_days=cadence, last_held=row.get("last_held"), since=since),
                next_scheduled=row.get("next_scheduled"),
            )
        )
    return due


@dataclass
class AccountReviewDue:
    """One kind of review an account's tier calls for, and when the next is due."""

    account_id: int
    kind: str
    tier: str
    cadence_days: int
    last_held: date | None
    due: date


def reviews_due_for(account_ids: list[int]) -> list[AccountReviewDue]:
    """For many accounts at once (four queries whatever their number): each kind of
    review their tier has a cadence for, with the last held and the due date."""
    tiers = {
        pk: (name, external, internal)
        for pk, name, external, internal in Account.objects.filter(pk__any_of=account_ids)
        .filter(
            Q(tier_assignment__tier__external_review_days__gt=0)
            | Q(tier_assignment__tier__internal_review_days__gt=0)
        )
        .values_list(
            "pk",
            "tier_assignment__tier__name",
            "tier_assignment__tier__external_review_days",
            "tier_assignment__tier__internal_review_days",
        )
    }
    if not tiers:
        return []
    ids = list(tiers)
    held = {
        (account_id, kind): last
        for account_id, kind, last in BusinessReview.objects.filter(
            account_id__any_of=ids, held_on__isnull=False
        )
        .order_by()
        .values_list("account_id", "kind")
        .annotate(last=Max("held_on"))
        .values_list("account_id", "kind", "last")
    }
    entered = dict(
        _entering(TierChange.objects.filter(account_id__any_of=ids))
        .order_by()
        .values_list("account_id")
        .annotate(at=Max("at"))
        .values_list("account_id", "at")
    )
    assigned = dict(
        TierAssignment.objects.filter(account_id__any_of=ids).values_list(
            "account_id", "updated_at"
        )
    )
    found = []
    for pk, (tier, external, internal) in tiers.items():
        since_at = entered.get(pk) or assigned.get(pk)
        since = timezone.localdate(since_at) if since_at else None
        for kind, cadence in (
            (BusinessReview.Kind.EXTERNAL.value, external),
            (BusinessReview.Kind.INTERNAL.value, internal),
        ):
            last = held.get((pk, kind))
            due = due_date(cadence_days=cadence, last_held=last, since=since)
            if due is not None:
                found.append(AccountReviewDue(pk, kind, tier, cadence, last, due))
    return found


# --- Writes ---------------------------------------------------------------------------------


def _require_edit(user: User, account: Account) -> None:
    if not can_edit_account(user=user, account=account):
        raise PermissionDenied("Only the account team records its business reviews.")


def _check(review: BusinessReview, attendees, customer_attendees) -> None:
    errors = {}
    today = timezone.localdate()
    if review.held_on and review.held_on > today:
        errors["held_on"] = (
            "A review cannot have been held in the future: leave it empty until then."
        )
    if review.held_on is None and (review.outcomes or review.decisions or review.customer_feedback):
        errors["held_on"] = "Give the day it was held to record outcomes, decisions or feedback."
    outsiders = [c for c in customer_attendees if c.account_id != review.account_id]
    if outsiders:
        errors["customer_attendees"] = "Choose contacts of this account."
    inactive = [u for u in attendees if not u.is_active]
    if inactive:
        errors["attendees"] = f"{inactive[0]} no longer uses Strata."
    if errors:
        raise ValidationError(errors)


@records_actor
@transaction.atomic
def review_save(
    *,
    account: Account,
    by: User,
    review: BusinessReview | None = None,
    attendees=(),
    customer_attendees=(),
    **data,
) -> BusinessReview:
    """Schedule a review of the account, or change one (`review`): its fields, the team
    members and customer contacts who attend."""
    _require_edit(by, account)
    unknown = set(data) - set(REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"Not business review fields: {sorted(unknown)}")
    if review is None:
        review = BusinessReview(account=account, created_by=by)
    elif review.account_id != account.pk:
        raise ValidationError("This review belongs to another account.")
    for field, value in data.items():
        setattr(review, field, value)
    if not review.title:
        kind = BusinessReview.Kind(review.kind).label.split(" (")[0]
        when = review.scheduled_for or timezone.localdate()
        review.title = f"{kind} business review, {when:%B %Y}"
    attendees, customer_attendees = list(attendees), list(customer_attendees)
    review.full_clean(exclude=["account", "created_by"])
    _check(review, attendees, customer_attendees)
    review._history_user = by
    review.save()
    review.attendees.set(attendees)
    review.customer_attendees.set(customer_attendees)
    # A review held meets the tier's cadence: alerts and the snapshot's next review follow.
    recompute_later(account.pk)
    return review


@records_actor
def review_delete(*, review: BusinessReview, by: User) -> None:
    _require_edit(by, review.account)
    account_id = review.account_id
    review.delete()
    recompute_later(account_id)


@records_actor
def action_add(
    *,
    review: BusinessReview,
    by: User,
    text: str,
    owner: User | None = None,
    due_date=None,
    agreed_with_customer: bool = True,
) -> ReviewActionItem:
    _require_edit(by, review.account)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = "Say what is to be done."
    if owner and not TeamMember.objects.filter(account=review.account, user=owner).exists():
        errors["owner"] = "The owner of an action item is on the account team."
    if errors:
        raise ValidationError(errors)
    last = review.actions.order_by("-position").values_list("position", flat=True).first()
    item = ReviewActionItem(
        review=review,
        text=text,
        owner=owner,
        due_date=due_date,
        agreed_with_customer=agreed_with_customer,
        position=(last or 0) + 1,
    )
    item.full_clean()
    item.save()
    return item


@records_actor
def action_set_done(*, item: ReviewActionItem, by: User, done: bool) -> ReviewActionItem:
    _require_edit(by, item.review.account)
    item.done = done
    item.save(update_fields=["done"])
    return item


@records_actor
def action_delete(*, item: ReviewActionItem, by: User) -> None:
    _require_edit(by, item.review.account)
    item.delete()


@records_actor
@transaction.atomic
def action_to_tactic(*, item: ReviewActionItem, by: User, strategy: Strategy) -> Tactic:
    """Make the action item a tactic under `strategy` of the account's plan (its text,
    owner and due date); the plan then tracks it."""
    account = item.review.account
    _require_edit(by, account)
    if item.tactic_id:
        raise ValidationError({"strategy": "This action item is a tactic of the plan already."})
    plan = strategy.goal.plan
    if plan.account_id != account.pk or strategy.deleted_at or strategy.goal.deleted_at:
        raise ValidationError({"strategy": "Choose a strategy of this account's plan."})
    if plan.read_only:
        raise ValidationError(
            {"strategy": f"The {plan.label} plan is approved: reopen it to add a tactic."}
        )
    tactic = services.item_create(
        model=Tactic,
        by=by,
        parent=strategy,
        text=item.text,
        owner=item.owner,
        due_date=item.due_date,
        status=Tactic.Status.DONE if item.done else Tactic.Status.OPEN,
    )
    item.tactic = tactic
    item.save(update_fields=["tactic"])
    return tactic


def contacts_of(account: Account):
    return Contact.objects.filter(account=account, archived=False).order_by("name")
