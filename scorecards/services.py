"""Writes of scorecards: a period's scorecard (its lines copied from the period before),
the lines' weights, targets and actuals (attainment and the score kept current on the
rows), copying targets into the next period, and importing actuals from CSV rows (all or
nothing). Only the account team (and admins) write."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts_app.models import Account, User
from accounts_app.selectors import can_edit_account
from core import history, periods
from core.history import records_actor
from core.jobs import recompute_later

from . import formulas
from .defaults import (
    MAY_BE_NEGATIVE,
    METRICS,
    SURVEY_DIMENSIONS,
    SURVEY_INTRODUCTION,
    SURVEY_NAME,
    seeded_unit,
)
from .models import HealthWeights, Metric, Scorecard, ScorecardLine, SurveyTemplate

LINE_FIELDS = ("weight", "target", "actual")
MAX_FIGURE = Decimal("1e14")  # the columns hold 16 digits, 2 after the point


def seeded_metric_create(position: int, row: tuple) -> Metric:
    """One metric of the seeded library (a row of defaults.METRICS) at `position`."""
    name, description, unit, perspective, kind, higher, joint = row
    return Metric.objects.create(
        name=name,
        description=description,
        unit=seeded_unit(unit),
        perspective=perspective,
        kind=kind,
        higher_is_better=higher,
        joint=joint,
        may_be_negative=name in MAY_BE_NEGATIVE,
        position=position,
    )


def ensure_defaults() -> None:
    """The metric library and health weights where none exist (a flushed database)."""
    if not Metric.objects.exists():
        for position, row in enumerate(METRICS, start=1):
            seeded_metric_create(position, row)
    if not HealthWeights.objects.exists():
        HealthWeights.objects.create()
    if not SurveyTemplate.objects.exists():
        template = SurveyTemplate.objects.create(name=SURVEY_NAME, introduction=SURVEY_INTRODUCTION)
        for position, (name, question) in enumerate(SURVEY_DIMENSIONS, start=1):
            template.dimensions.create(name=name, question=question, position=position)


def _require_edit(by: User, account: Account) -> None:
    if not can_edit_account(user=by, account=account):
        raise PermissionDenied("Only the account team changes its scorecards.")


def refresh_score(scorecard: Scorecard) -> Scorecard:
    """Recompute each line's attainment and the scorecard's score, and store them; the
    account's snapshot (health) follows."""
    recompute_later(scorecard.account_id)
    lines = list(scorecard.lines.select_related("metric"))
    changed = []
    for line in lines:
        value = formulas.attainment(
            line.actual, line.target, higher_is_better=line.metric.higher_is_better
        )
        if value != line.attainment:
            line.attainment = value
            changed.append(line)
    ScorecardLine.objects.bulk_update(changed, ["attainment"])  # untracked: derived
    score = formulas.scorecard_score(formulas.Line(line.weight, line.attainment) for line in lines)
    if score != scorecard.score:
        scorecard.score = score
        history.save_derived(scorecard, ["score", "updated_at"])
    return scorecard


def _check_cadence(account: Account, cadence: str) -> None:
    other = (
        Scorecard.objects.filter(account=account)
        .exclude(cadence=cadence)
        .values_list("cadence", flat=True)
        .first()
    )
    if other:
        raise ValidationError(
            {"cadence": f"{account}'s scorecards are {other}: keep one cadence per account."}
        )


