"""The scorecards and surveys of ``seed_bench`` (DESIGN §9: five years of monthly
scorecard values at 10,000 accounts).

Every bench account gets a monthly scorecard for each of the last ``--scorecard-months``
months (60 by default, the current month included; ``period_start`` is the first day of
the month), each with the same five metrics of the installation's library
(``ensure_defaults()`` first), chosen per account, with a weight, a target and an
actual. The stored attainment and score are computed with ``scorecards.formulas``
exactly as ``scorecards.services.refresh_score`` does. About 2 % of the actuals are
missing, and about half of those of the current month (still in progress), so some
scores leave metrics out and a few latest scorecards have no score at all.

About 10 % of the bench accounts also get one survey round (``demo.bench.surveys``).

Everything is drawn from seeded generators: the account's metrics, weights, targets and
performance from one seeded from ``--seed`` and the account's number, each month's
actuals from one seeded from those and the month, the survey from its own; so a month's
scorecard does not depend on how many months are asked for or on which run wrote it.
Raising ``--scorecard-months`` (or a new month) adds the missing periods, a second run
adds nothing. Accounts are written in chunks of ``CHUNK`` (each in one transaction) to
keep memory flat, and the chunk's snapshots for today are recomputed afterwards with
the nightly job's code, so the data set's health includes the scorecards and surveys.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import reset_queries, transaction
from django.db.models import Count
from django.utils import timezone

from accounts_app.models import Account
from core import periods
from core.money import is_money_unit
from insights.snapshots import account_snapshots_refresh
from scorecards import formulas, services
from scorecards.models import (
    Metric,
    Scorecard,
    ScorecardLine,
    SurveyDimension,
    SurveyRound,
    SurveyTemplate,
)

from .surveys import SURVEY_PREFIX, surveyed, write_surveys

MONTHLY = Scorecard.Cadence.MONTHLY
METRICS_PER_ACCOUNT = 5
# Accounts per transaction: 12,000 scorecards and 60,000 lines at 60 months.
CHUNK = 200
MISSING_ACTUAL = 0.02
MISSING_ACTUAL_THIS_MONTH = 0.5
# Performance trends are counted in years from this month, so a month's actuals do not
# depend on the day of the run.
TREND_ORIGIN = date(2026, 1, 1)


def month_ordinal(day: date) -> int:
    return day.year * 12 + day.month - 1


def last_months(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to today's, oldest first."""
    current = periods.period_start(today, MONTHLY)
    return [periods.shift(current, MONTHLY, -back) for back in range(count - 1, -1, -1)]


@dataclass
class Library:
    """What every bench scorecard and survey is drawn from, read once per run."""

    metrics: list[Metric]
    template: SurveyTemplate | None
    dimensions: list[int]


