"""Reads of scorecards: an account's scorecard for a period (its latest by default), its
lines with status, the trend of each metric and of the score over past periods. A fixed
number of queries whatever the number of periods or lines."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from accounts_app.models import Account
from core import periods

from . import formulas
from .models import Metric, Scorecard, ScorecardLine

TREND_PERIODS = 8


def account_scorecards(*, account: Account) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(account=account).order_by("-period_start")


def account_scorecard(*, account: Account, period: date | None = None) -> Scorecard | None:
    """The scorecard of `period` (its first day), else the latest: the one of the
    current period if it exists, else the newest before it, else the earliest ahead."""
    cards = account_scorecards(account=account)
    if period is not None:
        return cards.filter(period_start=period).first()
    today = timezone.localdate()
    return cards.filter(period_start__lte=today).first() or cards.order_by("period_start").first()


def plain(value) -> str:
    """A Decimal as typed in an input: no exponent, no trailing zeros ("" for None)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class LineView:
    line: ScorecardLine
    status: str | None
    trend: list  # [(period_start, actual, target)], oldest first
    sparkline: str = ""
    errors: dict = field(default_factory=dict)  # field → messages, from a refused save
    typed: dict = field(default_factory=dict)  # field → what was typed, kept on errors

    @property
    def inputs(self) -> list[tuple[str, str]]:
        return [
            (key, self.typed[key] if key in self.typed else plain(getattr(self.line, key)))
            for key in ("weight", "target", "actual")
        ]

    @property
    def metric(self) -> Metric:
        return self.line.metric

    @property
    def attainment_pct(self):
        a = self.line.attainment
        return None if a is None else a * 100


def scorecard_lines(*, scorecard: Scorecard, trend_periods: int = TREND_PERIODS) -> list:
    """The lines of `scorecard` with their status and the trend of each metric over the
    last `trend_periods` periods up to this one (two queries)."""
    lines = list(scorecard.lines.select_related("metric").order_by("position", "id"))
    first = periods.shift(scorecard.period_start, scorecard.cadence, 1 - trend_periods)
    history = defaultdict(list)
    for metric_id, start, actual, target in (
        ScorecardLine.objects.filter(
            scorecard__account_id=scorecard.account_id,
            scorecard__cadence=scorecard.cadence,
            scorecard__period_start__gte=first,
            scorecard__period_start__lte=scorecard.period_start,
            metric_id__in=[line.metric_id for line in lines],
        )
        .order_by("scorecard__period_start")
        .values_list("metric_id", "scorecard__period_start", "actual", "target")
    ):
        history[metric_id].append((start, actual, target))
    return [
        LineView(line=line, status=formulas.status(line.attainment), trend=history[line.metric_id])
        for line in lines
    ]


def score_trend(*, scorecard: Scorecard, trend_periods: int = TREND_PERIODS) -> list:
    """[(period_start, score)] of the account's scorecards up to this one, oldest first."""
    first = periods.shift(scorecard.period_start, scorecard.cadence, 1 - trend_periods)
    return list(
        Scorecard.objects.filter(
            account_id=scorecard.account_id,
            cadence=scorecard.cadence,
            period_start__gte=first,
            period_start__lte=scorecard.period_start,
        )
        .order_by("period_start")
        .values_list("period_start", "score")
    )


def available_metrics(*, scorecard: Scorecard) -> QuerySet[Metric]:
    """Active metrics of the library not yet on the scorecard."""
    return Metric.objects.filter(active=True).exclude(lines__scorecard=scorecard)
