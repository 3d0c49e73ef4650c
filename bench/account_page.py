"""Time the tabs of one big account: 200 contacts in 8 business units, a team of 10 and
about 600 relationships (the Relationships tab's target: under 300 ms server time).

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/account_page.py [--repeat 20]

It creates the account "Bench Big Account" from the bench users the first time (the
same data on every run: a seeded generator; run again, it reuses the account), then
requests each tab in-process through Django's test client as the account's owner, and
prints the median and 95th percentile time and the number of SQL queries of one
request. The Map tab is timed when it answers 200. Saving a matrix cell (an htmx POST
that answers the cell, the RPI panel and the gap list) is timed too, alternating two
strengths; queueing its snapshot job is left out (the broker call is stubbed).
"""

import argparse
import random
import sys
import time

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts_app import services
from accounts_app.models import (  # noqa: E402
    Account,
    BusinessUnit,
    Contact,
    Relationship,
    TeamMember,
    User,
)
from core import jobs
from demo.factories import industry_entry, region_entry
from insights.snapshots import account_snapshot_refresh

NAME = "Bench Big Account"
CONTACTS = 200
TEAM = 10
PER_CONTACT = 3  # relationships per contact: 600 in all
UNITS = (
    "Aerospace",
    "Corporate Functions",
    "Digital Services",
    "Energy Systems",
    "Healthcare",
    "Marine",
    "Mobility",
    "Rail Systems",
)
ROLES = (
    TeamMember.Role.EXECUTIVE_SPONSOR,
    TeamMember.Role.SALES,
    TeamMember.Role.SALES,
    TeamMember.Role.SERVICE,
    TeamMember.Role.SERVICE,
    TeamMember.Role.TECHNICAL,
    TeamMember.Role.TECHNICAL,
    TeamMember.Role.FINANCE,
    TeamMember.Role.OTHER,
)
LEVELS = (("executive", 1), ("senior", 3), ("middle", 5), ("operational", 5))
BUYING = (("decision_maker", 1), ("recommender", 2), ("influencer", 3), ("user", 3), ("none", 3))
ATTITUDES = (("champion", 1), ("supporter", 3), ("neutral", 4), ("detractor", 1), ("unknown", 2))
SURNAMES = ("Meyer", "Rossi", "Dubois", "Novak", "Larsen", "Tanaka", "Silva", "Okafor", "Walsh")
TITLES = ("VP Operations", "Head of Procurement", "Plant Manager", "CFO", "Lead Engineer")


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def big_account() -> Account:
    """The benchmark account, created once from the bench users (idempotent)."""
    account = Account.objects.filter(name=NAME).first()
    if account is not None:
        contacts = account.contacts.count()
        team = account.team_members.count()
        if contacts == CONTACTS and team == TEAM:
            return account
        print(f"{NAME} has {contacts} contacts and {team} team members: building it again")
        account.delete()
    users = list(
        User.objects.filter(username__startswith="bench-user-", role=User.Role.TEAM_MEMBER)
        .order_by("username")
        .values_list("pk", flat=True)[:TEAM]
    )
    if len(users) < TEAM:
        sys.exit("Fewer than 10 bench team members: run `manage.py seed_bench` first.")
    rng = random.Random(2026)
    with transaction.atomic():
        account = Account.objects.create(
            name=NAME,
            industry=industry_entry(),
            region=region_entry(),
            annual_revenue=25_000_000,
            wallet_estimate=90_000_000,
            gross_margin_pct=31,
            strategic_value=5,
            owner_id=users[0],
        )
        TeamMember.objects.bulk_create(
            [TeamMember(account=account, user_id=users[0], role=TeamMember.Role.OWNER)]
            + [
                TeamMember(account=account, user_id=user, role=role)
                for user, role in zip(users[1:], ROLES, strict=True)
            ]
        )
        units = BusinessUnit.objects.bulk_create(
            [BusinessUnit(account=account, name=name) for name in UNITS]
        )
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    account=account,
                    name=f"{rng.choice(SURNAMES)} {index:03d}",
                    title=rng.choice(TITLES),
                    business_unit=units[index % len(units)] if index % 10 else None,
                    level=_pick(rng, LEVELS),
                    buying_role=_pick(rng, BUYING),
                    attitude=_pick(rng, ATTITUDES),
                )
                for index in range(CONTACTS)
            ]
        )
        relationships = []
        for contact in contacts:
            for user in rng.sample(users, PER_CONTACT):
                strength = rng.randint(0, 4)
                target = rng.choice((None, None, None, min(strength + 1, 4)))
                relationships.append(
                    Relationship(
                        contact=contact, user_id=user, strength=strength, target_strength=target
                    )
                )
        Relationship.objects.bulk_create(relationships)
    account_snapshot_refresh(account_id=account.pk)
    print(f"created {NAME}: {CONTACTS} contacts, {TEAM} team members, {len(relationships)} rels")
    return account


