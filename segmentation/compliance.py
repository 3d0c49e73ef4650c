"""Servicing compliance (DESIGN §3, servicing model): what an account's tier requires
and whether the account meets it. Pure: it reads a tier and plain facts about the
account, gathered for many accounts at once by insights.servicing — the one place the
verdict is worked out for the accounts list, the Tier tab, the dashboards and the alerts.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from accounts_app.models import TeamMember

ROLE_LABELS = dict(TeamMember.Role.choices)  # read once: the verdict runs for thousands


@dataclass(frozen=True)
class Requirement:
    """One thing the tier requires, and whether the account meets it.

    `met` is None when Strata cannot check it. `missing` says what is wrong when it is
    not met; `facts` carries the numbers behind it (the alerts quote them)."""

    key: str
    label: str
    met: bool | None
    missing: str = ""
    facts: dict = field(default_factory=dict, compare=False)


def servicing_requirements(
    *,
    tier,
    team_roles: Iterable[str],
    plan_status: str | None = None,
    plan_approved: bool = False,
    plan_year: int | None = None,
    overdue_reviews: Iterable[str] | None = None,
) -> list[Requirement]:
    """Each requirement of `tier`'s servicing model for an account whose team holds
    `team_roles`, whose plan for fiscal year `plan_year` has `plan_status` (None: no
    plan) and is approved or not, and whose reviews of the kinds in `overdue_reviews`
    ("external", "internal") are past their due date; `overdue_reviews=None` leaves the
    review cadences unchecked (met=None).

    A tier that requires a plan requires an approved one: a draft, submitted or sent
    back plan does not meet it."""
    if tier is None:
        return []
    roles = set(team_roles)
    labels = ROLE_LABELS
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
        year = f"FY{plan_year}" if plan_year else "this fiscal year"
        if plan_status is None:
            missing = f"No account plan for {year}"
        else:
            missing = f"The {year} plan is {plan_status.replace('_', ' ')}, not approved"
        requirements.append(
            Requirement(
                key="plan",
                label=f"An approved account plan for {year}",
                met=plan_status is not None and plan_approved,
                missing=missing,
                facts={"status": plan_status, "year": plan_year},
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


def gaps(requirements: Iterable[Requirement]) -> list[str]:
    """What the account is missing, as short messages; empty when nothing checkable is."""
    return [r.missing for r in requirements if r.met is False]
