"""Whether each account meets its tier's servicing model (DESIGN §3, §12): worked out
here, once, for many accounts at once, and read by the accounts list, the Tier tab, the
Overview, the dashboards, the packs and the alert rules, so they cannot disagree.

The rule itself is pure (segmentation.compliance); this module gathers its facts: the
tier, the roles on the team, this fiscal year's plan and the reviews past due. A fixed
number of queries whatever the number of accounts (at most eight).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from accounts_app.models import TeamMember
from core.periods import fiscal_year
from plans.models import Plan
from plans.reviews import overdue_kinds
from plans.selectors import current_plans
from segmentation.compliance import Requirement, gaps, servicing_requirements
from segmentation.models import Tier, TierAssignment


@dataclass(frozen=True)
class ServicingVerdict:
    """An account's tier (None until a run or an override places it) and each of its
    servicing requirements, met or not."""

    assignment: TierAssignment | None
    requirements: list[Requirement]

    @property
    def tier(self):
        return self.assignment.tier if self.assignment else None

    @property
    def gaps(self) -> list[str]:
        return gaps(self.requirements)

    def requirement(self, key: str) -> Requirement | None:
        return next((r for r in self.requirements if r.key == key), None)


NOT_TIERED = ServicingVerdict(assignment=None, requirements=[])


def servicing_verdicts(
    *, account_ids: Iterable[int], on: date | None = None
) -> dict[int, ServicingVerdict]:
    """{account id: its verdict} for each of `account_ids` (the plan checked is the one
    of the fiscal year of `on`, default today)."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    # The few tiers once, shared by the thousands of assignments (not a join per row);
    # the criteria scores are not part of the verdict.
    tiers_by_id = {tier.pk: tier for tier in Tier.objects.all()}
    assignments = {}
    for assignment in (
        TierAssignment.objects.filter(account_id__any_of=ids)
        .select_related("pinned_by")
        .defer("scores")
    ):
        assignment.tier = tiers_by_id[assignment.tier_id]
        assignments[assignment.account_id] = assignment
    tiers = {pk: a.tier for pk, a in assignments.items()}
    with_roles = [pk for pk, tier in tiers.items() if tier.required_team_roles]
    with_plan = [pk for pk, tier in tiers.items() if tier.plan_required]
    with_reviews = [
        pk for pk, tier in tiers.items() if tier.external_review_days or tier.internal_review_days
    ]
    roles = defaultdict(set)
    if with_roles:
        for account_id, role in TeamMember.objects.filter(
            account_id__any_of=with_roles
        ).values_list("account_id", "role"):
            roles[account_id].add(role)
    plans = (
        dict(current_plans(accounts=with_plan, on=on).values_list("account_id", "status"))
        if with_plan
        else {}
    )
    overdue = overdue_kinds(with_reviews) if with_reviews else {}
    year = fiscal_year(on)
    verdicts = {}
    for pk in ids:
        assignment = assignments.get(pk)
        if assignment is None:
            verdicts[pk] = NOT_TIERED
            continue
        status = plans.get(pk)
        verdicts[pk] = ServicingVerdict(
            assignment=assignment,
            requirements=servicing_requirements(
                tier=assignment.tier,
                team_roles=roles[pk],
                plan_status=status,
                plan_approved=status == Plan.Status.APPROVED,
                plan_year=year,
                overdue_reviews=overdue.get(pk, set()),
            ),
        )
    return verdicts


def servicing_gaps_for(*, account_ids: Iterable[int]) -> dict[int, list[str] | None]:
    """{account id: what its tier requires and it lacks} — empty when it meets every
    requirement, None when it is not tiered."""
    return {
        pk: (verdict.gaps if verdict.assignment else None)
        for pk, verdict in servicing_verdicts(account_ids=account_ids).items()
    }


def account_servicing(*, account) -> ServicingVerdict:
    """One account's verdict (the Tier tab, the Overview, the pack)."""
    return servicing_verdicts(account_ids=[account.pk])[account.pk]


def mark_servicing_gaps(*, accounts) -> None:
    """Set `servicing_gaps` on each of `accounts` (a page of a list): what its tier
    requires and it lacks, None when it is not tiered."""
    found = servicing_gaps_for(account_ids=[account.pk for account in accounts])
    for account in accounts:
        account.servicing_gaps = found[account.pk]
