"""Time the dashboards on the data set of DESIGN §9 (issue 7's targets: the manager's
dashboard over about 500 accounts under 200 ms server time, the executive's portfolio
over 10,000 accounts under 300 ms, with query counts that do not depend on the number of
accounts).

Run after `python manage.py seed_bench` (and `bench/recompute.py`, or the nightly job)
against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboards.py [--repeat 20]

Each URL is requested in-process through Django's test client (no network, no server);
one warm-up request, then `--repeat` timed ones. `/dashboards/` is timed as the bench
manager whose dashboard holds the number of accounts closest to 500 (the bench managers
see 1,300 to 1,500 accounts each: the nearest is said so), as the manager and tier
filter (`?tier=`) whose accounts are closest to 500 (once segmentation has run), as the
manager with the most accounts, a team member and the admin (every account); the
executive portfolio as an executive (bench-user-0002; the portfolio aggregates are
computed first if none exist); an account's Health tab and the health API as a member
of its team. Then every
bench manager's and a few members' dashboards are requested once to show that the query
count is the same whatever the number of accounts. It prints a markdown table: median
and 95th percentile time, the SQL queries of one request (session and user lookups
included), the status and the size of the response.
"""

import argparse
import sys
import time

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts_app.models import Account, TeamMember, User  # noqa: E402
from insights.dashboards import dashboard_accounts, portfolio_snapshot_refresh
from scorecards.models import PortfolioSnapshot, Scorecard  # noqa: E402
from segmentation.models import TierAssignment  # noqa: E402

BENCH_USER = "bench-user-"
MANAGER_TARGET = 500


def bench_users(role: str):
    return User.objects.filter(role=role, username__startswith=BENCH_USER, is_active=True).order_by(
        "username"
    )


def dashboard_size(user: User) -> int:
    return dashboard_accounts(user=user).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    print(
        f"database: {connection.vendor}, {Account.objects.count():,} accounts "
        f"({TierAssignment.objects.count():,} in tiers), {Scorecard.objects.count():,} "
        "scorecards"
    )
    admin = User.objects.filter(username=f"{BENCH_USER}0001").first()
    executive = User.objects.filter(username=f"{BENCH_USER}0002").first()
    managers = sorted(
        ((dashboard_size(m), m) for m in bench_users(User.Role.MANAGER)),
        key=lambda pair: (pair[0], pair[1].username),
    )
    members = [
        m for m in bench_users(User.Role.TEAM_MEMBER).filter(team_memberships__isnull=False)[:200]
    ]
    if not (admin and executive and managers and members):
        sys.exit("No bench admin, executive, manager or team member: run `seed_bench` first.")
    near = min(managers, key=lambda pair: (abs(pair[0] - MANAGER_TARGET), pair[1].username))
    most = managers[-1]
    member = members[0]
    print(
        f"bench managers' dashboards hold {managers[0][0]:,} to {most[0]:,} accounts; "
        f"the nearest to {MANAGER_TARGET}: {near[1].username} with {near[0]:,}"
        + ("" if abs(near[0] - MANAGER_TARGET) <= 50 else f" (none is near {MANAGER_TARGET})")
    )
    if not PortfolioSnapshot.objects.exists():
        started = time.perf_counter()
        portfolio_snapshot_refresh()
        print(f"no portfolio aggregates yet: computed in {time.perf_counter() - started:.2f} s")
    # The largest account the member is on (all have the same scorecard history).
    account = (
        Account.objects.filter(team_members__user=member).order_by("-annual_revenue", "pk").first()
    )
    assert TeamMember.objects.filter(account=account, user=member).exists()

    plan = [
        (f"manager nearest {MANAGER_TARGET} ({near[0]:,} accounts)", near[1], "/dashboards/"),
        (f"manager with the most ({most[0]:,} accounts)", most[1], "/dashboards/"),
        (f"team member ({dashboard_size(member):,} accounts)", member, "/dashboards/"),
        (f"admin ({dashboard_size(admin):,} accounts)", admin, "/dashboards/"),
        (
            f"admin ({dashboard_size(admin):,} accounts)",
            admin,
            "/dashboards/?sort=pipeline&page=50",
        ),
        ("executive (every account)", executive, "/dashboards/portfolio/"),
        ("team member", member, f"/accounts/{account.pk}/health/"),
        ("team member", member, f"/api/v1/accounts/{account.pk}/health/"),
    ]
    # No bench manager sees about 500 accounts; one filtered to a tier often does.
    tiered = [
        (row["n"], manager, row["tier_assignment__tier_id"], row["tier_assignment__tier__name"])
        for _size, manager in managers
        for row in dashboard_accounts(user=manager)
        .filter(tier_assignment__isnull=False)
        .order_by()
        .values("tier_assignment__tier_id", "tier_assignment__tier__name")
        .annotate(n=Count("pk"))
    ]
    if tiered:
        n, manager, tier_id, tier_name = min(
            tiered, key=lambda t: (abs(t[0] - MANAGER_TARGET), t[1].username, t[2])
        )
        print(f"nearest to {MANAGER_TARGET} with a filter: {manager.username}, {tier_name}: {n:,}")
        plan.insert(
            1,
            (
                f"manager {manager.username[-4:]}, filtered to {tier_name} ({n:,} accounts)",
                manager,
                f"/dashboards/?tier={tier_id}",
            ),
        )

    rows = []
    for who, user, url in plan:
        client = Client()
        client.force_login(user)
        result = _setup.get_timed(client, url, args.repeat)
        rows.append((who, url, result))
        if result["status"] == 200:
            print(
                f"   {who:<42} {url:<40} {result['median']:>7.1f} {result['p95']:>7.1f} ms "
                f"{result['queries']:>3} queries {result['kb']:>6.0f} KB"
            )
        else:
            print(f"   {who:<42} {url:<40} status {result['status']}")

    print()
    print("| as | request | median ms | p95 ms | queries | KB |")
    print("|---|---|---:|---:|---:|---:|")
    for who, url, r in rows:
        if r["status"] == 200:
            print(
                f"| {who} | `{url}` | {r['median']:.0f} | {r['p95']:.0f} | {r['queries']} "
                f"| {r['kb']:.0f} |"
            )
        else:
            print(f"| {who} | `{url}` | status {r['status']} | | {r['queries']} | |")

    # The same page for users with different numbers of accounts: the same queries.
    print()
    print("`/dashboards/`, one request each after a warm-up (accounts → queries):")
    counts = {}
    for size, user in [*managers, *[(dashboard_size(m), m) for m in members[:5]], (None, admin)]:
        client = Client()
        client.force_login(user)
        result = _setup.get_timed(client, "/dashboards/", 0)
        size = dashboard_size(user) if size is None else size
        counts.setdefault(result["queries"], []).append((size, user.username))
    for queries, users in sorted(counts.items()):
        sizes = sorted(size for size, _ in users)
        print(
            f"   {queries} queries: {len(users)} users with {sizes[0]:,} to {sizes[-1]:,} accounts"
        )


if __name__ == "__main__":
    main()
