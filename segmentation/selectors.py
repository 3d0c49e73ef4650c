"""Reads of segmentation for one account: its tier, score breakdown, servicing
compliance and history. The account itself is always loaded through
accounts_app.selectors.account_get_for_user, which applies the permission rules."""

from dataclasses import dataclass

from accounts_app.models import Account, TeamMember, User

from .compliance import Requirement, servicing_requirements
from .models import Criterion, TierAssignment, TierChange


def can_override_tier(*, user: User, account: Account) -> bool:
    """Admins, and managers for the accounts they may coach (DESIGN §1: the accounts a
    manager may see are the ones they are on or a report of theirs is on). `account`
    must have been loaded for `user` through account_get_for_user."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_admin_role or user.role == User.Role.MANAGER


def account_team_roles(*, account: Account) -> set[str]:
    return set(TeamMember.objects.filter(account=account).values_list("role", flat=True))


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


@dataclass(frozen=True)
class TierPanel:
    assignment: TierAssignment | None
    requirements: list[Requirement]

    @property
    def tier(self):
        return self.assignment.tier if self.assignment else None

    @property
    def gaps(self) -> list[str]:
        return [r.missing for r in self.requirements if r.met is False]


def account_tier_panel(*, account: Account) -> TierPanel:
    assignment = (
        TierAssignment.objects.select_related("tier", "pinned_by").filter(account=account).first()
    )
    tier = assignment.tier if assignment else None
    return TierPanel(
        assignment=assignment,
        requirements=servicing_requirements(
            tier=tier,
            team_roles=account_team_roles(account=account) if tier else (),
            has_plan=bool(tier and tier.plan_required and account_has_plan(account=account)),
            overdue_reviews=_overdue_reviews(account) if tier else None,
        ),
    )


def _overdue_reviews(account: Account) -> set[str]:
    from plans.reviews import overdue_kinds

    return overdue_kinds([account.pk]).get(account.pk, set())


def account_has_plan(*, account: Account) -> bool:
    """Whether the account has a plan for the current fiscal year (any status)."""
    from plans.selectors import current_plan

    return current_plan(account=account) is not None


def account_tier_history(*, account: Account):
    # Not the run itself: its change list can hold 10,000 entries; the page shows run_id.
    return TierChange.objects.filter(account=account).select_related("from_tier", "to_tier", "by")
