"""Time the opportunity pages and API list on the data set of DESIGN §9 (50,000
opportunities; the target of issue 6: the manager's portfolio, first page, under 300 ms
server time with a query count that does not depend on the number of rows).

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/opportunities.py [--repeat 20]

Each URL is requested in-process through Django's test client (no network, no server)
as an admin (every opportunity), the bench manager who sees the most accounts and a
team member; one warm-up request, then `--repeat` timed ones. It prints a markdown
table: median and 95th percentile time, the SQL queries of one request (session and
user lookups included), the status and the size of the response. A page that does not
answer 200 (the board, before it exists) is reported as skipped.
"""

import argparse
import sys

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts_app.models import Account, TeamMember, User  # noqa: E402
from opportunities.models import Opportunity  # noqa: E402

BENCH_USER = "bench-user-"


def users() -> tuple[User, User, User]:
    """The admin, the bench manager who sees the most accounts, and a team member."""
    admin = (
        User.objects.filter(username=f"{BENCH_USER}0001").first()
        or User.objects.filter(is_superuser=True).first()
        or User.objects.filter(role=User.Role.ADMIN).first()
    )
    managers = User.objects.filter(
        role=User.Role.MANAGER, username__startswith=BENCH_USER, is_active=True
    ).order_by("username")
    manager = max(managers, key=lambda m: Account.objects.visible_to(m).count(), default=None)
    member = (
        User.objects.filter(
            role=User.Role.TEAM_MEMBER,
            username__startswith=BENCH_USER,
            team_memberships__isnull=False,
        )
        .order_by("username")
        .first()
    )
    if admin is None or manager is None or member is None:
        sys.exit("No bench admin, manager or team member: run `manage.py seed_bench` first.")
    return admin, manager, member


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    print(
        f"database: {connection.vendor}, {Account.objects.count():,} accounts, "
        f"{Opportunity.objects.count():,} opportunities"
    )
    admin, manager, member = users()
    # The member's account with the most opportunities (the largest, then the first).
    account = (
        Account.objects.filter(team_members__user=member)
        .annotate(n=Count("opportunities", distinct=True))
        .order_by("-n", "-annual_revenue", "pk")
        .first()
    )
    assert TeamMember.objects.filter(account=account, user=member).exists()

    pages = [
        ("portfolio, page 1 (by ROE)", "/opportunities/"),
        ("portfolio board", "/opportunities/?view=board"),
        ("portfolio, page 50", "/opportunities/?page=50"),
        ("API opportunities list, page 1", "/api/v1/opportunities/"),
        (
            f"account Opportunities tab ({account.opportunities.count()} opportunities)",
            f"/accounts/{account.pk}/opportunities/",
        ),
    ]
    per_account = {pages[-1][1]}  # the same whoever opens it: timed as the member only

    rows = []
    for who, user in (("admin", admin), ("manager", manager), ("member", member)):
        client = Client()
        client.force_login(user)
        visible = Account.objects.visible_to(user)
        accounts = visible.count()
        deals = Opportunity.objects.filter(account__in=visible).count()
        print(f"-- {who} ({user.username}) sees {accounts:,} accounts, {deals:,} opportunities")
        for label, url in pages:
            if who != "member" and url in per_account:
                continue
            result = _setup.get_timed(client, url, args.repeat)
            rows.append((f"{who} ({accounts:,} accounts, {deals:,} opps)", label, url, result))
            if result["status"] == 200:
                print(
                    f"   {label:<52} {result['median']:>7.1f} {result['p95']:>7.1f} ms "
                    f"{result['queries']:>3} queries {result['kb']:>6.0f} KB"
                )
            else:
                print(f"   {label:<52} skipped: status {result['status']}")

    print()
    print("| as | request | median ms | p95 ms | queries | KB |")
    print("|---|---|---:|---:|---:|---:|")
    for who, label, _url, r in rows:
        if r["status"] == 200:
            print(
                f"| {who} | {label} | {r['median']:.0f} | {r['p95']:.0f} | {r['queries']} "
                f"| {r['kb']:.0f} |"
            )
        else:
            print(f"| {who} | {label} | skipped (status {r['status']}) | | {r['queries']} | |")


if __name__ == "__main__":
    main()
