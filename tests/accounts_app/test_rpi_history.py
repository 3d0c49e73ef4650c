"""The RPI has a real past (DESIGN §11): the RPI, High, Wide and Deep as of a past day,
rebuilt from the history of the account's contacts, team and relationships, against a
past worked out by hand; the trend on the overview from the same history."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_app.models import Contact, Relationship, TeamMember
from accounts_app.rpi_history import month_ends
from accounts_app.selectors import account_rpi, account_rpi_trend

pytestmark = pytest.mark.django_db


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def on(day: date, obj, **changes):
    """Save `obj` (with `changes`) as if on `day`: its history row is dated then."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_date = noon(day)
    obj.save()
    return obj


def build_past(account, owner, teammate, days: dict[str, date]) -> None:
    """No business units (Wide: 1 if any contact has best ≥ 2). u1 = owner, u2 = teammate.

    team:     u1 and u2 join.
    contacts: A executive decision maker, B senior recommender, C middle influencer;
              u1–A strength 1, u2–C strength 2.
    climb:    u1–A 1 → 3; u1–B created at 2.
    more:     u2–B created at 4; D, executive with no buying role, appears (no one knows D).
    archive:  C archived.
    """
    TeamMember.history.filter(account_id=account.pk).update(history_date=noon(days["team"]))

    def contact(name, level, role):
        return on(
            days["contacts"],
            Contact(account=account, name=name, level=level, buying_role=role),
        )

    a = contact("Ada Exec", "executive", "decision_maker")
    b = contact("Ben Senior", "senior", "recommender")
    c = contact("Cleo Middle", "middle", "influencer")
    u1_a = on(days["contacts"], Relationship(contact=a, user=owner, strength=1))
    on(days["contacts"], Relationship(contact=c, user=teammate, strength=2))

    on(days["climb"], u1_a, strength=3)
    on(days["climb"], Relationship(contact=b, user=owner, strength=2))

    on(days["more"], Relationship(contact=b, user=teammate, strength=4))
    on(days["more"], Contact(account=account, name="Dan Exec", level="executive"))

    on(days["archive"], c, archived=True, archived_at=noon(days["archive"]))


FIXED = {
    "team": date(2025, 1, 1),
    "contacts": date(2025, 2, 1),
    "climb": date(2025, 3, 1),
    "more": date(2025, 4, 1),
    "archive": date(2025, 5, 1),
}

# Worked by hand (best: A, B, C, D; weights 3, 2, 1 for A, B, C):
# Jan 15: no contacts                                      → 0, 0, 0: RPI 0.0
# Feb 15: best 1, 0, 2. High (1+0)/8 = 12.5; Wide 1 (C at 2) = 100;
#         Deep (3·1 + 2·0 + 1·2)/24 = 5/24 = 20.8;  RPI 100·(3/24+24/24+5/24)/3 = 44.4
# Mar 15: best 3, 2, 2. High 5/8 = 62.5; Wide 100; Deep (9+4+2)/24 = 62.5;
#         RPI 100·(5/8+1+5/8)/3 = 75.0
# Apr 15: best 3, 4, 2, 0 (u2–B at 4 beats u1–B at 2; D counts as senior, at 0).
#         High (3+4+0)/12 = 58.3; Wide 100; Deep (9+8+2)/24 = 79.2;
#         RPI 100·(14/24+24/24+19/24)/3 = 57/72 = 79.2
# May 15: C archived, not there. High 7/12 = 58.3; Wide 100; Deep (9+8)/20 = 85.0;
#         RPI 100·(35/60+60/60+51/60)/3 = 146/180 = 81.1
EXPECTED = {
    date(2025, 1, 15): ("0.0", "0.0", "0.0", "0.0"),
    date(2025, 2, 15): ("44.4", "12.5", "100.0", "20.8"),
    date(2025, 3, 15): ("75.0", "62.5", "100.0", "62.5"),
    date(2025, 4, 15): ("79.2", "58.3", "100.0", "79.2"),
    date(2025, 5, 15): ("81.1", "58.3", "100.0", "85.0"),
}


@pytest.fixture
def past(account, owner, teammate):
    build_past(account, owner, teammate, FIXED)
    return account


def figures(report):
    return tuple(str(value) for value in (report.rpi, report.high, report.wide, report.deep))


@pytest.mark.parametrize("day", list(EXPECTED))
def test_rpi_as_of_a_past_day_matches_the_hand_computed_past(past, day):
    assert figures(account_rpi(account=past, as_of=day)) == EXPECTED[day]


