"""Whether each account meets its tier's servicing model (DESIGN §3, §12): worked out
here, once, for many accounts at once, and read by the accounts list, the Tier tab, the
Overview, the dashboards, the packs and the alert rules, so they cannot disagree. Every
page shows it through one template, insights/_servicing_verdict.html.

The rule itself is pure (segmentation.compliance); this module gathers its facts — the
tier, the roles on the team, this fiscal year's plan, when each review is next due — and
gives each unmet requirement the URL of the page that fixes it. A fixed number of
queries whatever the number of accounts (at most eight).

What counts as the plan: the account's plan for the fiscal year of the day judged
(plans.selectors.current_plans), met only once approved.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.urls import reverse
from django.utils import timezone

from accounts_app.models import TeamMember
from core.periods import fiscal_year
from plans.models import Plan
from plans.reviews import reviews_due_for
from plans.selectors import current_plans
from segmentation import compliance
from segmentation.compliance import Requirement, ReviewFacts, servicing_requirements
from segmentation.models import Tier, TierAssignment


@dataclass(frozen=True)
class ServicingVerdict:
    """An account's tier (None until a run or an override places it) and each of its
    servicing requirements, met or not."""

    account_id: int
    assignment: TierAssignment | None
    requirements: list[Requirement]

    @property
    def tier(self):
        return self.assignment.tier if self.assignment else None

    @property
    def unmet(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.met]

    @property
    def gaps(self) -> list[str]:
        """What the account lacks, one short sentence each; empty when it lacks nothing."""
        return [r.missing for r in self.unmet]

    @property
    def meets(self) -> bool | None:
        """Whether it meets every requirement of its tier; None while it has no tier."""
        return None if self.assignment is None else not self.unmet

    def requirement(self, key: str) -> Requirement | None:
        return next((r for r in self.requirements if r.key == key), None)


# Pages reversed once per verdict, then formatted per account: reverse() costs tens of
# microseconds and the portfolio's verdict covers thousands of accounts.
_MARKER = 2_000_000_011
FIX_PAGES = {
    compliance.FIX_TEAM: ("accounts:team", "#team-add"),
    compliance.FIX_PLAN: ("plans:detail", ""),
    compliance.FIX_PLAN_START: ("plans:start", ""),
    compliance.FIX_REVIEWS: ("reviews:account", "?kind={kind}#reviews-due-heading"),
}


def _fix_pages() -> dict[str, str]:
    """{fix: its URL with `{id}` for the account's (the plan's) id, `{kind}` for the review's}."""
    return {
        fix: reverse(route, args=[_MARKER]).replace(str(_MARKER), "{id}") + suffix
        for fix, (route, suffix) in FIX_PAGES.items()
    }


def _with_fix_url(requirement: Requirement, *, account_id: int, pages: dict) -> Requirement:
    facts = requirement.facts
    target = facts.get("plan_id") if requirement.fix == compliance.FIX_PLAN else account_id
    url = pages[requirement.fix].format(id=target, kind=facts.get("kind", ""))
    return replace(requirement, fix_url=url)


def servicing_verdicts(
    *, account_ids: Iterable[int], on: date | None = None, review_rows=None
) -> dict[int, ServicingVerdict]:
    """{account id: its verdict} for each of `account_ids`, as of `on` (default today):
    the plan of that day's fiscal year, the reviews due by that day. `review_rows`:
    plans.reviews.reviews_due_for() of these accounts when the caller has read them
    already (the snapshot job), so that they are not read twice."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    today = on or timezone.localdate()
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
    plans = {}
    if with_plan:
        for account_id, plan_id, status in current_plans(accounts=with_plan, on=today).values_list(
            "account_id", "pk", "status"
        ):
            plans[account_id] = (plan_id, status)
    reviews = defaultdict(dict)
    if review_rows is None:
        review_rows = reviews_due_for(with_reviews) if with_reviews else ()
    for row in review_rows:
        reviews[row.account_id][row.kind] = ReviewFacts(due=row.due, last_held=row.last_held)
    year = fiscal_year(today)
    pages = None
    verdicts = {}
    for pk in ids:
        assignment = assignments.get(pk)
        if assignment is None:
            verdicts[pk] = ServicingVerdict(account_id=pk, assignment=None, requirements=[])
            continue
        plan_id, status = plans.get(pk, (None, None))
        requirements = servicing_requirements(
            tier=assignment.tier,
            team_roles=roles[pk],
            plan_year=year,
            plan_status=status,
            plan_approved=status == Plan.Status.APPROVED,
            plan_id=plan_id,
            reviews=reviews[pk],
            today=today,
        )
        if any(not r.met for r in requirements):
            pages = pages or _fix_pages()
            requirements = [
                r if r.met else _with_fix_url(r, account_id=pk, pages=pages) for r in requirements
            ]
        verdicts[pk] = ServicingVerdict(
            account_id=pk, assignment=assignment, requirements=requirements
        )
    return verdicts


def account_servicing(*, account) -> ServicingVerdict:
    """One account's verdict (the Tier tab, the Overview, the pack)."""
    return servicing_verdicts(account_ids=[account.pk])[account.pk]


def mark_servicing(*, accounts) -> None:
    """Set `servicing` (its verdict) on each of `accounts` (a page of a list)."""
    found = servicing_verdicts(account_ids=[account.pk for account in accounts])
    for account in accounts:
        account.servicing = found[account.pk]
