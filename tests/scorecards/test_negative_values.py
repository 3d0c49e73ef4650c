"""Figures below zero on a scorecard: only a metric that may be negative (the seeded Net
Promoter Score) takes them, in the grid, the API and the CSV import alike; the others
refuse a negative target or actual with a field error. The attainment of a metric that
may be negative stays sensible (worked out by hand below), and never shows below 0 %."""

import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from demo.factories import MetricFactory, ScorecardFactory
from scorecards import formulas, services
from scorecards.models import Metric, ScorecardLine

pytestmark = pytest.mark.django_db

REFUSED = "Revenue cannot be negative: enter 0 or more."


@pytest.fixture
def card(account, owner):
    """Revenue (weight 2, target 1,000), Net Promoter Score (target −20) and Open
    escalations (target 4, lower is better), no actuals yet."""
    return ScorecardFactory(
        account=account,
        by=owner,
        metrics=["Revenue", "Net Promoter Score", "Open escalations"],
        lines={
            "Revenue": {"weight": "2", "target": "1000"},
            "Net Promoter Score": {"target": "-20"},
            "Open escalations": {"target": "4"},
        },
    )


def line(card, name) -> ScorecardLine:
    return card.lines.select_related("metric").get(metric__name=name)


# --- the formula, by hand ------------------------------------------------------------------


@pytest.mark.parametrize(
    "actual, target, higher, expected",
    [
        # Higher is better against a target below zero: 2 − a/t (1 + the gap / |t|).
        (-5, -10, True, "1.5"),  # better than the target by half its size
        (-22, -20, True, "0.9"),  # short by 2, as 18 of 20 is 0.9: near
        (-30, -20, True, "0.5"),  # 2 − 1.5
        (-40, -20, True, "0"),  # twice as bad as the target: nothing
        (10, -20, True, "2.5"),  # 2 − (−0.5): above zero beats a target below it
        (0, -5, True, "2"),
        # Against a target above zero, a/t as always, but never below 0.
        (-10, 20, True, "0"),  # was −0.5, shown "−50 %"
        (-5, 3, True, "0"),  # was −1.6667, shown "−167 %"
        (15, 20, True, "0.75"),
        # Lower is better with an actual below zero: 2 − t/a.
        (-10, -5, False, "1.5"),  # at most −5 wanted, −10 reached
        (-4, -5, False, "0.75"),  # 2 − 1.25
        (-1, 5, False, "7"),  # 2 − (−5): far under the ceiling
        (2, -5, False, "0"),  # t/a = −2.5: above a ceiling below zero
    ],
)
def test_attainment_of_values_below_zero(actual, target, higher, expected):
    assert formulas.attainment(actual, target, higher_is_better=higher) == D(expected)


@pytest.mark.parametrize(
    "actual, target, higher",
    [(90, 100, True), (120, 100, True), (5, 4, False), (3, 9, True), (2, 4, False)],
)
def test_values_of_zero_and_more_keep_the_plain_ratio(actual, target, higher):
    plain = D(actual) / D(target) if higher else D(target) / D(actual)
    expected = plain.quantize(D("0.0001"))
    assert formulas.attainment(actual, target, higher_is_better=higher) == expected


def test_a_tiny_divisor_stays_within_the_stored_column():
    """1e13 against 0.01 is 1e15, past numeric(12, 4): kept at its largest value."""
    value = formulas.attainment(D("1e13"), D("0.01"), higher_is_better=True)
    assert value == D("99999999.9999")
    assert formulas.status(value) == "on_target"


def test_score_with_an_nps_below_zero():
    """Revenue weight 2 at 0.95; NPS −22 against −20 (0.9), weight 1:
    100·(2·0.95 + 1·0.9)/3 = 100·2.8/3 = 93.3."""
    nps = formulas.attainment(-22, -20, higher_is_better=True)
    lines = [formulas.Line(D(2), D("0.95")), formulas.Line(D(1), nps)]
    assert formulas.scorecard_score(lines) == D("93.3")


# --- the metric library -------------------------------------------------------------------


def test_the_seeded_nps_may_be_negative_and_nothing_else():
    assert list(Metric.objects.filter(may_be_negative=True).values_list("name", flat=True)) == [
        "Net Promoter Score"
    ]


def test_the_migration_marks_an_nps_by_name_or_unit():
    renamed = MetricFactory(name="Promoter index", unit="NPS")
    other = MetricFactory(name="Visits", unit="count")
    Metric.objects.update(may_be_negative=False)
    migration = importlib.import_module("scorecards.migrations.0012_metric_may_be_negative")
    migration.mark_nps(apps, None)
    marked = set(Metric.objects.filter(may_be_negative=True).values_list("name", flat=True))
    assert marked == {"Net Promoter Score", renamed.name}
    assert other.name not in marked


# --- the services ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["actual", "target"])
def test_a_negative_figure_of_another_metric_is_refused(card, owner, field):
    revenue = line(card, "Revenue")
    with pytest.raises(ValidationError) as exc:
        services.line_update(line=revenue, by=owner, **{field: "-5"})
    assert exc.value.message_dict == {field: [REFUSED]}
    revenue.refresh_from_db()
    assert (revenue.target, revenue.actual) == (D(1000), None)