def library() -> Library:
    services.ensure_defaults()
    template = SurveyTemplate.objects.filter(active=True).order_by("pk").first()
    dimensions = (
        list(
            SurveyDimension.objects.filter(template=template)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        if template
        else []
    )
    return Library(
        metrics=list(Metric.objects.filter(active=True).order_by("position", "pk")),
        template=template if dimensions else None,
        dimensions=dimensions,
    )


@dataclass
class LineSpec:
    """How one metric of an account's scorecards behaves, month after month."""

    metric: Metric
    position: int
    weight: Decimal
    target: Decimal
    level: float  # the mean actual as a share of the target (in the metric's direction)
    trend: float  # change of that share per year
    spread: float  # month-to-month noise


def _target(rng: random.Random, metric: Metric, monthly_revenue: float) -> float:
    higher = metric.higher_is_better
    unit = metric.unit
    if is_money_unit(unit):
        return monthly_revenue * rng.uniform(0.95, 1.15)
    if unit == "%":
        return rng.uniform(30, 95) if higher else rng.uniform(2, 15)
    if unit == "count":
        return rng.randint(2, 12) if higher else rng.randint(1, 6)
    if unit == "hours":
        return rng.uniform(8, 60) if higher else rng.uniform(4, 48)
    if unit == "score":
        return rng.uniform(3.5, 4.5)
    if unit == "NPS":
        return rng.randint(10, 60)
    return rng.uniform(10, 100) if higher else rng.uniform(1, 10)


def _actual(spec: LineSpec, share: float) -> Decimal:
    """The actual that is `share` of the target in the metric's direction (1: on it)."""
    target = float(spec.target)
    value = target * share if spec.metric.higher_is_better else target * (2 - share)
    unit = spec.metric.unit
    value = max(value, 0.0)
    if unit == "%":
        value = min(value, 100.0)
    elif unit == "count":
        value = float(round(value))
    elif unit == "score":
        value = min(max(value, 1.0), 5.0)
    elif unit == "NPS":
        value = min(value, 100.0)
    return Decimal(f"{value:.2f}")


def account_lines(rng: random.Random, lib: Library, annual_revenue) -> list[LineSpec]:
    """The account's metrics (in library order) with their weights, targets and how well
    the account does on each."""
    chosen = rng.sample(lib.metrics, min(METRICS_PER_ACCOUNT, len(lib.metrics)))
    chosen.sort(key=lambda m: (m.position, m.pk))
    monthly_revenue = float(annual_revenue or 1_000_000) / 12
    performance = rng.gauss(0.9, 0.1)  # some accounts do better than others overall
    specs = []
    for position, metric in enumerate(chosen, start=1):
        specs.append(
            LineSpec(
                metric=metric,
                position=position,
                weight=Decimal(rng.choice((1, 1, 1, 2, 2, 3))),
                target=Decimal(f"{_target(rng, metric, monthly_revenue):.2f}"),
                level=performance + rng.gauss(0, 0.08),
                trend=rng.uniform(-0.05, 0.06),
                spread=rng.uniform(0.03, 0.15),
            )
        )
    return specs


def plan_scorecards(
    *,
    seed: int,
    number: int,
    account_id: int,
    owner_id: int | None,
    specs: list[LineSpec],
    months: list[date],
    current: date,
) -> list[tuple[Scorecard, list[ScorecardLine]]]:
    """Bench account `number`'s scorecards for `months`, each with its lines, the
    attainment and the score computed as refresh_score() does. A month's figures come
    from its own generator, whatever else is asked for."""
    rng = random.Random()
    planned = []
    for month in months:
        ordinal = month_ordinal(month)
        rng.seed((seed * 1_000_003 + number) * 100_000 + ordinal)
        years = (ordinal - month_ordinal(TREND_ORIGIN)) / 12
        missing = MISSING_ACTUAL_THIS_MONTH if month == current else MISSING_ACTUAL
        # Plain constructors, not the factories: five years of monthly scorecards are
        # 3,600,000 rows at 10,000 accounts, and a factory's build costs eight times a
        # model's (about 200 s more on a run of 450 s).
        lines = []
        for spec in specs:
            share = spec.level + spec.trend * years + rng.gauss(0, spec.spread)
            actual = None if rng.random() < missing else _actual(spec, share)
            lines.append(
                ScorecardLine(
                    metric_id=spec.metric.pk,
                    weight=spec.weight,
                    target=spec.target,
                    actual=actual,
                    attainment=formulas.attainment(
                        actual, spec.target, higher_is_better=spec.metric.higher_is_better
                    ),
                    position=spec.position,
                    updated_by_id=owner_id,
                )
            )
        scorecard = Scorecard(
            account_id=account_id,
            cadence=MONTHLY,
            period_start=month,
            score=formulas.scorecard_score(
                formulas.Line(line.weight, line.attainment) for line in lines
            ),
            created_by_id=owner_id,
        )
        planned.append((scorecard, lines))
    return planned


def _short_of(months: list[date], account_pks: dict[int, int]) -> dict[int, int]:
    """{account number: monthly scorecards it has in `months`} for the bench accounts
    with fewer than all of them."""
    if not months:
        return {}
    have = dict(
        Scorecard.objects.filter(cadence=MONTHLY, period_start__range=(months[0], months[-1]))
        .values_list("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )
    return {
        number: have.get(pk, 0)
        for number, pk in sorted(account_pks.items())
        if have.get(pk, 0) < len(months)
    }


def seed_scorecards(run, *, account_pks: dict[int, int], months: int) -> int:
    """Give every bench account of `account_pks` ({number: pk}) its monthly scorecards
    for the last `months` months and, for about 10 % of them, a survey round.

    `run` is the seed_bench run (``demo.bench.progress``): its ``phase()`` timings,
    ``created`` counter, ``seed``, ``batch``, ``today`` and ``stdout``. Returns how many
    scorecards and survey rounds were added."""
    if months < 1:
        return 0
    with run.phase("scorecards (generate)"):
        wanted = last_months(run.today, months)
        short = _short_of(wanted, account_pks)
        with_survey = set(
            SurveyRound.objects.filter(title__startswith=SURVEY_PREFIX).values_list(
                "account_id", flat=True
            )
        )
        unsurveyed = {
            number
            for number, pk in account_pks.items()
            if pk not in with_survey and surveyed(run.seed, number)
        }
        numbers = sorted(set(short) | unsurveyed)
        if not numbers:
            return 0
        lib = library()
    partial = [n for n, have in short.items() if have]
    if partial:
        run.stdout.write(
            f"seed_bench: {len(partial)} bench accounts have fewer than {months} monthly "
            "scorecards; adding the missing ones."
        )
    added = 0
    for start in range(0, len(numbers), CHUNK):
        part = numbers[start : start + CHUNK]
        with transaction.atomic():
            added += _write_chunk(run, lib, part, account_pks, wanted, set(short), unsurveyed)
        with run.phase("snapshots (health)"):
            # Today's snapshots of the chunk again, now with their scorecard and survey.
            written = account_snapshots_refresh(
                account_ids=[account_pks[n] for n in part], on=run.today
            )
            run.created["snapshots recomputed"] += len(written)
        # With DEBUG on (manage.py's local settings), Django keeps every query's SQL: the
        # inserts of 5,000 lines are half a megabyte each.
        reset_queries()
    return added


def _write_chunk(run, lib, numbers, account_pks, wanted, short, unsurveyed) -> int:
    now = timezone.now()
    current = periods.period_start(run.today, MONTHLY)
    with run.phase("scorecards (generate)"):
        ids = [account_pks[n] for n in numbers]
        accounts = {
            pk: (owner_id, revenue)
            for pk, owner_id, revenue in Account.objects.filter(pk__in=ids).values_list(
                "pk", "owner_id", "annual_revenue"
            )
        }
        have = defaultdict(set)
        for account_id, start in Scorecard.objects.filter(
            account_id__in=[account_pks[n] for n in numbers if n in short],
            cadence=MONTHLY,
            period_start__range=(wanted[0], wanted[-1]),
        ).values_list("account_id", "period_start"):
            have[account_id].add(start)
        planned = []
        for number in numbers:
            if number not in short:
                continue
            pk = account_pks[number]
            owner_id, revenue = accounts[pk]
            specs = account_lines(random.Random(run.seed * 10_000_103 + number), lib, revenue)
            planned += plan_scorecards(
                seed=run.seed,
                number=number,
                account_id=pk,
                owner_id=owner_id,
                specs=specs,
                months=[m for m in wanted if m not in have[pk]],
                current=current,
            )

    with run.phase("scorecards"):
        Scorecard.objects.bulk_create([s for s, _ in planned], batch_size=run.batch)
        run.created["scorecards"] += len(planned)

    with run.phase("scorecard lines"):
        lines = []
        for scorecard, rows in planned:
            for line in rows:
                line.scorecard_id = scorecard.pk
                lines.append(line)
        ScorecardLine.objects.bulk_create(lines, batch_size=run.batch)
        run.created["scorecard lines"] += len(lines)

    with run.phase("surveys"):
        rounds = write_surveys(run, lib, [n for n in numbers if n in unsurveyed], account_pks, now)
    return len(planned) + rounds