def measure(client: Client, method: str, url: str, repeat: int, data=None, **extra):
    def request(payload=None):
        if method == "post":
            return client.post(url, payload, **extra)
        return client.get(url, **extra)

    payloads = [data(i) for i in range(repeat + 2)] if data else [None] * (repeat + 2)
    request(payloads[0])  # warm caches and connections
    with CaptureQueriesContext(connection) as queries:
        response = request(payloads[1])
    query_count = len(queries)  # read now: the next request clears the log
    timings = []
    for payload in payloads[2:]:
        started = time.perf_counter()
        request(payload)
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _setup.median_p95(timings)
    return median, p95, query_count, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    account = big_account()
    owner = account.owner
    relationships = Relationship.objects.filter(contact__account=account).count()
    print(
        f"database: {connection.vendor}; {NAME} (id {account.pk}): "
        f"{account.contacts.count()} contacts, {account.business_units.count()} business "
        f"units, {account.team_members.count()} team members, {relationships} relationships"
    )
    # The save's snapshot job goes to a broker in real use; here it is not queued.
    jobs.schedule_recompute = lambda account_id: None

    client = Client()
    client.force_login(owner)
    htmx = {"HTTP_HX_REQUEST": "true"}
    tabs = [
        ("Overview", "accounts:detail", {}),
        ("Contacts", "accounts:contacts", {}),
        ("Team", "accounts:team", {}),
        ("Relationships", "accounts:relationships", {}),
        ("Relationships (htmx tab fragment)", "accounts:relationships", htmx),
        ("Map", "accounts:relationship_map", {}),
    ]
    contact = account.contacts.order_by("pk").first()
    cell = reverse("accounts:relationship_cell", args=[account.pk, contact.pk, owner.pk])
    before = (
        Relationship.objects.filter(contact=contact, user=owner)
        .values_list("strength", "target_strength")
        .first()
    )
    print(f"{'page':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>6}")
    for label, url_name, extra in tabs:
        url = reverse(url_name, args=[account.pk])
        median, p95, queries, status = measure(client, "get", url, args.repeat, **extra)
        if status != 200:
            print(f"{label:<44} {'—':>10} {'—':>8} {'—':>8} {status:>6}  (not timed)")
            continue
        print(f"{label:<44} {median:>10.1f} {p95:>8.1f} {queries:>8} {status:>6}")
    median, p95, queries, status = measure(
        client,
        "post",
        cell,
        args.repeat,
        data=lambda i: {"strength": str(2 + i % 2), "target": "4"},
        **htmx,
    )
    label = "Save a matrix cell (htmx POST)"
    print(f"{label:<44} {median:>10.1f} {p95:>8.1f} {queries:>8} {status:>6}")
    # Leave the cell as it was, so every run times the same data.
    strength, target = before or (0, None)
    services.relationship_set(
        contact=contact, user=owner, strength=strength, target=target, by=owner
    )


if __name__ == "__main__":
    main()