def test_zero_is_not_negative(card, owner):
    services.line_update(line=line(card, "Open escalations"), by=owner, actual="0")
    assert line(card, "Open escalations").attainment == D(1)


def test_an_nps_takes_figures_below_zero_and_its_attainment_follows(card, owner):
    """NPS −12 against a target of −20: 2 − (−12/−20) = 1.4, on target."""
    nps = services.line_update(line=line(card, "Net Promoter Score"), by=owner, actual="-12")
    assert (nps.actual, nps.attainment) == (D(-12), D("1.4"))
    card.refresh_from_db()
    assert card.score == D("100.0")  # the only measured line, capped at 1


def test_a_metric_added_with_a_negative_target_is_refused(card, owner):
    with pytest.raises(ValidationError) as exc:
        services.line_add(
            scorecard=card, metric=MetricFactory(name="Quality incidents"), by=owner, target="-1"
        )
    assert exc.value.message_dict == {
        "target": ["Quality incidents cannot be negative: enter 0 or more."]
    }
    assert not card.lines.filter(metric__name="Quality incidents").exists()


def test_the_csv_import_refuses_a_negative_actual_and_takes_a_negative_nps(card, owner):
    rows = [
        {"period": "2026-01", "metric": "Net Promoter Score", "actual": "-15"},
        {"period": "2026-01", "metric": "Revenue", "actual": "-900"},
    ]
    report = services.actuals_import(account=card.account, by=owner, rows=rows)
    assert report.errors == [(3, f"actual: {REFUSED}")]
    assert line(card, "Net Promoter Score").actual is None  # all or nothing
    report = services.actuals_import(account=card.account, by=owner, rows=rows[:1])
    assert report.ok
    assert line(card, "Net Promoter Score").actual == D(-15)


# --- the Scorecard tab ------------------------------------------------------------------------


def test_the_grid_says_why_a_negative_actual_is_refused(client_for, owner, card):
    revenue = line(card, "Revenue")
    response = client_for(owner).post(
        reverse("scorecards:line", args=[revenue.pk]),
        {f"actual-{revenue.pk}": "-167"},
        HTTP_HX_REQUEST="true",
    )
    assert f"Actual: {REFUSED}" in response.content.decode()
    assert line(card, "Revenue").actual is None


def test_saving_the_whole_grid_with_a_negative_actual_saves_nothing(
    client_for, owner, account, card
):
    revenue, nps = line(card, "Revenue"), line(card, "Net Promoter Score")
    url = reverse("scorecards:save", args=[account.pk, card.pk])
    response = client_for(owner).post(
        url, {f"actual-{revenue.pk}": "-5", f"actual-{nps.pk}": "-25"}
    )
    html = response.content.decode()
    assert "Nothing was saved: correct the highlighted values." in html
    assert 'value="-5"' in html and 'value="-25"' in html  # kept as typed
    assert not ScorecardLine.objects.filter(actual__isnull=False).exists()


def test_an_nps_below_target_reads_as_a_percentage_never_below_zero(client_for, owner, card):
    nps = line(card, "Net Promoter Score")
    response = client_for(owner).post(
        reverse("scorecards:line", args=[nps.pk]),
        {f"actual-{nps.pk}": "-22"},
        HTTP_HX_REQUEST="true",
    )
    assert ">90%</span>" in response.content.decode()
    # A negative actual stored before the rule (Revenue −5 of 1,000) shows 0 %, not −1 %.
    ScorecardLine.objects.filter(pk=line(card, "Revenue").pk).update(actual=-5)
    services.refresh_score(card)
    assert line(card, "Revenue").attainment == D(0)


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["actual", "target"])
def test_the_api_refuses_a_negative_figure_with_a_400(api_for, owner, card, field):
    revenue = line(card, "Revenue")
    response = api_for(owner).patch(
        f"/api/v1/scorecard-lines/{revenue.pk}/", {field: -5}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {field: [REFUSED]}
    created = api_for(owner).post(
        "/api/v1/scorecard-lines/",
        {"scorecard": card.pk, "metric": MetricFactory(name="Visits").pk, "target": "-1"},
        format="json",
    )
    assert created.status_code == 400 and "cannot be negative" in created.json()["target"][0]


def test_the_api_takes_a_negative_nps(api_for, owner, card):
    nps = line(card, "Net Promoter Score")
    response = api_for(owner).patch(
        f"/api/v1/scorecard-lines/{nps.pk}/", {"actual": "-12"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["actual"], response.json()["attainment"]) == (-12.0, 1.4)


def test_metrics_say_whether_they_may_be_negative(api_for, owner, admin_user):
    body = api_for(owner).get("/api/v1/metrics/", {"page_size": 100}).json()
    flags = {row["name"]: row["may_be_negative"] for row in body["results"]}
    assert flags["Net Promoter Score"] is True and flags["Revenue"] is False
    revenue = Metric.objects.get(name="Revenue")
    response = api_for(admin_user).patch(
        f"/api/v1/metrics/{revenue.pk}/", {"may_be_negative": True}, format="json"
    )
    assert response.status_code == 200
    revenue.refresh_from_db()
    assert revenue.may_be_negative
