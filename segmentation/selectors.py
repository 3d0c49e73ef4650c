"""Reads of segmentation: for one account, its tier, score breakdown, RPI target and
history (whether it meets its tier's servicing model is insights.servicing's); for the
model pages (admins), the tiers with their account counts and the runs. The account
itself is always loaded through accounts_app.selectors.account_get_for_user, which
applies the permission rules."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts_app.models import Account, User

from .models import Criterion, SegmentationRun, Tier, TierAssignment, TierChange


def can_override_tier(*, user: User, account: Account) -> bool:
    """Admins, and managers for the accounts they may coach (DESIGN §1: the accounts a
    manager may see are the ones they are on or a report of theirs is on). `account`
    must have been loaded for `user` through account_get_for_user."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_admin_role or user.role == User.Role.MANAGER


@dataclass(frozen=True)
class ScoreLine:
    criterion: str
    label: str
    score: float | None
    weight: float
    share: float  # the criterion's weight as a share of all weights, 0–100
    points: float | None  # its contribution to the composite


def score_breakdown(*, assignment: TierAssignment | None) -> list[ScoreLine]:
    """Each criterion's score (as of the last run), weight and contribution to the
    composite with today's weights."""
    criteria = list(Criterion.objects.order_by("id"))
    total = sum(float(c.weight) for c in criteria) or 1.0
    scores = assignment.scores if assignment else {}
    lines = []
    for criterion in criteria:
        score = scores.get(criterion.key)
        weight = float(criterion.weight)
        lines.append(
            ScoreLine(
                criterion=criterion.key,
                label=criterion.get_key_display(),
                score=score,
                weight=weight,
                share=100 * weight / total,
                points=None if score is None else score * weight / total,
            )
        )
    return lines


def account_tier_assignment(*, account: Account) -> TierAssignment | None:
    """The account's place in a tier, None until a run or an override places it."""
    return (
        TierAssignment.objects.select_related("tier", "pinned_by").filter(account=account).first()
    )


def tier_rpi_target(*, account: Account) -> int | None:
    """The RPI target of the account's tier, if it has a tier with one."""
    return (
        Tier.objects.filter(assignments__account=account)
        .values_list("rpi_target", flat=True)
        .first()
    )


def account_tier_history(*, account: Account):
    # Not the run itself: its change list can hold 10,000 entries; the page shows run_id.
    return TierChange.objects.filter(account=account).select_related("from_tier", "to_tier", "by")


# --- The model pages (admins only) ---------------------------------------------------


def tier_get(*, tier_id) -> Tier:
    """The tier, or 404. Tiers are not secret: the pages that change them are admins'."""
    return get_object_or_404(Tier, pk=tier_id)


def tiers_with_account_counts() -> QuerySet[Tier]:
    """The tiers in rank order with their conditions and `account_count`."""
    return Tier.objects.prefetch_related("conditions").annotate(account_count=Count("assignments"))


def tiers_have_accounts() -> bool:
    """Whether any account has a tier (a run or an override placed it): the presets are
    locked then."""
    return TierAssignment.objects.exists()


def last_segmentation_run() -> SegmentationRun | None:
    return SegmentationRun.objects.first()


def segmentation_runs() -> QuerySet[SegmentationRun]:
    """The runs, newest first, without their change lists (each may list 10,000
    accounts)."""
    return SegmentationRun.objects.select_related("started_by").defer("changes")


def segmentation_run_get(*, run_id) -> SegmentationRun:
    """The run with its changes, or 404."""
    return get_object_or_404(SegmentationRun.objects.select_related("started_by"), pk=run_id)


def account_names(*, account_ids) -> dict[int, str]:
    """The names of the accounts a run's page lists (one query)."""
    return dict(Account.objects.filter(pk__in=account_ids).values_list("pk", "name"))
