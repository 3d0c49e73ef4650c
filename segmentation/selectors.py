"""Reads of segmentation for one account: its tier, score breakdown, RPI target and
history (whether it meets its tier's servicing model is insights.servicing's). The
account itself is always loaded through accounts_app.selectors.account_get_for_user,
which applies the permission rules."""

from dataclasses import dataclass

from accounts_app.models import Account, User

from .models import Criterion, Tier, TierAssignment, TierChange


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
