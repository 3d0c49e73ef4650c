"""The kinds about the pipeline and the contracts: an open opportunity stalled in its
stage; a contract ending soon without a qualified renewal; a notice deadline near."""

from datetime import timedelta

from django.utils import timezone

from core.money import amount
from opportunities.models import Contract, Opportunity, Stage
from opportunities.selectors import renewal_secured
from scorecards.alerts.kinds import Finding

from .params import days_param


def opportunity_stalled(rule, ids, now) -> list[Finding]:
    days = days_param(rule)
    findings = []
    for opportunity in Opportunity.objects.filter(
        account_id__any_of=ids,
        stage__outcome=Stage.Outcome.OPEN,
        archived=False,
        stage_changed_at__lte=now - timedelta(days=days),
    ).select_related("stage"):
        in_stage = (now - opportunity.stage_changed_at).days
        findings.append(
            Finding(
                opportunity.account_id,
                f"opportunity:{opportunity.pk}",
                opportunity.name[:200],
                f"“{opportunity.name}” ({amount(opportunity.value)}) has been in "
                f"{opportunity.stage.name} for {in_stage} days without moving.",
                {"days_in_stage": in_stage, "value": float(opportunity.value)},
            )
        )
    return findings


def _ending(ids, now, days: int):
    today = timezone.localdate(now)
    return today, Contract.objects.filter(
        account_id__any_of=ids, status=Contract.Status.ACTIVE, end_date__gte=today
    ).filter(end_date__lte=today + timedelta(days=days))


def renewal_unqualified(rule, ids, now) -> list[Finding]:
    """An active contract ending within the rule's days whose renewal opportunity is
    missing, lost, archived or not qualified; resolves when it qualifies (or is won)."""
    today, contracts = _ending(ids, now, days_param(rule))
    qualified = Opportunity.objects.filter(renewal_secured())
    findings = []
    for contract in contracts.exclude(renewal_opportunity__in=qualified).select_related(
        "renewal_opportunity__stage"
    ):
        left = (contract.end_date - today).days
        renewal = contract.renewal_opportunity
        if renewal is None:
            state = "no renewal opportunity is open"
        elif renewal.stage.outcome == Stage.Outcome.LOST:
            state = "its renewal opportunity is lost"
        else:
            state = "its renewal opportunity is not qualified yet"
        findings.append(
            Finding(
                contract.account_id,
                f"contract:{contract.pk}",
                contract.name[:200],
                f"“{contract.name}” ({amount(contract.annual_value)} a year) ends in {left} "
                f"days and {state}.",
                {"days_left": left, "annual_value": float(contract.annual_value)},
            )
        )
    return findings


def notice_deadline(rule, ids, now) -> list[Finding]:
    """The last day to give notice on an active contract is within the rule's days (not
    past): renegotiate, cancel or let it renew on purpose."""
    days = days_param(rule)
    today = timezone.localdate(now)
    findings = []
    for contract in Contract.objects.filter(
        account_id__any_of=ids, status=Contract.Status.ACTIVE, end_date__gte=today
    ):
        left = (contract.notice_by - today).days
        if not 0 <= left <= days:
            continue
        renews = "renews by itself" if contract.auto_renew else "ends"
        findings.append(
            Finding(
                contract.account_id,
                f"notice:{contract.pk}",
                contract.name[:200],
                f"Notice on “{contract.name}” must be given by {_day(contract.notice_by)} "
                f"({left} days); after that it {renews} on {_day(contract.end_date)}.",
                {"days_left": left},
            )
        )
    return findings


def _day(day) -> str:
    return f"{day.day} {day:%b %Y}"
