"""The seed_bench command: the benchmark data set, as the services would store it; topped
up, reset and regenerated the same; the demo data left alone."""

from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts_app.models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    Relationship,
    TeamMember,
    User,
)
from core import periods
from core.history import AccountHistory
from demo.bench.accounts import ACCOUNT_PREFIX
from demo.bench.users import USER_PREFIX
from insights.snapshots import account_snapshot_refresh
from opportunities import formulas, services
from opportunities.models import Opportunity, QualificationAnswer, StageChange
from scorecards import formulas as scorecard_formulas
from scorecards import services as scorecard_services
from scorecards.models import (
    Scorecard,
    ScorecardLine,
    SurveyAnswer,
    SurveyDimension,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

from .helpers import run, table_counts, team_pairs, validate_all

pytestmark = pytest.mark.django_db


def bench_accounts():
    return Account.objects.filter(name__startswith=ACCOUNT_PREFIX)


def test_seed_bench_small_data_set(demo):
    output = run("seed_bench", accounts=50)
    assert "timings:" in output
    accounts = bench_accounts()
    assert accounts.count() == 50
    assert Contact.objects.filter(account__in=accounts).count() == 500
    assert Relationship.objects.filter(contact__account__in=accounts).count() == 1000
    bench_users = User.objects.filter(username__startswith="bench-user-")
    assert bench_users.count() == 300
    assert bench_users.get(username="bench-user-0001").role == User.Role.ADMIN
    assert bench_users.filter(role=User.Role.MANAGER).count() == 20
    assert not bench_users.filter(role=User.Role.TEAM_MEMBER, manager=None).exists()
    assert not any(u.has_usable_password() for u in bench_users)
    assert BusinessUnit.objects.filter(account__in=accounts).count() >= 100

    for account in accounts.prefetch_related("team_members"):
        owners = [m for m in account.team_members.all() if m.role == TeamMember.Role.OWNER]
        assert len(owners) == 1
        assert owners[0].user_id == account.owner_id
        assert 2 <= len(account.team_members.all()) <= 4
    on_team = team_pairs()
    pairs = list(Relationship.objects.values_list("contact__account_id", "user_id"))
    assert all(pair in on_team for pair in pairs)
    assert not Contact.objects.exclude(reports_to=None).exclude(reports_to__account=F("account"))
    assert not Contact.objects.exclude(business_unit=None).exclude(
        business_unit__account=F("account")
    )
    validate_all(Account.objects.select_related("parent"))
    validate_all(Contact.objects.select_related("business_unit", "reports_to__reports_to"))
    validate_all(Relationship.objects.select_related("contact"))

    # Today's snapshots hold what the snapshot service computes.
    snapshots = {s.account_id: s for s in AccountSnapshot.objects.filter(account__in=accounts)}
    assert len(snapshots) == 50
    for account in accounts[:10]:
        expected = snapshots[account.pk]
        fresh = account_snapshot_refresh(account_id=account.pk)
        fields = ["contact_count", "relationship_count", "business_unit_count", "team_size"]
        assert [getattr(fresh, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert fresh.last_interaction is None

    check_bench_opportunities(accounts, per_account=5)
    check_bench_scorecards(accounts, months=60)

    before = table_counts(), opportunity_counts(), scorecard_counts()
    assert "already present" in run("seed_bench", accounts=50)
    assert (table_counts(), opportunity_counts(), scorecard_counts()) == before


def opportunity_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count() for m in apps.get_app_config("opportunities").get_models()
    }


def scorecard_counts() -> dict[str, int]:
    """Rows of every scorecards table but the history tables, which only grow."""
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_app_config("scorecards").get_models()
        if not issubclass(m, AccountHistory)
    }


def check_bench_scorecards(accounts, months: int) -> None:
    """Each bench account has a monthly scorecard for each of the last `months` months,
    with the same five metrics every month and the attainment and score refresh_score()
    stores; some accounts have a survey round with answers and predictions; today's
    snapshots include the scorecard."""
    cards = Scorecard.objects.filter(account__in=accounts)
    assert cards.count() == months * accounts.count()
    assert set(cards.values_list("cadence", flat=True)) == {"monthly"}
    current = timezone.localdate().replace(day=1)
    expected = {periods.shift(current, "monthly", -back) for back in range(months)}
    assert set(cards.values_list("period_start", flat=True)) == expected
    lines = defaultdict(list)
    for line in ScorecardLine.objects.filter(scorecard__in=cards).select_related("metric"):
        lines[line.scorecard_id].append(line)
    metric_sets = defaultdict(set)
    for card in cards:
        rows = lines[card.pk]
        assert len(rows) == 5
        metric_sets[card.account_id].add(frozenset(line.metric_id for line in rows))
        for line in rows:
            assert line.weight > 0 and line.target is not None
            assert line.attainment == scorecard_formulas.attainment(
                line.actual, line.target, higher_is_better=line.metric.higher_is_better
            )
        assert card.score == scorecard_formulas.scorecard_score(
            scorecard_formulas.Line(line.weight, line.attainment) for line in rows
        )
    assert all(len(sets) == 1 for sets in metric_sets.values())
    measured = ScorecardLine.objects.filter(scorecard__in=cards)
    assert measured.filter(actual=None).exists() and measured.exclude(actual=None).exists()
    sample = list(cards.order_by("pk")[:3])
    for card in sample:
        stored = (card.score, sorted(card.lines.values_list("pk", "attainment")))
        scorecard_services.refresh_score(card)
        card.refresh_from_db()
        assert (card.score, sorted(card.lines.values_list("pk", "attainment"))) == stored
    validate_all(cards)
    validate_all(measured)

    rounds = SurveyRound.objects.filter(account__in=accounts)
    assert 0 < rounds.count() < accounts.count()
    dimensions = SurveyDimension.objects.filter(template__rounds__in=rounds).distinct().count()
    on_team = team_pairs()
    for survey in rounds.prefetch_related("invitations", "responses__answers"):
        invitations = list(survey.invitations.all())
        assert 1 <= len(invitations) <= 4
        assert all(
            len(i.token_hash) == 64 and i.contact.account_id == survey.account_id
            for i in invitations
        )
        customers = [r for r in survey.responses.all() if r.kind == "customer"]
        internal = [r for r in survey.responses.all() if r.kind == "internal"]
        assert 1 <= len(customers) <= 3 and 1 <= len(internal) <= 2
        assert {r.invitation_id for r in customers} == {i.pk for i in invitations if i.answered_at}
        assert all((survey.account_id, r.user_id) in on_team for r in internal)
        assert all(len(r.answers.all()) == dimensions for r in survey.responses.all())
    assert len({i for i in SurveyInvitation.objects.values_list("token_hash", flat=True)}) == (
        SurveyInvitation.objects.count()
    )
    validate_all(SurveyAnswer.objects.filter(response__round__in=rounds))

    # Today's snapshots were recomputed with the scorecards and surveys.
    today = timezone.localdate()
    for snapshot in AccountSnapshot.objects.filter(account__in=accounts, date=today):
        latest = (
            cards.filter(account_id=snapshot.account_id, score__isnull=False)
            .order_by("-period_start")
            .first()
        )
        assert snapshot.scorecard_score == latest.score
        assert snapshot.health is not None
    assert (
        AccountSnapshot.objects.filter(
            account__in=accounts, date=today, survey_mean__isnull=False
        ).count()
        == rounds.values("account").distinct().count()
    )


def bench_scorecards() -> list[tuple]:
    return sorted(
        ScorecardLine.objects.filter(
            scorecard__account__name__startswith=ACCOUNT_PREFIX
        ).values_list(
            "scorecard__account__name",
            "scorecard__period_start",
            "scorecard__score",
            "metric__name",
            "weight",
            "target",
            "actual",
            "attainment",
        )
    )


def bench_surveys() -> list[tuple]:
    return sorted(
        SurveyResponse.objects.filter(round__account__name__startswith=ACCOUNT_PREFIX).values_list(
            "round__account__name", "round__title", "kind", "invitation__name", "user__username"
        )
    )


def check_bench_opportunities(accounts, per_account: int) -> None:
    """Each bench account has its opportunities, owned by its team, in its business
    units, with the figures the services would store and one stage change each."""
    opportunities = Opportunity.objects.filter(account__in=accounts)
    assert opportunities.count() == per_account * accounts.count()
    on_team = team_pairs()
    assert all(pair in on_team for pair in opportunities.values_list("account_id", "owner_id"))
    assert not opportunities.exclude(business_unit=None).exclude(
        business_unit__account=F("account")
    )
    assert not opportunities.exclude(probability=F("stage__default_probability"))
    validate_all(opportunities)
    criteria = services._criteria()
    answers = defaultdict(dict)
    for opportunity_id, criterion_id, answer in QualificationAnswer.objects.filter(
        opportunity__in=opportunities
    ).values_list("opportunity_id", "criterion_id", "answer"):
        answers[opportunity_id][criterion_id] = answer
    assert 0 < len(answers) < opportunities.count()  # some answered, some not
    for o in opportunities:
        weighted = formulas.weighted_value(o.value, o.probability)
        roe = formulas.return_on_effort(
            weighted, o.gross_margin_pct, o.effort_hours, settings.STRATA_HOURLY_COST_RATE
        )
        score = formulas.qualification_score(criteria, answers[o.pk])
        assert (o.qualification_score, o.weighted_value, o.roe) == (score, weighted, roe)
    assert opportunities.filter(roe=None).exists() and opportunities.filter(horizon_years=None)
    changes = StageChange.objects.filter(opportunity__in=opportunities)
    assert changes.count() == opportunities.count()
    assert not changes.exclude(to_stage=F("opportunity__stage"))


def test_seed_bench_tops_up_resets_and_leaves_demo_data_alone(demo):
    demo_counts = table_counts()

    def deals():
        rows = Opportunity.objects.filter(account__in=bench_accounts())
        return sorted(rows.values_list("name", "value", "stage_id", "owner__username", "roe"))

    demo_scorecards = scorecard_counts()
    run("seed_bench", accounts=8, opportunities_per_account=0, scorecard_months=0)
    assert not deals() and not bench_scorecards() and not bench_surveys()
    assert "8 existing bench accounts have fewer than 3" in run(
        "seed_bench", accounts=8, opportunities_per_account=3, scorecard_months=3
    )
    assert len(bench_scorecards()) == 8 * 3 * 5
    # Tops up to 5 opportunities and 60 months each: the same as from the start.
    assert "8 bench accounts have fewer than 60 monthly scorecards" in run("seed_bench", accounts=8)
    first = {a.name: (a.owner.username, a.annual_revenue) for a in bench_accounts()}
    first_deals = deals()
    assert len(first_deals) == 40
    first_cards, first_surveys = bench_scorecards(), bench_surveys()
    assert len(first_cards) == 8 * 60 * 5

    output = run("seed_bench", accounts=12)
    assert "adding 4" in output
    assert bench_accounts().count() == 12
    assert Relationship.objects.filter(contact__account__in=bench_accounts()).count() == 240

    run("seed_bench", accounts=8, reset=True)
    again = {a.name: (a.owner.username, a.annual_revenue) for a in bench_accounts()}
    assert again == first  # the same data, whichever way it was produced
    assert deals() == first_deals
    assert bench_scorecards() == first_cards and bench_surveys() == first_surveys

    run("seed_bench", accounts=1, reset=True)
    assert bench_accounts().count() == 1
    Account.objects.filter(name__startswith=ACCOUNT_PREFIX).delete()
    User.objects.filter(username__startswith=USER_PREFIX).delete()
    assert table_counts() == demo_counts
    assert not Opportunity.objects.filter(name__startswith="Bench Opportunity ")
    assert scorecard_counts() == demo_scorecards
