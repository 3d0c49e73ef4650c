"""The kinds about what is measured: a scorecard metric off target, a low customer
survey or a blind spot."""

from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts_app.models import Account
from core import periods
from core.money import amount, is_money_unit
from scorecards import formulas
from scorecards.alerts import kinds
from scorecards.alerts.kinds import Finding
from scorecards.models import Scorecard, ScorecardLine, SurveyAnswer, SurveyResponse

from .params import number_param


def _figure(value, unit: str) -> str:
    """A metric's figure as the alert says it: "€3,034,500" for money, else "2.00 count"."""
    if is_money_unit(unit):
        return amount(value)
    return f"{value:,} {unit}" if unit else f"{value:,}"


def metric_off_target(rule, ids, now) -> list[Finding]:
    today = timezone.localdate(now)
    latest = Subquery(
        Scorecard.objects.filter(account_id=OuterRef("pk"), period_start__lte=today)
        .order_by("-period_start")
        .values("pk")[:1]
    )
    cards = [
        pk
        for pk in Account.objects.filter(pk__any_of=ids)
        .annotate(card=latest)
        .values_list("card", flat=True)
        if pk
    ]
    threshold = number_param(rule, "attainment_pct")
    findings = []
    for line in ScorecardLine.objects.filter(
        scorecard_id__any_of=cards, attainment__isnull=False
    ).select_related("metric", "scorecard"):
        if not kinds.off_target(line.attainment, threshold):
            continue
        card = line.scorecard
        label = periods.label(card.period_start, card.cadence)
        actual, target = (
            _figure(line.actual, line.metric.unit),
            _figure(line.target, line.metric.unit),
        )
        findings.append(
            Finding(
                card.account_id,
                f"metric:{line.metric_id}",
                line.metric.name,
                f"{line.metric.name} is at {line.attainment * 100:.0f} % of its target in "
                f"{label}: {actual} against {target} "
                f"({'higher' if line.metric.higher_is_better else 'lower'} is better; the "
                f"rule fires under {threshold:.0f} %).",
                {
                    "period": str(card.period_start),
                    "actual": float(line.actual),
                    "target": float(line.target),
                    "attainment_pct": float(line.attainment * 100),
                },
            )
        )
    return findings


def survey_low(rule, ids, now) -> list[Finding]:
    below = number_param(rule, "below")
    # Each account's latest round with customer answers, and its answers by dimension.
    rounds = {}
    for account_id, round_id, created in (
        SurveyResponse.objects.filter(
            kind=SurveyResponse.Kind.CUSTOMER, round__account_id__any_of=ids
        )
        .values_list("round__account_id", "round_id", "round__created_at")
        .distinct()
    ):
        if account_id not in rounds or created > rounds[account_id][1]:
            rounds[account_id] = (round_id, created)
    round_ids = [r for r, _ in rounds.values()]
    scores = defaultdict(lambda: defaultdict(lambda: {"customer": [], "internal": []}))
    names = {}
    for round_id, dimension_id, name, kind, score in SurveyAnswer.objects.filter(
        response__round_id__any_of=round_ids
    ).values_list(
        "response__round_id", "dimension_id", "dimension__name", "response__kind", "score"
    ):
        scores[round_id][dimension_id][kind].append(score)
        names[dimension_id] = name
    findings = []
    for account_id, (round_id, _) in rounds.items():
        dims = scores[round_id]
        mean = formulas.mean(s for d in dims.values() for s in d["customer"])
        if kinds.survey_low(mean, below):
            findings.append(
                Finding(
                    account_id,
                    f"survey:{round_id}",
                    "Customer survey",
                    f"The customers' mean answer in the latest survey is {mean:.2f} of 5, "
                    f"under {below}.",
                    {"mean": float(round(mean, 2)), "below": float(below)},
                )
            )
        for dimension_id, answers in dims.items():
            gap = formulas.perception_gap(answers["customer"], answers["internal"])
            if gap.blind_spot:
                findings.append(
                    Finding(
                        account_id,
                        f"blind_spot:{round_id}:{dimension_id}",
                        names[dimension_id],
                        f"Blind spot on {names[dimension_id]}: the customers answer "
                        f"{gap.customer_mean}, the team expects {gap.internal_mean} "
                        f"(gap {gap.gap}).",
                        {
                            "customer_mean": float(gap.customer_mean),
                            "internal_mean": float(gap.internal_mean),
                            "gap": float(gap.gap),
                        },
                    )
                )
    return findings
