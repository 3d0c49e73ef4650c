"""The kinds about the plan and the servicing model: a required plan missing or not
approved (the servicing verdict's plan requirement), a tactic overdue, a business
review overdue for the tier's cadence, a high risk in the register."""

from datetime import timedelta

from django.utils import timezone

from core.periods import fiscal_year, fiscal_year_start
from plans.models import Risk, Tactic
from scorecards.alerts import kinds
from scorecards.alerts.kinds import Finding
from segmentation.compliance import FIX_REVIEWS

from ...servicing import servicing_verdicts
from .params import days_param, number_param


def plan_missing(rule, ids, now) -> list[Finding]:
    """The servicing verdict's plan requirement, unmet: no plan for the fiscal year, or
    one not approved once the rule's grace into the year has passed."""
    today = timezone.localdate(now)
    year = fiscal_year(today)
    into = (today - fiscal_year_start(year)).days
    grace = days_param(rule, "grace_days")
    findings = []
    for pk, verdict in servicing_verdicts(account_ids=ids, on=today).items():
        plan = verdict.requirement("plan")
        if plan is None or plan.met:
            continue
        status = plan.facts["status"]
        if status is None:
            text = f"{verdict.tier} requires an account plan and there is none for FY{year}."
        elif into >= grace:
            text = (
                f"{verdict.tier} requires an approved plan; the FY{year} plan is "
                f"{status.replace('_', ' ')}, {into} days into the year."
            )
        else:
            continue
        findings.append(
            Finding(
                pk,
                f"plan:{year}",
                f"FY{year} plan",
                text,
                {"status": status, "days_into_year": into},
            )
        )
    return findings


def tactic_overdue(rule, ids, now) -> list[Finding]:
    days = days_param(rule)
    today = timezone.localdate(now)
    findings = []
    for tactic in Tactic.objects.filter(
        strategy__goal__plan__account_id__any_of=ids,
        status__in=Tactic.OPEN_STATUSES,
        deleted_at__isnull=True,
        strategy__deleted_at__isnull=True,
        strategy__goal__deleted_at__isnull=True,
        due_date__lte=today - timedelta(days=days),
    ).select_related("owner", "strategy__goal__plan"):
        late = (today - tactic.due_date).days
        owner = tactic.owner.name if tactic.owner else "nobody"
        findings.append(
            Finding(
                tactic.strategy.goal.plan.account_id,
                f"tactic:{tactic.pk}",
                tactic.text[:200],
                f"“{tactic.text[:120]}” was due on {tactic.due_date:%d %b %Y}, {late} days "
                f"ago, and is still {tactic.get_status_display().lower()} (owner: {owner}).",
                {"days_overdue": late, "due_date": str(tactic.due_date)},
            )
        )
    return findings


def review_overdue(rule, ids, now) -> list[Finding]:
    """The servicing verdict's review requirements, unmet for N days or more: the same
    due date as the Tier tab's, so an alert never says overdue what the tab calls met."""
    days = days_param(rule)
    today = timezone.localdate(now)
    findings = []
    for pk, verdict in servicing_verdicts(account_ids=ids, on=today).items():
        for requirement in verdict.unmet:
            facts = requirement.facts
            if requirement.fix != FIX_REVIEWS or not kinds.overdue(facts["days_overdue"], days):
                continue
            kind, due, late = facts["kind"], facts["due"], facts["days_overdue"]
            held = (
                f"the last was held on {facts['last_held']:%d %b %Y}"
                if facts["last_held"]
                else "none has been held"
            )
            findings.append(
                Finding(
                    pk,
                    requirement.key,
                    f"{kind.capitalize()} business review",
                    f"{verdict.tier} calls for an {kind} business review every "
                    f"{facts['cadence_days']} days; {held}, so one was due on {due:%d %b %Y}, "
                    f"{late} days ago.",
                    {"days_overdue": late, "due": str(due), "cadence_days": facts["cadence_days"]},
                )
            )
    return findings


def risk_high(rule, ids, now) -> list[Finding]:
    """A live risk of the register (open or mitigating) scoring the rule's minimum or
    more; it resolves when the risk is closed or scored lower."""
    least = int(number_param(rule, "min_score"))
    findings = []
    for risk in Risk.objects.filter(
        account_id__any_of=ids, status__in=Risk.LIVE, score__gte=least
    ).select_related("owner"):
        owner = f", owned by {risk.owner.name}" if risk.owner else ", owned by nobody"
        findings.append(
            Finding(
                risk.account_id,
                f"risk:{risk.pk}",
                risk.title[:200],
                f"“{risk.title}” ({risk.get_category_display().lower()}) scores {risk.score} "
                f"(likelihood {risk.likelihood} × impact {risk.impact}){owner}.",
                {"score": risk.score, "likelihood": risk.likelihood, "impact": risk.impact},
            )
        )
    return findings
