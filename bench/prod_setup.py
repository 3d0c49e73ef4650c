"""Prepare the DESIGN §9 database for bench/production.sh: tiers, alerts and the portfolio
once, and the users the load signs in as (a password set, their accounts listed).

Run with the production settings and the same environment as the web nodes:

    .venv/bin/python bench/prod_setup.py OUT/users.json

Idempotent: each step is skipped when its data is there. Writes a JSON file for the
locustfile: per role, the users (name, id) and, for team members, accounts they are on
with a contact each (where they log interactions).
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts_app.models import Contact, TeamMember, User  # noqa: E402
from scorecards.models import Alert, PortfolioSnapshot  # noqa: E402
from segmentation.models import SegmentationRun, TierAssignment  # noqa: E402

PASSWORD = os.environ.get("BENCH_PASSWORD", "strata-bench-load")
# How many distinct users of each role the load signs in as (the bench has 1 admin and
# 4 executives: users of those roles are shared by several simulated people).
WANTED = {"team_member": 30, "manager": 10, "executive": 4, "admin": 1}


def step(label: str, needed: bool, work) -> None:
    if not needed:
        print(f"prod_setup: {label}: already there")
        return
    started = time.monotonic()
    work()
    print(f"prod_setup: {label}: {time.monotonic() - started:.1f} s")


def tiers() -> None:
    from segmentation.services import segmentation_run_execute

    run = SegmentationRun.objects.create(dry_run=False)
    segmentation_run_execute(run_id=run.pk)


def alerts() -> None:
    from insights.alerts.evaluate import rules_evaluate

    rules_evaluate()


def portfolio() -> None:
    from insights.dashboards import portfolio_snapshot_refresh

    portfolio_snapshot_refresh()


def load_users() -> dict:
    bench = User.objects.filter(username__startswith="bench-user-", is_active=True)
    chosen = {
        "team_member": bench.filter(role=User.Role.TEAM_MEMBER, team_memberships__isnull=False),
        "manager": bench.filter(role=User.Role.MANAGER, reports__isnull=False),
        "executive": bench.filter(role=User.Role.EXECUTIVE),
        "admin": bench.filter(role=User.Role.ADMIN),
    }
    users = {}
    for role, queryset in chosen.items():
        picked = list(queryset.distinct().order_by("username")[: WANTED[role]])
        if not picked:
            sys.exit(f"prod_setup: no bench {role} found: run `manage.py seed_bench` first.")
        for user in picked:
            if not user.has_usable_password():  # seed_bench leaves none
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
        users[role] = [{"username": u.username, "id": u.pk} for u in picked]
    for member in users["team_member"]:
        account_ids = list(
            # Accounts they own: a sponsor's or a reader's seat does not write.
            TeamMember.objects.filter(user_id=member["id"], role=TeamMember.Role.OWNER)
            .order_by("account_id")
            .values_list("account_id", flat=True)[:5]
        )
        member["accounts"] = [
            {"id": account_id, "contact": contact}
            for account_id in account_ids
            if (
                contact := Contact.objects.filter(account_id=account_id)
                .values_list("pk", flat=True)
                .first()
            )
        ]
    return users


def main() -> None:
    out = Path(sys.argv[1])
    today = timezone.localdate()
    step("tiers (one applied segmentation run)", not TierAssignment.objects.exists(), tiers)
    step("alerts (every rule once)", not Alert.objects.exists(), alerts)
    step(
        "portfolio aggregates",
        not PortfolioSnapshot.objects.filter(date=today).exists(),
        portfolio,
    )
    # The planner's statistics of what the steps just wrote (tens of thousands of alerts):
    # a server with autovacuum off (this one's) would otherwise plan the inbox and the
    # dashboards for an empty alert table, and take seconds a page.
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"prod_setup: ANALYZE: {time.monotonic() - started:.1f} s")
    users = load_users()
    out.write_text(json.dumps({"password": PASSWORD, "users": users}, indent=1))
    print(f"prod_setup: {sum(len(v) for v in users.values())} load users in {out}")


if __name__ == "__main__":
    main()
