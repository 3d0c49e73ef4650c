"""The seed_demo and seed_bench management commands."""

import random
from collections import defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from accounts_app.management.commands import seed_bench, seed_demo
from accounts_app.models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    Interaction,
    Relationship,
    TeamMember,
    User,
)
from core import periods
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

pytestmark = pytest.mark.django_db


def run(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Rows of every accounts_app table, the many-to-many link tables included."""
    counts = {}
    for model in apps.get_app_config("accounts_app").get_models():
        counts[model._meta.label] = model.objects.count()
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            counts[through._meta.label] = through.objects.count()
    return counts


def validate_all(queryset) -> None:
    """full_clean() every row: field validators and the model's clean(). Foreign keys,
    uniqueness and check constraints are the database's own (it would have refused the
    insert), so they are not checked again one query per row."""
    relations = [f.name for f in queryset.model._meta.concrete_fields if f.is_relation]
    for obj in queryset:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def team_pairs() -> set[tuple[int, int]]:
    return set(TeamMember.objects.values_list("account_id", "user_id"))


@pytest.fixture
def demo():
    output = run("seed_demo")
    assert output.startswith("seed_demo: created")
    return output


def test_demo_users_accounts_and_teams(demo):
    users = {u.username: u for u in User.objects.select_related("manager")}
    expected = {
        "admin": User.Role.ADMIN,
        "exec": User.Role.EXECUTIVE,
        "manager": User.Role.MANAGER,
        "mira": User.Role.MANAGER,
        "alice": User.Role.TEAM_MEMBER,
        "bob": User.Role.TEAM_MEMBER,
    }
    for username, role in expected.items():
        assert users[username].role == role
        assert users[username].check_password("strata-demo")
        assert users[username].first_name and users[username].last_name
        assert users[username].title
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["alice"].is_superuser and not users["exec"].is_staff
    assert users["alice"].manager == users["manager"]
    assert users["bob"].manager == users["manager"]
    team_members = [u for u in users.values() if u.role == User.Role.TEAM_MEMBER]
    assert len(team_members) >= 12
    bosses = {u.manager.username for u in team_members}
    assert bosses == {"manager", "mira"}
    for user in users.values():
        user.full_clean()

    accounts = Account.objects.all()
    assert 55 <= accounts.count() <= 65
    assert accounts.filter(parent__isnull=False).count() >= 8
    groups = accounts.annotate(n=Count("children")).filter(n__gt=0)
    assert 3 <= groups.count() <= 5
    assert all(2 <= g.n <= 3 for g in groups)
    assert accounts.values("industry").distinct().count() >= 10
    assert accounts.values("region").distinct().count() == 6
    assert accounts.values("lifecycle_stage").distinct().count() == 5

    alice = set(TeamMember.objects.filter(user__username="alice").values_list("account_id"))
    bob = set(TeamMember.objects.filter(user__username="bob").values_list("account_id"))
    assert alice and bob and not alice & bob
    assert accounts.filter(owner__username="alice").count() == 8
    assert accounts.filter(owner__username="bob").count() == 8
    assert len(alice) > 8 and len(bob) > 8

    for account in accounts.annotate(
        owners=Count(
            "team_members", filter=Q(team_members__role=TeamMember.Role.OWNER), distinct=True
        ),
        team=Count("team_members", distinct=True),
        units=Count("business_units", distinct=True),
    ):
        assert account.owners == 1
        assert account.owner.team_memberships.get(account=account).role == "owner"
        assert 2 <= account.team <= 4
        assert 2 <= account.units <= 5
        assert 6 <= account.contacts.count() <= 14


def test_demo_data_is_valid_and_consistent(demo):
    validate_all(Account.objects.select_related("parent__parent__parent"))
    validate_all(BusinessUnit.objects.all())
    validate_all(
        Contact.objects.select_related(
            "business_unit", "reports_to__reports_to__reports_to__reports_to"
        )
    )
    validate_all(TeamMember.objects.all())
    validate_all(Relationship.objects.select_related("contact"))
    validate_all(Interaction.objects.all())

    on_team = team_pairs()
    for account_id, user_id in Relationship.objects.values_list("contact__account_id", "user_id"):
        assert (account_id, user_id) in on_team
    assert not Contact.objects.exclude(reports_to=None).exclude(reports_to__account=F("account"))
    assert (
        not Contact.objects.filter(level="executive")
        .exclude(reports_to=None)
        .exclude(reports_to__level="executive")
    )
    # Every org chart has exactly one top: an executive.
    tops = Contact.objects.filter(reports_to=None)
    assert set(tops.values_list("level", flat=True)) == {"executive"}
    assert tops.count() == Account.objects.count()
    levels = set(Contact.objects.values_list("level", flat=True))
    assert levels == {"executive", "senior", "middle", "operational"}
    assert set(Contact.objects.values_list("buying_role", flat=True)) == {
        c.value for c in Contact.BuyingRole
    }
    assert set(Relationship.objects.values_list("strength", flat=True)) == {0, 1, 2, 3, 4}
    assert Relationship.objects.exclude(target_strength=None).exists()

    # Interactions: within the last nine months or so, with their account's people.
    today = timezone.localdate()
    oldest = Interaction.objects.earliest("date").date
    assert (today - oldest).days <= 280 and Interaction.objects.latest("date").date <= today
    latest = defaultdict(lambda: date.min)
    for interaction in Interaction.objects.prefetch_related("contacts", "team_users"):
        assert interaction.contacts.exists() and interaction.team_users.exists()
        assert all(c.account_id == interaction.account_id for c in interaction.contacts.all())
        for user in interaction.team_users.all():
            assert (interaction.account_id, user.pk) in on_team
            for contact in interaction.contacts.all():
                key = (contact.pk, user.pk)
                latest[key] = max(latest[key], interaction.date)
    with_date = 0
    for rel in Relationship.objects.all():
        expected = latest.get((rel.contact_id, rel.user_id))
        assert rel.last_interaction == expected
        with_date += expected is not None
    assert with_date > 100

    # Snapshots were computed for every demo account, synchronously.
    assert AccountSnapshot.objects.filter(date=today).count() == Account.objects.count()
    snapshot = AccountSnapshot.objects.select_related("account").first()
    assert snapshot.contact_count == snapshot.account.contacts.count()


def test_demo_accounts_are_placed_in_tiers_once(demo):
    from segmentation.models import SegmentationRun, TierAssignment, TierChange

    assert "placed 60 accounts in tiers" in demo
    assert TierAssignment.objects.count() == Account.objects.count() == 60
    assert set(TierAssignment.objects.values_list("tier__name", flat=True)) == {
        "Tier I",
        "Tier II",
        "Tier III",
    }
    pinned = TierAssignment.objects.get(pinned=True)
    assert pinned.account.owner.username == "alice" and pinned.tier.name == "Tier I"
    assert pinned.pinned_by.username == "manager" and "Reference customer" in pinned.pin_reason
    history = TierChange.objects.count()
    assert history == 61  # one per account from the run, one for the override
    run("seed_demo")
    assert (SegmentationRun.objects.count(), TierChange.objects.count()) == (1, history)


def test_demo_accounts_have_six_months_of_rpi_history(demo):
    today = timezone.localdate()
    history = AccountSnapshot.objects.filter(date__lt=today)
    assert history.count() == 6 * Account.objects.count()
    assert not history.filter(rpi__isnull=True).exists()
    assert history.aggregate(m=Max("rpi"))["m"] <= 100
    assert set(history.values_list("date", flat=True)) == {
        today - timedelta(days=30 * m) for m in range(1, 7)
    }


def test_seed_demo_twice_changes_nothing(demo):
    before = table_counts()
    stamps = (
        Account.objects.aggregate(m=Max("updated_at"))["m"],
        Contact.objects.aggregate(m=Max("updated_at"))["m"],
        Relationship.objects.aggregate(m=Max("updated_at"))["m"],
        AccountSnapshot.objects.aggregate(m=Max("computed_at"))["m"],
    )
    output = run("seed_demo")
    assert "nothing created" in output
    assert table_counts() == before
    assert (
        Account.objects.aggregate(m=Max("updated_at"))["m"],
        Contact.objects.aggregate(m=Max("updated_at"))["m"],
        Relationship.objects.aggregate(m=Max("updated_at"))["m"],
        AccountSnapshot.objects.aggregate(m=Max("computed_at"))["m"],
    ) == stamps


def test_seed_demo_on_a_later_day_finds_the_same_data(demo, monkeypatch):
    """Interaction dates count back from the day the demo was first loaded, not from
    today, so a run a week later finds every row by its natural key."""
    before = table_counts()
    real_localdate = timezone.localdate
    later = real_localdate() + timedelta(days=7)

    def localdate(value=None, timezone=None):
        return real_localdate(value, timezone) if value is not None else later

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    output = run("seed_demo")
    assert "nothing created" in output
    after = table_counts()
    # A new day gets its own snapshot row per account (the synthetic RPI history is
    # written once); nothing else changes.
    assert (
        after.pop("accounts_app.AccountSnapshot")
        == before.pop("accounts_app.AccountSnapshot") + Account.objects.count()
    )
    assert after == before


def test_seed_demo_fills_in_what_was_deleted():
    run("seed_demo")
    before = table_counts()
    Contact.objects.filter(account__name="Halvorsen Group").delete()
    Account.objects.get(name="Tavira Online").delete()
    output = run("seed_demo")
    assert "created 0 users, 1 accounts" in output
    assert "interactions given back their participants" in output
    assert table_counts() == before


def test_demo_plan_is_deterministic():
    anchor = date(2026, 3, 1)
    first = seed_demo.build_plan(random.Random(seed_demo.SEED), anchor)
    second = seed_demo.build_plan(random.Random(seed_demo.SEED), anchor)
    assert first == second
    assert first != seed_demo.build_plan(random.Random(1), anchor)


def bench_accounts():
    return Account.objects.filter(name__startswith=seed_bench.ACCOUNT_PREFIX)


def test_seed_bench_small_data_set():
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
    return {
        m._meta.label: m.objects.count() for m in apps.get_app_config("scorecards").get_models()
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
            scorecard__account__name__startswith=seed_bench.ACCOUNT_PREFIX
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
        SurveyResponse.objects.filter(
            round__account__name__startswith=seed_bench.ACCOUNT_PREFIX
        ).values_list(
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


def test_seed_bench_tops_up_resets_and_leaves_demo_data_alone():
    run("seed_demo")
    demo_counts = table_counts()

    def deals():
        rows = Opportunity.objects.filter(account__in=bench_accounts())
        return sorted(rows.values_list("name", "value", "stage_id", "owner__username", "roe"))

    demo_scorecards = scorecard_counts()
    run("seed_bench", accounts=20, opportunities_per_account=0, scorecard_months=0)
    assert not deals() and not bench_scorecards() and not bench_surveys()
    assert "20 existing bench accounts have fewer than 3" in run(
        "seed_bench", accounts=20, opportunities_per_account=3, scorecard_months=3
    )
    assert len(bench_scorecards()) == 20 * 3 * 5
    # Tops up to 5 opportunities and 60 months each: the same as from the start.
    assert "20 bench accounts have fewer than 60 monthly scorecards" in run(
        "seed_bench", accounts=20
    )
    first = {a.name: (a.owner.username, a.annual_revenue) for a in bench_accounts()}
    first_deals = deals()
    assert len(first_deals) == 100
    first_cards, first_surveys = bench_scorecards(), bench_surveys()
    assert len(first_cards) == 20 * 60 * 5

    output = run("seed_bench", accounts=30)
    assert "adding 10" in output
    assert bench_accounts().count() == 30
    assert Relationship.objects.filter(contact__account__in=bench_accounts()).count() == 600

    run("seed_bench", accounts=20, reset=True)
    again = {a.name: (a.owner.username, a.annual_revenue) for a in bench_accounts()}
    assert again == first  # the same data, whichever way it was produced
    assert deals() == first_deals
    assert bench_scorecards() == first_cards and bench_surveys() == first_surveys

    run("seed_bench", accounts=1, reset=True)
    assert bench_accounts().count() == 1
    Account.objects.filter(name__startswith=seed_bench.ACCOUNT_PREFIX).delete()
    User.objects.filter(username__startswith=seed_bench.USER_PREFIX).delete()
    assert table_counts() == demo_counts
    assert not Opportunity.objects.filter(name__startswith="Bench Opportunity ")
    assert scorecard_counts() == demo_scorecards


def test_demo_plans_cover_every_stage_once(demo):
    from plans.models import Plan, PlanTransition

    assert "wrote 16 account plans" in demo
    assert set(Plan.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "changes_requested",
        "approved",
    }
    assert set(Plan.objects.values_list("account__owner__username", flat=True)) == {"alice", "bob"}
    steps = PlanTransition.objects.count()
    run("seed_demo")
    assert (Plan.objects.count(), PlanTransition.objects.count()) == (16, steps)