def test_a_change_counts_from_the_end_of_its_day(past):
    assert (
        figures(account_rpi(account=past, as_of=date(2025, 2, 28))) == EXPECTED[date(2025, 2, 15)]
    )
    assert figures(account_rpi(account=past, as_of=date(2025, 3, 1))) == EXPECTED[date(2025, 3, 15)]


def test_the_rpi_as_of_today_is_the_rpi_now(past):
    today = account_rpi(account=past, as_of=timezone.localdate())
    now = account_rpi(account=past)
    assert figures(today) == figures(now) == EXPECTED[date(2025, 5, 15)]
    assert today.gaps == now.gaps


def test_an_archived_contact_is_left_out_now_and_as_of(past):
    before = account_rpi(account=past, as_of=date(2025, 4, 15)).penetration.best
    after = account_rpi(account=past, as_of=date(2025, 5, 15)).penetration.best
    cleo = Contact.objects.get(name="Cleo Middle").pk
    assert cleo in before and cleo not in after
    assert cleo not in account_rpi(account=past).penetration.best


def test_gaps_as_of_a_past_day(past, owner):
    gaps = account_rpi(account=past, as_of=date(2025, 2, 15)).gaps
    assert {(g.kind, g.contact_name) for g in gaps} == {
        ("uncovered", "Ada Exec"),
        ("single_threaded", "Ada Exec"),
        ("uncovered", "Ben Senior"),
    }


def test_a_deleted_relationship_is_gone_from_then_on(past, owner):
    rel = Relationship.objects.get(contact__name="Ada Exec", user=owner)
    rel._history_date = noon(date(2025, 6, 1))
    rel.delete()
    june = account_rpi(account=past, as_of=date(2025, 6, 15))
    assert june.penetration.best[Contact.objects.get(name="Ada Exec").pk] == 0
    assert (
        figures(account_rpi(account=past, as_of=date(2025, 5, 31))) == EXPECTED[date(2025, 5, 15)]
    )


def test_someone_who_left_the_team_no_longer_counts_from_then_on(past, teammate):
    member = TeamMember.objects.get(account=past, user=teammate)
    member._history_date = noon(date(2025, 6, 1))
    member.delete()
    # Without u2: best A 3, B 2, C gone, D 0 → High 5/12, Wide 1, Deep (9+4)/20;
    # RPI 100·(25/60+60/60+39/60)/3 = 124/180.
    assert figures(account_rpi(account=past, as_of=date(2025, 6, 2))) == (
        "68.9",
        "41.7",
        "100.0",
        "65.0",
    )


def relative_days(today: date) -> dict[str, date]:
    ends = month_ends(today, 12)
    return {
        "team": ends[6] - timedelta(days=3),
        "contacts": ends[7] - timedelta(days=3),
        "climb": ends[8] - timedelta(days=3),
        "more": ends[9] - timedelta(days=3),
        "archive": ends[10] - timedelta(days=3),
    }


def test_the_trend_comes_from_the_history(account, owner, teammate):
    today = timezone.localdate()
    build_past(account, owner, teammate, relative_days(today))
    ends = month_ends(today, 12)
    trend = account_rpi_trend(account=account)
    assert trend == [
        (ends[6], Decimal("0.0")),
        (ends[7], Decimal("44.4")),
        (ends[8], Decimal("75.0")),
        (ends[9], Decimal("79.2")),
        (ends[10], Decimal("81.1")),
        (ends[11], Decimal("81.1")),
        (today, Decimal("81.1")),
    ]


def test_the_trend_costs_the_same_queries_whatever_the_rows(account, owner, teammate):
    build_past(account, owner, teammate, relative_days(timezone.localdate()))
    with CaptureQueriesContext(connection) as small:
        account_rpi_trend(account=account)
    for n in range(10):
        on(
            timezone.localdate() - timedelta(days=40 * n),
            Contact(account=account, name=f"More {n}", level="senior"),
        )
    with CaptureQueriesContext(connection) as large:
        account_rpi_trend(account=account)
    assert len(small) == len(large) == 4


def test_an_account_without_history_has_no_trend(account):
    from accounts_app.models import BusinessUnit

    for model in (TeamMember, Contact, Relationship, BusinessUnit):
        model.history.all().delete()
    assert account_rpi_trend(account=account) == []
