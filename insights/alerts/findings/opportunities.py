"""The kind about the pipeline: an open opportunity stalled in its stage."""

from datetime import timedelta

from core.money import amount
from opportunities.models import Opportunity, Stage
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
