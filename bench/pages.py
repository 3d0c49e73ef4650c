"""Time Strata's main pages and API lists on the data set of DESIGN §9.

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py [--repeat 20]

Each URL is requested in-process through Django's test client (no network, no
server), as an admin who sees all 10,000 accounts and as a team member who sees a
few; it prints the median and 95th percentile time and the number of SQL queries.
"""

import argparse
import sys
import time

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts_app.models import Account, TeamMember, User  # noqa: E402


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches and connections
    timings = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: the log is cleared by the next request, and the count is read lazily.
    query_count = len(queries)
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _setup.median_p95(timings)
    return median, p95, query_count, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    accounts = Account.objects.count()
    print(f"database: {connection.vendor}, {accounts:,} accounts")
    admin = (
        User.objects.filter(is_superuser=True).first()
        or User.objects.filter(role=User.Role.ADMIN).first()
    )
    member = (
        User.objects.filter(role=User.Role.TEAM_MEMBER, team_memberships__isnull=False)
        .order_by("username")
        .first()
    )
    manager = (
        User.objects.filter(role=User.Role.MANAGER, reports__isnull=False)
        .order_by("username")
        .first()
    )
    if admin is None or member is None or manager is None:
        sys.exit("No admin or team member found: run `manage.py seed_bench` first.")
    big = (
        Account.objects.filter(team_members__user=member).order_by("-annual_revenue").first()
        or Account.objects.first()
    )
    assert TeamMember.objects.filter(account=big, user=member).exists()

    pages = [
        ("home (Today)", "/"),
        ("alerts inbox", "/alerts/"),
        ("accounts list, page 1", "/accounts/"),
        ("accounts list, page 200, sorted by revenue", "/accounts/?sort=-revenue&page=200"),
        ("accounts list, search", "/accounts/?q=99"),
        ("account overview", f"/accounts/{big.pk}/"),
        ("account contacts tab", f"/accounts/{big.pk}/contacts/"),
        ("account team tab", f"/accounts/{big.pk}/team/"),
        ("account tier tab", f"/accounts/{big.pk}/tier/"),
        ("account plan tab", f"/accounts/{big.pk}/plan/"),
        ("account one-pager PDF", f"/accounts/{big.pk}/one-pager.pdf"),
        ("API accounts list", "/api/v1/accounts/"),
        ("API contacts of one account", f"/api/v1/contacts/?account={big.pk}"),
        ("API relationships of one account", f"/api/v1/relationships/?account={big.pk}"),
        ("segmentation portfolio", "/segmentation/"),
    ]
    # Their cost grows with the accounts a user sees, so every role times them.
    every_role = {url for label, url in pages if "list" in label} | {
        "/segmentation/",
        "/",
        "/alerts/",
    }
    print(f"{'as':<8} {'page':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>6}")
    for who, user in (("admin", admin), ("manager", manager), ("member", member)):
        client = Client()
        client.force_login(user)
        seen = Account.objects.visible_to(user).count()
        print(f"-- {who} ({user.username}) sees {seen:,} accounts")
        for label, url in pages:
            if who != "member" and url not in every_role:
                continue  # the per-account pages cost the same whoever opens them
            median, p95, queries, status = measure(client, url, args.repeat)
            print(f"{who:<8} {label:<44} {median:>10.1f} {p95:>8.1f} {queries:>8} {status:>6}")


if __name__ == "__main__":
    main()
