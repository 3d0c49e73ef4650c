"""The seed_demo command: the demo's users, accounts and what hangs off them, valid and
consistent, placed in tiers, with plans and history; deterministic and idempotent."""

import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.db.models import Count, F, Max, Q
from django.utils import timezone

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
from accounts_app.rpi_history import month_ends
from accounts_app.selectors import account_rpi, account_rpi_trend
from accounts_app.selectors.relationships import TREND_MONTHS
from demo.seed.book import SEED, build_plan

from .helpers import run, table_counts, team_pairs, validate_all

pytestmark = pytest.mark.django_db


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
        assert 2 <= account.team <= 5  # up to four drawn, and a sponsor where the tier asks
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


def test_demo_past_snapshots_hold_the_rpi_of_the_history(demo):
    today = timezone.localdate()
    history = AccountSnapshot.objects.filter(date__lt=today)
    assert history.count() == 6 * Account.objects.count()
    assert set(history.values_list("date", flat=True)) == {
        today - timedelta(days=30 * m) for m in range(1, 7)
    }
    for snapshot in history.select_related("account").order_by("account", "date")[:30]:
        then = account_rpi(account=snapshot.account, as_of=snapshot.date)
        assert (snapshot.rpi, snapshot.rpi_high, snapshot.rpi_wide, snapshot.rpi_deep) == (
            then.rpi,
            then.high,
            then.wide,
            then.deep,
        )


def test_demo_rpi_trends_come_from_the_history_and_climb(demo):
    """Relationships were written with their dated climb (demo.seed.timeline): the trend
    is the RPI of the history at each month end, rising over the year to today's."""
    today = timezone.localdate()
    ends = month_ends(today, TREND_MONTHS)
    accounts = list(Account.objects.order_by("pk"))
    climbing = 0
    for account in accounts:
        trend = account_rpi_trend(account=account)
        days = [day for day, _ in trend]
        assert len(trend) >= 10 and days[-1] == today
        assert days[:-1] == ends[-(len(trend) - 1) :]  # month ends only, no invented days
        values = [value for _, value in trend]
        assert values[-1] == account_rpi(account=account).rpi
        for day, value in trend[1:-1:3]:
            assert value == account_rpi(account=account, as_of=day).rpi
        # Mostly up: a contact met later can pull it down for a month (nobody knows
        # them yet), never by as much as the year's climb.
        drops = sum(max(a - b, 0) for a, b in pairwise(values))
        climbing += values[-1] - values[0] >= 10 and drops < values[-1] - values[0]
    assert climbing >= 0.75 * len(accounts)
    # The relationships' past is in their history: created weaker, then changed.
    assert Relationship.history.filter(history_type="~").count() > 300
    assert not Relationship.history.filter(history_date__date__gt=today).exists()


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
    # A new day gets its own snapshot row per account (the past ones are written
    # once); nothing else changes.
    assert (
        after.pop("accounts_app.AccountSnapshot")
        == before.pop("accounts_app.AccountSnapshot") + Account.objects.count()
    )
    assert after == before


def test_seed_demo_fills_in_what_was_deleted(demo):
    before = table_counts()
    Contact.objects.filter(account__name="Halvorsen Group").delete()
    # An account of the book alone: no subsidiaries, and no sponsor the program step
    # added for its tier (a refilled account waits for the next segmentation run).
    Account.objects.filter(children__isnull=True).exclude(
        team_members__role="executive_sponsor"
    ).order_by("name").first().delete()
    output = run("seed_demo")
    assert "created 0 users, 1 accounts" in output
    assert "interactions given back their participants" in output
    assert table_counts() == before


def test_demo_plan_is_deterministic():
    anchor = date(2026, 3, 1)
    first = build_plan(random.Random(SEED), anchor)
    second = build_plan(random.Random(SEED), anchor)
    assert first == second
    assert first != build_plan(random.Random(1), anchor)


def test_demo_plans_cover_every_stage_once(demo):
    from plans.models import Plan, PlanTransition

    assert "wrote 16 account plans" in demo
    theirs = Plan.objects.filter(account__owner__username__in=("alice", "bob"))
    assert theirs.count() == 16
    assert set(theirs.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "changes_requested",
        "approved",
    }
    # The other owners' accounts whose tier asks for a plan mostly have one, approved.
    others = Plan.objects.exclude(pk__in=theirs)
    assert others.count() >= 10 and set(others.values_list("status", flat=True)) == {"approved"}
    plans, steps = Plan.objects.count(), PlanTransition.objects.count()
    run("seed_demo")
    assert (Plan.objects.count(), PlanTransition.objects.count()) == (plans, steps)
