"""The servicing verdict's rule (segmentation.compliance), pure: each requirement of a
tier met and unmet, with hand-worked facts; no database."""

from datetime import date
from types import SimpleNamespace

from segmentation.compliance import (
    FIX_PLAN,
    FIX_PLAN_START,
    FIX_REVIEWS,
    FIX_TEAM,
    ReviewFacts,
    servicing_requirements,
)

TODAY = date(2026, 5, 20)


def tier(*, roles=(), plan=False, external=None, internal=None):
    return SimpleNamespace(
        required_team_roles=list(roles),
        plan_required=plan,
        external_review_days=external,
        internal_review_days=internal,
    )


def verdict(tier_, **facts):
    facts.setdefault("team_roles", ())
    facts.setdefault("plan_year", 2026)
    return {r.key: r for r in servicing_requirements(tier=tier_, today=TODAY, **facts)}


def test_an_account_without_a_tier_has_no_requirement():
    assert servicing_requirements(tier=None, team_roles=(), plan_year=2026, today=TODAY) == []


def test_a_tier_that_sets_nothing_requires_nothing():
    assert verdict(tier()) == {}


def test_a_required_role_is_met_by_a_team_member_holding_it():
    required = tier(roles=["executive_sponsor", "finance"])
    found = verdict(required, team_roles=["owner", "executive_sponsor"])
    sponsor, finance = found["role:executive_sponsor"], found["role:finance"]
    assert sponsor.met and sponsor.label == "A team member in the executive sponsor role"
    assert str(sponsor) == "on the team"
    assert not finance.met
    assert finance.missing == "No team member in the finance role"
    assert (finance.fix, finance.fix_label) == (FIX_TEAM, "Add a team member in the finance role")


def test_no_plan_for_the_year_is_unmet_and_fixed_by_starting_one():
    plan = verdict(tier(plan=True), plan_status=None)["plan"]
    assert not plan.met
    assert plan.label == "An approved account plan for FY2026"
    assert plan.missing == "No account plan for FY2026"
    assert (plan.fix, plan.fix_label) == (FIX_PLAN_START, "Start the FY2026 plan")
    assert plan.facts == {"status": None, "year": 2026, "plan_id": None}


def test_a_plan_not_approved_is_unmet_and_says_the_next_step():
    for status, step in (
        ("draft", "Finish and submit the FY2026 plan"),
        ("changes_requested", "Revise and resubmit the FY2026 plan"),
        ("submitted", "Review the submitted FY2026 plan"),
    ):
        plan = verdict(tier(plan=True), plan_status=status, plan_id=7)["plan"]
        assert not plan.met, status
        assert plan.missing == f"The FY2026 plan is {status.replace('_', ' ')}, not approved"
        assert (plan.fix, plan.fix_label, plan.facts["plan_id"]) == (FIX_PLAN, step, 7)


def test_the_approved_plan_of_the_year_meets_it():
    plan = verdict(tier(plan=True), plan_status="approved", plan_approved=True, plan_id=7)["plan"]
    assert plan.met and str(plan) == "approved"


def test_a_plan_is_not_required_unless_the_tier_says_so():
    assert "plan" not in verdict(tier(external=90), plan_status=None)


def test_a_review_is_met_until_the_day_after_it_falls_due():
    """Last held 1 Feb, every 90 days: due 2 May. Judged on 20 May it is 18 days late;
    due on the day judged (20 May) it is not late yet."""
    required = tier(external=90, internal=30)
    found = verdict(
        required,
        reviews={
            "external": ReviewFacts(due=date(2026, 5, 2), last_held=date(2026, 2, 1)),
            "internal": ReviewFacts(due=TODAY),
        },
    )
    external, internal = found["review:external"], found["review:internal"]
    assert not external.met
    assert external.label == "An external business review at least every 90 days"
    assert external.missing == "External business review overdue (due 2 May 2026)"
    assert (external.fix, external.fix_label) == (
        FIX_REVIEWS,
        "Record or schedule an external review",
    )
    assert external.facts["days_overdue"] == 18
    assert external.facts["last_held"] == date(2026, 2, 1)
    assert internal.met and str(internal) == "next due 20 May 2026"
    assert internal.facts["days_overdue"] == 0


def test_a_review_due_tomorrow_is_met_and_one_due_yesterday_is_not():
    required = tier(internal=30)
    tomorrow = verdict(required, reviews={"internal": ReviewFacts(due=date(2026, 5, 21))})
    yesterday = verdict(required, reviews={"internal": ReviewFacts(due=date(2026, 5, 19))})
    assert tomorrow["review:internal"].met
    assert not yesterday["review:internal"].met
    assert yesterday["review:internal"].facts["days_overdue"] == 1


def test_only_the_cadences_the_tier_sets_are_required():
    found = verdict(tier(internal=30), reviews={"external": ReviewFacts(due=date(2026, 1, 1))})
    assert list(found) == ["review:internal"]
    assert found["review:internal"].met  # no due date given: nothing due


def test_requirements_come_in_the_tiers_order_roles_plan_reviews():
    required = tier(roles=["sales", "executive_sponsor"], plan=True, external=90, internal=30)
    assert list(verdict(required)) == [
        "role:sales",
        "role:executive_sponsor",
        "plan",
        "review:external",
        "review:internal",
    ]
