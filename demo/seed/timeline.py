"""When each part of a demo account came to be (`seed_demo`): the account's start
about a year before the demo was first loaded, its business units then, the team
joining over the first months, contacts met down the org chart, and relationships that
start weaker and climb to today's strength in dated steps. The writers
(`demo.seed.accounts`) store these dates in the history, so the RPI's past and its trend
come from the history like a real installation's (DESIGN §11).

Drawn from a generator of its own per account (seeded from the account's name), so
adding this left the rest of the book as it was drawn."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# Chance of 0, 1, 2 or 3 steps up before a relationship reached today's strength.
STEP_WEIGHTS = [15, 40, 33, 12]


def plan_timeline(seed: int, account, anchor: date) -> None:
    """Date `account` (an AccountPlan already drawn): `since`, `joined` by username,
    each contact's "since", each relationship's "since", "start" and "steps"."""
    rng = random.Random(f"{seed}:timeline:{account.name}")
    latest = anchor - timedelta(days=21)
    account.since = anchor - timedelta(days=rng.randint(320, 370))
    account.joined = {
        username: account.since if role == "owner" else account.since + _days(rng, 0, 150)
        for username, role in account.team.items()
    }
    by_name = {}
    for contact in account.contacts:  # bosses come before the people reporting to them
        boss = by_name.get(contact["boss"])
        met = boss["since"] + _days(rng, 0, 100) if boss else account.since
        contact["since"] = min(met, latest)
        by_name[contact["name"]] = contact
    for (contact_name, username), rel in account.relationships.items():
        begin = max(by_name[contact_name]["since"], account.joined[username])
        rel["since"] = min(begin + _days(rng, 0, 40), latest)
        climb = min(rng.choices(range(4), weights=STEP_WEIGHTS)[0], rel["strength"])
        # Steps on the 1st or the 15th (the writers store them in bulk by date).
        days = _fortnights(rel["since"], anchor - timedelta(days=7))
        climb = min(climb, len(days))
        rel["start"] = rel["strength"] - climb
        rel["steps"] = [
            (day, rel["start"] + n + 1) for n, day in enumerate(sorted(rng.sample(days, climb)))
        ]


def _days(rng, low, high) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _fortnights(after: date, until: date) -> list[date]:
    """The 1sts and 15ths after `after`, up to `until`."""
    days, day = [], after.replace(day=1)
    while day <= until:
        for candidate in (day, day.replace(day=15)):
            if after < candidate <= until:
                days.append(candidate)
        day = (day + timedelta(days=32)).replace(day=1)
    return days


def moment(day: date) -> datetime:
    """A time in the working day of `day`, for its history rows."""
    return timezone.make_aware(datetime.combine(day, time(10)))
