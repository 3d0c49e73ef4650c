"""Scorecards: periods, a period's scorecard with its lines copied from the period
before, actuals and targets with the stored attainment and score, copying into the next
period, the CSV import (all or nothing, each bad row reported), permissions; and the
day a plan's tactic is done."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core import periods
from demo.factories import MetricFactory
from scorecards import services
from scorecards.models import Scorecard, ScorecardLine

pytestmark = pytest.mark.django_db


def lines(card):
    return list(card.lines.order_by("position"))


@pytest.mark.parametrize(
    "day, cadence, start, label",
    [
        (date(2026, 3, 17), "monthly", date(2026, 3, 1), "Mar 2026"),
        (date(2026, 3, 17), "quarterly", date(2026, 1, 1), "Q1 FY2026"),
        (date(2026, 12, 31), "quarterly", date(2026, 10, 1), "Q4 FY2026"),
    ],
)
def test_periods(day, cadence, start, label):
    assert periods.period_start(day, cadence) == start
    assert periods.label(start, cadence) == label


@override_settings(STRATA_FISCAL_YEAR_START_MONTH=4)
def test_quarters_follow_the_fiscal_year():
    """A fiscal year from April: February is in Q4 (Jan–Mar) of FY2026."""
    assert periods.period_start(date(2026, 2, 10), "quarterly") == date(2026, 1, 1)
    assert periods.label(date(2026, 1, 1), "quarterly") == "Q4 FY2026"
    assert periods.label(date(2026, 4, 1), "quarterly") == "Q1 FY2027"
    assert periods.shift(date(2026, 1, 1), "quarterly", 1) == date(2026, 4, 1)
    assert periods.period_end(date(2026, 1, 1), "quarterly") == date(2026, 3, 31)


def test_actuals_set_the_attainment_and_the_score(scorecard, owner):
    """Revenue 900,000 of 1,000,000 → 0.9 (near); 2 escalations against at most 4 → 2.0
    (on target, counted as 1): score = 100·(2·0.9 + 1·1)/3 = 93.3."""
    revenue, escalations = lines(scorecard)
    assert scorecard.score is None  # nothing measured yet
    services.line_update(line=revenue, by=owner, actual="900000")
    scorecard.refresh_from_db()
    assert scorecard.score == D("90.0")  # the unmeasured line is left out
    services.line_update(line=escalations, by=owner, actual="2")
    scorecard.refresh_from_db()
    revenue, escalations = lines(scorecard)
    assert (revenue.attainment, escalations.attainment) == (D("0.9"), D("2"))
    assert scorecard.score == D("93.3")
    services.line_update(line=revenue, by=owner, actual="")  # emptied again
    scorecard.refresh_from_db()
    assert scorecard.score == D("100.0")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"actual": "abc"}, "actual"),
        ({"target": "1e20"}, "target"),
        ({"weight": "-1"}, "weight"),
        ({"weight": "101"}, "weight"),
        ({"weight": ""}, "weight"),
        ({"actual": "1.234"}, "actual"),
        ({"actual": "NaN"}, "actual"),
    ],
)
def test_bad_figures_are_field_errors_and_change_nothing(scorecard, owner, data, field):
    revenue = lines(scorecard)[0]
    with pytest.raises(ValidationError) as exc:
        services.line_update(line=revenue, by=owner, **data)
    assert set(exc.value.message_dict) == {field}
    revenue.refresh_from_db()
    assert (revenue.weight, revenue.target, revenue.actual) == (D(2), D(1000000), None)


def test_the_next_period_copies_metrics_weights_and_targets(scorecard, owner):
    services.line_update(line=lines(scorecard)[0], by=owner, actual="900000")
    following = services.scorecard_next(scorecard=scorecard, by=owner)
    assert following.period_start == date(2026, 4, 1)
    copied = [
        (line.metric.name, line.weight, line.target, line.actual) for line in lines(following)
    ]
    assert copied == [
        ("Revenue", D(2), D(1000000), None),
        ("Open escalations", D(1), D(4), None),
    ]
    assert following.score is None
    with pytest.raises(ValidationError) as exc:
        services.scorecard_next(scorecard=scorecard, by=owner)
    assert "Q2 FY2026 already has a scorecard" in exc.value.message_dict["period_start"][0]


def test_one_cadence_per_account_and_periods_start_on_their_first_day(account, owner, scorecard):
    with pytest.raises(ValidationError) as exc:
        services.scorecard_create(
            account=account, by=owner, cadence="monthly", period_start=date(2026, 5, 1)
        )
    assert "keep one cadence" in exc.value.message_dict["cadence"][0]
    with pytest.raises(ValidationError) as exc:
        services.scorecard_create(account=account, by=owner, period_start=date(2026, 2, 1))
    assert set(exc.value.message_dict) == {"period_start"}


def test_lines_are_added_once_and_removed(scorecard, owner):
    line = services.line_add(
        scorecard=scorecard,
        metric=MetricFactory(name="On-time delivery"),
        by=owner,
        weight="1",
        target="95",
    )
    assert line.position == 3
    with pytest.raises(ValidationError):
        services.line_add(
            scorecard=scorecard, metric=MetricFactory(name="On-time delivery"), by=owner
        )
    services.line_remove(line=line, by=owner)
    assert scorecard.lines.count() == 2


@pytest.mark.parametrize("role", ["executive", "manager", "outsider"])
def test_only_the_team_writes(request, role, account, scorecard):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.scorecard_create(account=account, by=user, period_start=date(2026, 7, 1))
    with pytest.raises(PermissionDenied):
        services.line_update(line=lines(scorecard)[0], by=user, actual="1")
    with pytest.raises(PermissionDenied):
        services.actuals_import(account=account, by=user, rows=[])


def test_the_import_sets_actuals_and_creates_missing_periods(scorecard, owner):
    rows = [
        {"period": "2026-01", "metric": "revenue", "actual": "1,100,000"},
        {"period": "2026-04", "metric": "Open escalations", "actual": "6", "target": "3"},
    ]
    report = services.actuals_import(account=scorecard.account, by=owner, rows=rows)
    assert report.ok and (report.rows, report.created_scorecards) == (2, 1)
    scorecard.refresh_from_db()
    assert lines(scorecard)[0].actual == D(1100000)
    q2 = Scorecard.objects.get(period_start=date(2026, 4, 1))
    escalations = q2.lines.get(metric__name="Open escalations")
    # 3/6 = 0.5; revenue not measured yet: the score is 50.0
    assert (escalations.target, escalations.actual, escalations.attainment) == (
        D(3),
        D(6),
        D("0.5"),
    )
    assert q2.score == D("50.0")


def test_a_bad_import_reports_each_row_and_changes_nothing(scorecard, owner):
    rows = [
        {"period": "2026-01", "metric": "Revenue", "actual": "5"},  # fine
        {"period": "2026-02", "metric": "Revenue", "actual": "5"},  # not a quarter's start
        {"period": "2026-01", "metric": "Happiness", "actual": "5"},
        {"period": "2026-01", "metric": "Open escalations", "actual": "many"},
        {"period": "2026-01", "metric": "Revenue", "actual": "7"},  # twice
        {"period": "2026-04", "metric": "Open escalations", "actual": ""},
    ]
    report = services.actuals_import(account=scorecard.account, by=owner, rows=rows)
    assert [n for n, _ in report.errors] == [3, 4, 5, 6, 7]
    messages = dict(report.errors)
    assert "not the first month of a quarter" in messages[3]
    assert "no metric is called “Happiness”" in messages[4]
    assert "actual: Enter a number." in messages[5]
    assert "appears twice" in messages[6]
    assert "actual is empty" in messages[7]
    assert ScorecardLine.objects.filter(actual__isnull=False).count() == 0
    assert Scorecard.objects.count() == 1


def test_an_import_of_a_metric_not_on_the_scorecard_changes_nothing(scorecard, owner):
    rows = [
        {"period": "2026-04", "metric": "Revenue", "actual": "5"},
        {"period": "2026-04", "metric": "Quality incidents", "actual": "1"},
    ]
    report = services.actuals_import(account=scorecard.account, by=owner, rows=rows)
    assert report.errors == [(3, "Quality incidents is not on the Q2 FY2026 scorecard")]
    assert Scorecard.objects.count() == 1 and not ScorecardLine.objects.filter(actual=5).exists()


def test_an_empty_import_says_so(scorecard, owner):
    report = services.actuals_import(account=scorecard.account, by=owner, rows=[])
    assert report.errors == [(1, "the file has no rows under its header")]


def test_a_tactic_remembers_the_day_it_was_done(account, owner):
    from django.utils import timezone

    from plans import services as plans
    from plans.models import Goal, Strategy, Tactic

    plan = plans.plan_create(account=account, by=owner)
    goal = plans.item_create(model=Goal, by=owner, parent=plan, text="G")
    strategy = plans.item_create(model=Strategy, by=owner, parent=goal, text="S")
    tactic = plans.item_create(model=Tactic, by=owner, parent=strategy, text="T", status="done")
    assert tactic.done_on == timezone.localdate()
    tactic = plans.item_update(item=tactic, by=owner, version=tactic.version, status="open")
    tactic.refresh_from_db()
    assert tactic.done_on is None
    plans.item_update(item=tactic, by=owner, version=tactic.version, status="done")
    tactic.refresh_from_db()
    assert tactic.done_on == timezone.localdate()