@records_actor
@transaction.atomic
def scorecard_create(
    *,
    account: Account,
    by: User,
    cadence: str = Scorecard.Cadence.QUARTERLY,
    period_start: date,
    metrics: Iterable[Metric] | None = None,
) -> Scorecard:
    """The account's scorecard for the period starting on `period_start`. Its lines are
    `metrics` (weight 1, no target) if given, else those of the latest earlier scorecard
    with their weights and targets (the usual case: the same measures, period after
    period)."""
    _require_edit(by, account)
    if cadence not in Scorecard.Cadence.values:
        raise ValidationError({"cadence": "Choose monthly or quarterly."})
    if not periods.is_period_start(period_start, cadence):
        raise ValidationError(
            {"period_start": f"Choose the first day of a {cadence.removesuffix('ly')}."}
        )
    _check_cadence(account, cadence)
    if Scorecard.objects.filter(
        account=account, cadence=cadence, period_start=period_start
    ).exists():
        raise ValidationError(
            {"period_start": f"{periods.label(period_start, cadence)} already has a scorecard."}
        )
    try:
        with transaction.atomic():
            scorecard = Scorecard.objects.create(
                account=account, cadence=cadence, period_start=period_start, created_by=by
            )
    except IntegrityError as exc:  # created by someone else a moment ago
        raise ValidationError(
            {"period_start": f"{periods.label(period_start, cadence)} already has a scorecard."}
        ) from exc
    if metrics is not None:
        rows = [
            ScorecardLine(scorecard=scorecard, metric=metric, position=position, updated_by=by)
            for position, metric in enumerate(metrics, start=1)
        ]
    else:
        previous = (
            Scorecard.objects.filter(
                account=account, cadence=cadence, period_start__lt=period_start
            )
            .order_by("-period_start")
            .first()
        )
        rows = [
            ScorecardLine(
                scorecard=scorecard,
                metric_id=line.metric_id,
                weight=line.weight,
                target=line.target,
                position=line.position,
                updated_by=by,
            )
            for line in (previous.lines.all() if previous else [])
        ]
    history.bulk_create(ScorecardLine, rows, by=by)
    return refresh_score(scorecard)


@records_actor
def scorecard_next(*, scorecard: Scorecard, by: User) -> Scorecard:
    """Copy the metrics, weights and targets into the next period (actuals start empty)."""
    return scorecard_create(
        account=scorecard.account,
        by=by,
        cadence=scorecard.cadence,
        period_start=periods.shift(scorecard.period_start, scorecard.cadence, 1),
    )


def _figure(value, field: str, errors: dict, *, minimum=None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors[field] = "Enter a number."
        return None
    if not number.is_finite():
        errors[field] = "Enter a number."
    elif abs(number) >= MAX_FIGURE:
        errors[field] = "Enter a number below 100,000,000,000,000."
    elif minimum is not None and number < minimum:
        errors[field] = f"Enter {minimum} or more."
    elif number != number.quantize(Decimal("0.01")):
        errors[field] = "Enter at most two decimals."
    return number


def clean_line_values(data: Mapping, *, metric: Metric | None = None) -> dict:
    """Weight (0–100), target and actual as Decimals (or None); field errors raised. A
    target or actual below zero only for a `metric` that may be negative (an NPS)."""
    errors, clean = {}, {}
    for key in LINE_FIELDS:
        if key in data:
            clean[key] = _figure(data[key], key, errors, minimum=0 if key == "weight" else None)
    if metric is not None and not metric.may_be_negative:
        for key in ("target", "actual"):
            if key not in errors and (clean.get(key) or 0) < 0:
                errors[key] = f"{metric} cannot be negative: enter 0 or more."
    if "weight" in clean:
        if clean["weight"] is None:
            errors.setdefault("weight", "Give the metric a weight (0 leaves it out of the score).")
        elif clean["weight"] > 100:
            errors.setdefault("weight", "Enter 100 or less.")
    if errors:
        raise ValidationError(errors)
    return clean


@records_actor
@transaction.atomic
def line_update(*, line: ScorecardLine, by: User, **data) -> ScorecardLine:
    """Change a line's weight, target or actual (strings or numbers; "" empties a target
    or an actual); the attainment and the score follow."""
    scorecard = line.scorecard
    _require_edit(by, scorecard.account)
    unknown = set(data) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"Not scorecard line fields: {sorted(unknown)}")
    for key, value in clean_line_values(data, metric=line.metric).items():
        setattr(line, key, value)
    line.updated_by = by
    line.save()
    refresh_score(scorecard)
    line.refresh_from_db()
    return line


@records_actor
@transaction.atomic
def line_add(
    *, scorecard: Scorecard, metric: Metric, by: User, weight=1, target=None
) -> ScorecardLine:
    _require_edit(by, scorecard.account)
    values = clean_line_values({"weight": weight, "target": target}, metric=metric)
    if scorecard.lines.filter(metric=metric).exists():
        raise ValidationError({"metric": f"{metric} is already on this scorecard."})
    if not metric.active:
        raise ValidationError({"metric": f"{metric} is retired from the library."})
    last = scorecard.lines.order_by("-position").values_list("position", flat=True).first()
    line = ScorecardLine.objects.create(
        scorecard=scorecard, metric=metric, position=(last or 0) + 1, updated_by=by, **values
    )
    refresh_score(scorecard)
    return line


