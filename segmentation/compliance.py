"""Servicing compliance (DESIGN §3, servicing model): what an account's tier requires
and what is missing. Pure: it reads a tier and the roles on the account's team."""

from collections.abc import Iterable
from dataclasses import dataclass

from accounts_app.models import TeamMember


@dataclass(frozen=True)
class Requirement:
    """One thing the tier requires, and whether the account meets it.

    `met` is None when Strata cannot check it yet (the data does not exist).
    """

    key: str
    label: str
    met: bool | None
    missing: str = ""


def servicing_requirements(
    *,
    tier,
    team_roles: Iterable[str],
    has_plan: bool = False,
    overdue_reviews: Iterable[str] | None = None,
) -> list[Requirement]:
    """Each requirement of `tier`'s servicing model for an account whose team holds
    `team_roles`. `overdue_reviews` names the kinds of business review ("external",
    "internal") past their due date (plans.reviews.overdue_kinds); None leaves the
    review cadences unchecked (met=None)."""
    if tier is None:
        return []
    roles = set(team_roles)
    labels = dict(TeamMember.Role.choices)
    requirements = [
        Requirement(
            key=f"role:{role}",
            label=f"{labels.get(role, role)} on the team",
            met=role in roles,
            missing=f"No {labels.get(role, role).lower()} on the team",
        )
        for role in tier.required_team_roles
    ]
    if tier.plan_required:
        requirements.append(
            Requirement(
                key="plan",
                label="An account plan for this fiscal year",
                met=has_plan,
                missing="No account plan",
            )
        )
    overdue = None if overdue_reviews is None else set(overdue_reviews)
    for kind, days, what in (
        ("external", tier.external_review_days, "External business review"),
        ("internal", tier.internal_review_days, "Internal account review"),
    ):
        if days:
            requirements.append(
                Requirement(
                    key=f"{kind}_review",
                    label=f"{what} every {days} days",
                    met=None if overdue is None else kind not in overdue,
                    missing=f"{what} overdue",
                )
            )
    return requirements


def servicing_gaps(
    *,
    tier,
    team_roles: Iterable[str],
    has_plan: bool = False,
    overdue_reviews: Iterable[str] | None = None,
) -> list[str]:
    """What the account is missing, as short messages; empty when nothing checkable is."""
    return [
        r.missing
        for r in servicing_requirements(
            tier=tier, team_roles=team_roles, has_plan=has_plan, overdue_reviews=overdue_reviews
        )
        if r.met is False
    ]
