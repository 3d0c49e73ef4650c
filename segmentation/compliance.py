"""Servicing compliance (DESIGN §3, servicing model; §12, one servicing verdict): what an
account's tier requires, whether the account meets each requirement, and what fixes an
unmet one. Pure: it reads a tier and plain facts about the account. insights.servicing
gathers those facts for many accounts at once (the team, the plans, the reviews live
above this app) and gives each unmet requirement the URL of the page that fixes it; the
Tier tab, the Overview, the accounts list, the dashboards, the packs and the alerts all
read that one verdict.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from accounts_app.models import TeamMember

ROLE_LABELS = dict(TeamMember.Role.choices)  # read once: the verdict runs for thousands

# Where an unmet requirement is fixed (insights.servicing turns each into a URL).
FIX_TEAM = "team"  # the Team tab, adding a member
FIX_PLAN = "plan"  # the plan page
FIX_PLAN_START = "plan_start"  # starting this fiscal year's plan
FIX_REVIEWS = "reviews"  # the Reviews tab, for one kind of review

REVIEW_KINDS = (("external", "external_review_days"), ("internal", "internal_review_days"))


class ReviewFacts(NamedTuple):
    """When the next review of a kind is due (plans.reviews.due_date) and the last held."""

    due: date
    last_held: date | None = None


@dataclass(frozen=True)
class Requirement:
    """One thing the tier requires, and whether the account meets it.

    `label` names the requirement; `detail` says how it stands when met, `missing` what
    is wrong when not; `fix_label` what to do about it, on the page `fix` names (its URL,
    `fix_url`, is given by insights.servicing). `facts` carries the values behind it
    (the alerts quote them)."""

    key: str
    label: str
    met: bool
    missing: str = ""
    detail: str = ""
    fix: str = ""
    fix_label: str = ""
    fix_url: str = ""
    facts: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.detail if self.met else self.missing


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def role_requirement(*, role: str, team_roles: set[str]) -> Requirement:
    name = ROLE_LABELS.get(role, role).lower()
    return Requirement(
        key=f"role:{role}",
        label=f"A team member in the {name} role",
        met=role in team_roles,
        missing=f"No team member in the {name} role",
        detail="on the team",
        fix=FIX_TEAM,
        fix_label=f"Add a team member in the {name} role",
        facts={"role": role},
    )


# What the team does next with a plan that exists but is not approved yet.
PLAN_NEXT_STEP = {
    "draft": "Finish and submit the FY{year} plan",
    "changes_requested": "Revise and resubmit the FY{year} plan",
    "submitted": "Review the submitted FY{year} plan",
}


def plan_requirement(
    *, year: int, status: str | None, approved: bool, plan_id: int | None = None
) -> Requirement:
    """An approved plan for fiscal year `year`: a plan of that year whose status is
    `status` (None: there is none). A draft, submitted or sent back plan does not meet
    it (DESIGN §3 "plan required", §5 "required plan missing or not approved")."""
    facts = {"status": status, "year": year, "plan_id": plan_id}
    label = f"An approved account plan for FY{year}"
    if status is None:
        return Requirement(
            key="plan",
            label=label,
            met=False,
            missing=f"No account plan for FY{year}",
            fix=FIX_PLAN_START,
            fix_label=f"Start the FY{year} plan",
            facts=facts,
        )
    return Requirement(
        key="plan",
        label=label,
        met=approved,
        missing=f"The FY{year} plan is {status.replace('_', ' ')}, not approved",
        detail="approved",
        fix=FIX_PLAN,
        fix_label=PLAN_NEXT_STEP.get(status, "Open the FY{year} plan").format(year=year),
        facts=facts,
    )


def review_requirement(
    *, kind: str, cadence_days: int, review: ReviewFacts, today: date
) -> Requirement:
    """A review of `kind` at least every `cadence_days` days: met while its next one is
    not past due (due today is not late yet)."""
    late = (today - review.due).days
    return Requirement(
        key=f"review:{kind}",
        label=f"An {kind} business review at least every {cadence_days} days",
        met=late <= 0,
        missing=f"{kind.capitalize()} business review overdue (due {_day(review.due)})",
        detail=f"next due {_day(review.due)}",
        fix=FIX_REVIEWS,
        fix_label=f"Record or schedule an {kind} review",
        facts={
            "kind": kind,
            "cadence_days": cadence_days,
            "due": review.due,
            "last_held": review.last_held,
            "days_overdue": max(late, 0),
        },
    )


def servicing_requirements(
    *,
    tier,
    team_roles: Iterable[str],
    plan_year: int,
    plan_status: str | None = None,
    plan_approved: bool = False,
    plan_id: int | None = None,
    reviews: Mapping[str, ReviewFacts] | None = None,
    today: date,
) -> list[Requirement]:
    """Each requirement of `tier`'s servicing model, in the tier's order: the team roles,
    the plan, the reviews. The facts: the roles the team holds; the status of the plan
    for fiscal year `plan_year` (None: no plan) and whether it is approved; for each
    kind of review the tier has a cadence for ("external", "internal"), when the next is
    due (a kind left out has nothing due); `today` to judge the due dates by."""
    if tier is None:
        return []
    roles = set(team_roles)
    requirements = [
        role_requirement(role=role, team_roles=roles) for role in tier.required_team_roles
    ]
    if tier.plan_required:
        requirements.append(
            plan_requirement(
                year=plan_year, status=plan_status, approved=plan_approved, plan_id=plan_id
            )
        )
    reviews = reviews or {}
    for kind, cadence_field in REVIEW_KINDS:
        cadence = getattr(tier, cadence_field)
        if cadence:
            due = reviews.get(kind, ReviewFacts(due=today))
            requirements.append(
                review_requirement(kind=kind, cadence_days=cadence, review=due, today=today)
            )
    return requirements