@records_actor
@transaction.atomic
def line_remove(*, line: ScorecardLine, by: User) -> None:
    scorecard = line.scorecard
    _require_edit(by, scorecard.account)
    line.delete()
    refresh_score(scorecard)


# --- CSV import --------------------------------------------------------------------------

IMPORT_COLUMNS = ("period", "metric", "actual")
IMPORT_OPTIONAL = ("target",)


@dataclass
class ImportReport:
    rows: int = 0
    created_scorecards: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_period(text: str, cadence: str) -> date | None:
    """ "2026-03" or "2026-03-01": the period that month starts (for quarters, the month
    must be a quarter's first)."""
    text = (text or "").strip()
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        day = date(year, month, 1)
    except (ValueError, TypeError):
        return None
    return day if periods.is_period_start(day, cadence) else None


@records_actor
@transaction.atomic
def actuals_import(
    *, account: Account, by: User, rows: Iterable[Mapping[str, str]], cadence: str | None = None
) -> ImportReport:
    """Set actuals (and targets, where given) from CSV rows with the columns period
    (YYYY-MM), metric (its name) and actual, optionally target. A period without a
    scorecard gets one, its lines copied from the period before. Every row is checked
    first; if any is wrong the report lists each bad row with its line number and
    nothing is changed."""
    _require_edit(by, account)
    existing = Scorecard.objects.filter(account=account)
    cadence = cadence or (existing.values_list("cadence", flat=True).first()) or "quarterly"
    metrics = {m.name.casefold(): m for m in Metric.objects.all()}
    report, parsed = ImportReport(), []
    seen = set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        report.rows += 1
        row = {(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()}
        problems = []
        start = _parse_period(row.get("period", ""), cadence)
        if start is None:
            problems.append(
                f"period “{row.get('period', '')}” is not the first month of a "
                f"{cadence.removesuffix('ly')} (write it as YYYY-MM)"
            )
        metric = metrics.get(row.get("metric", "").casefold())
        if metric is None:
            problems.append(f"no metric is called “{row.get('metric', '')}”")
        values = {}
        try:
            values = clean_line_values(
                {"actual": row.get("actual", "")}
                | ({"target": row["target"]} if row.get("target") else {}),
                metric=metric,
            )
        except ValidationError as exc:
            problems += [f"{key}: {' '.join(msgs)}" for key, msgs in exc.message_dict.items()]
        if not problems and values.get("actual") is None:
            problems.append("actual is empty")
        if start and metric and (start, metric.pk) in seen:
            problems.append(f"{metric} for {row.get('period')} appears twice")
        if start and metric:
            seen.add((start, metric.pk))
        if problems:
            report.errors.append((number, "; ".join(problems)))
        else:
            parsed.append((number, start, metric, values))
    if report.rows == 0:
        report.errors.append((1, "the file has no rows under its header"))
    if report.errors:
        return report
    scorecards = {s.period_start: s for s in existing.filter(cadence=cadence)}
    touched = {}
    for number, start, metric, values in sorted(parsed, key=lambda item: item[1]):
        scorecard = scorecards.get(start)
        if scorecard is None:
            try:
                scorecard = scorecard_create(
                    account=account, by=by, cadence=cadence, period_start=start
                )
            except ValidationError as exc:
                report.errors.append((number, " ".join(exc.messages)))
                continue
            scorecards[start] = scorecard
            report.created_scorecards += 1
        line = scorecard.lines.filter(metric=metric).first()
        if line is None:
            report.errors.append(
                (number, f"{metric} is not on the {periods.label(start, cadence)} scorecard")
            )
            continue
        for key, value in values.items():
            setattr(line, key, value)
        line.updated_by = by
        line.save()
        touched[scorecard.pk] = scorecard
    if report.errors:
        transaction.set_rollback(True)
        report.created_scorecards = 0
        return report
    for scorecard in touched.values():
        refresh_score(scorecard)
    return report
