"""Opportunities: creation with the stage's probability, stage history, qualification
answers with the score history, the stored figures, stalled detection, permissions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from demo.factories import BusinessUnitFactory, OpportunityFactory, ProductLineFactory, StageFactory
from opportunities import services
from opportunities.models import QualificationCriterion, ScoreChange, StageChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(account, owner):
    return OpportunityFactory(
        account=account,
        by=owner,
        name="Service contract",
        value=Decimal("250000"),
        effort_hours=Decimal("150"),
        gross_margin_pct=Decimal("30"),
    )


def test_a_new_opportunity_starts_in_the_first_stage_with_its_probability(opportunity, owner):
    assert (opportunity.stage.name, opportunity.probability) == ("Prospect", 10)
    assert opportunity.owner == owner
    # weighted 250,000·10 % = 25,000; ROE = 25,000·0.30/(150·100) = 0.50
    assert opportunity.weighted_value == Decimal("25000.00")
    assert opportunity.roe == Decimal("0.50")
    assert opportunity.qualification_score == Decimal("0.0")
    assert list(StageChange.objects.values_list("from_stage", "to_stage__name")) == [
        (None, "Prospect")
    ]


def test_moving_stage_brings_its_probability_and_a_history_row(opportunity, owner):
    services.opportunity_update(
        opportunity=opportunity, by=owner, stage=StageFactory(name="Propose")
    )
    assert opportunity.probability == 60 and opportunity.weighted_value == Decimal("150000.00")
    services.opportunity_update(
        opportunity=opportunity, by=owner, stage=StageFactory(name="Negotiate"), probability=70
    )
    assert opportunity.probability == 70  # given explicitly: kept
    assert StageChange.objects.filter(opportunity=opportunity).count() == 3


def test_qualification_answers_score_and_history(opportunity, owner):
    """Eight criteria of weight 1: answers 2 and 2 → 100·4/16 = 25.0; then all 2 → 100."""
    ids = list(QualificationCriterion.objects.values_list("pk", flat=True))
    services.qualification_set(opportunity=opportunity, by=owner, answers={ids[0]: 2, ids[1]: 2})
    assert opportunity.qualification_score == Decimal("25.0")
    services.qualification_set(opportunity=opportunity, by=owner, answers=dict.fromkeys(ids, 2))
    assert opportunity.qualification_score == Decimal("100.0")
    services.qualification_set(opportunity=opportunity, by=owner, answers={ids[0]: 2})
    assert list(ScoreChange.objects.order_by("at", "id").values_list("score", flat=True)) == [
        Decimal("25.0"),
        Decimal("100.0"),
    ]  # an unchanged score writes no history


@pytest.mark.parametrize("answers", [{"987654": 1}, {"abc": 1}, {"CRIT": 3}, {"CRIT": True}])
def test_bad_answers_are_field_errors_and_save_nothing(opportunity, owner, answers):
    first = QualificationCriterion.objects.first().pk
    answers = {(str(first) if k == "CRIT" else k): v for k, v in answers.items()}
    with pytest.raises(ValidationError) as exc:
        services.qualification_set(opportunity=opportunity, by=owner, answers=answers)
    assert set(exc.value.message_dict) == set(answers)
    assert not opportunity.answers.exists()


def test_owner_and_business_unit_belong_to_the_account(account, owner, outsider):
    with pytest.raises(ValidationError) as exc:
        services.opportunity_create(
            account=account,
            by=owner,
            name="X",
            owner=outsider,
            business_unit=BusinessUnitFactory(),
        )
    assert set(exc.value.message_dict) == {"owner", "business_unit"}


@pytest.mark.parametrize("role", ["executive", "manager", "outsider"])
def test_only_the_team_changes_opportunities(request, role, account, opportunity):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.opportunity_create(account=account, by=user, name="X")
    with pytest.raises(PermissionDenied):
        services.opportunity_update(opportunity=opportunity, by=user, name="Y")
    with pytest.raises(PermissionDenied):
        services.qualification_set(opportunity=opportunity, by=user, answers={})


def test_stalled_after_the_stages_limit(opportunity):
    now = opportunity.stage_changed_at
    assert not services.is_stalled(opportunity, now=now + timedelta(days=30))
    assert services.is_stalled(opportunity, now=now + timedelta(days=31))  # Prospect: 30 days
    opportunity.stage = StageFactory(name="Won")
    assert not services.is_stalled(opportunity, now=now + timedelta(days=400))


def test_missing_inputs_leave_figures_empty(account, owner):
    opportunity = services.opportunity_create(account=account, by=owner, name="Bare")
    assert opportunity.weighted_value == Decimal("0.00") and opportunity.roe is None


def test_the_stalled_filter_in_sql_agrees_at_the_boundary(opportunity):
    """Prospect allows 30 days: exactly 30 days in is not stalled, a second more is."""
    from opportunities.models import Opportunity
    from opportunities.selectors import stalled_condition

    entered = opportunity.stage_changed_at
    for days, seconds, expected in ((30, 0, False), (30, 1, True), (29, 86399, False)):
        now = entered + timedelta(days=days, seconds=seconds)
        in_sql = Opportunity.objects.filter(stalled_condition(now=now)).exists()
        assert in_sql is expected is services.is_stalled(opportunity, now=now), (days, seconds)


@pytest.mark.parametrize(
    "score, verdict",
    [
        ("39.9", "unqualified"),
        ("40.0", "needs_work"),
        ("69.9", "needs_work"),
        ("70.0", "qualified"),
    ],
)
def test_the_verdict_filter_in_sql_agrees_with_the_formula(opportunity, score, verdict):
    from opportunities import formulas
    from opportunities.models import Opportunity
    from opportunities.selectors import verdict_condition

    Opportunity.objects.filter(pk=opportunity.pk).update(qualification_score=Decimal(score))
    assert formulas.verdict(Decimal(score)) == verdict
    matching = [
        name
        for name in ("qualified", "needs_work", "unqualified")
        if Opportunity.objects.filter(verdict_condition(name)).exists()
    ]
    assert matching == [verdict]


def test_a_whitespace_cell_is_recorded_changed_and_cleared(account, owner):
    from opportunities.models import WhitespaceCell

    line, unit = ProductLineFactory(name="Parts"), BusinessUnitFactory(account=account)
    cell = dict(account=account, product_line=line, business_unit=unit, by=owner)
    services.whitespace_cell_set(**cell, state="sold", revenue=Decimal("1200"))
    services.whitespace_cell_set(**cell, state="not_applicable", revenue=Decimal("5"))
    stored = WhitespaceCell.objects.get()
    assert (stored.state, stored.revenue) == ("not_applicable", None)
    services.whitespace_cell_set(**cell, state="whitespace")
    assert not WhitespaceCell.objects.exists()


@pytest.mark.parametrize(
    "state, revenue, field",
    [("sold", None, "revenue"), ("sold", Decimal("-1"), "revenue"), ("bought", None, "state")],
)
def test_a_bad_whitespace_cell_is_a_field_error(account, owner, state, revenue, field):
    from opportunities.models import WhitespaceCell

    line, unit = ProductLineFactory(name="Parts"), BusinessUnitFactory(account=account)
    with pytest.raises(ValidationError) as exc:
        services.whitespace_cell_set(
            account=account,
            product_line=line,
            business_unit=unit,
            state=state,
            revenue=revenue,
            by=owner,
        )
    assert set(exc.value.message_dict) == {field}
    assert not WhitespaceCell.objects.exists()


def test_a_whitespace_cell_needs_a_unit_of_the_account_and_the_team(account, owner, executive):

    line = ProductLineFactory(name="Parts")
    with pytest.raises(ValidationError) as exc:
        services.whitespace_cell_set(
            account=account,
            product_line=line,
            business_unit=BusinessUnitFactory(),
            state="not_applicable",
            by=owner,
        )
    assert set(exc.value.message_dict) == {"business_unit"}
    with pytest.raises(PermissionDenied):
        services.whitespace_cell_set(
            account=account,
            product_line=line,
            business_unit=BusinessUnitFactory(account=account),
            state="not_applicable",
            by=executive,
        )


def test_the_any_of_lookup_matches_a_list_of_ids(account, owner, outsider):
    """The pipeline's account filter (one array parameter on PostgreSQL, IN elsewhere)."""
    from demo.factories import AccountFactory
    from opportunities.models import Opportunity

    mine = services.opportunity_create(account=account, by=owner, name="Mine")
    other_account = AccountFactory(owner=owner)
    other = services.opportunity_create(account=other_account, by=owner, name="Other")
    matches = Opportunity.objects.filter
    assert list(matches(account_id__any_of=[account.pk])) == [mine]
    assert set(matches(account_id__any_of=[account.pk, other_account.pk])) == {mine, other}
    assert not matches(account_id__any_of=[]).exists()
    assert set(Opportunity.objects.exclude(account_id__any_of=[account.pk])) == {other}
    # The same as one value (Django does not resolve it id by id): IdArray.
    from core.lookups import IdArray

    both = IdArray([account.pk, other_account.pk])
    assert set(matches(account_id__any_of=both)) == {mine, other}
    assert not matches(account_id__any_of=IdArray([])).exists()
    assert list(matches(account_id__any_of=IdArray([account.pk]))) == [mine]
