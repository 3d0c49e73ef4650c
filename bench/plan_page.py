"""Time the plan page of a big plan: 50 goals, 150 strategies, 500 tactics, with 12
knowledge points, 16 SWOT items, and a team of 10 covering 200 contacts (the target:
under 300 ms server time, a query count that does not depend on the number of items).

Run after `python manage.py seed_bench` against the same database:

    DATABASE_URL=postgres://... .venv/bin/python bench/plan_page.py [--repeat 20]

It creates the FY2027 plan of bench/account_page.py's "Bench Big Account" (200 contacts,
a team of 10; created too if missing) the first time (the same data on every run; run
again, it reuses them), then requests
the plan page in-process through Django's test client as the account's owner, whole and
as an htmx fragment of one list (a tactic list, as after a reorder), and prints the
median and 95th percentile time and the number of SQL queries of one request.
"""

import argparse
import random
import time
from datetime import timedelta

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from account_page import big_account  # noqa: E402 — the same big account
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts_app.models import (  # noqa: E402
    TeamMember,
)
from plans.models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic  # noqa: E402

PERIOD = 2027
GOALS, STRATEGIES, TACTICS = 50, 150, 500
STATUSES = ("open", "open", "in_progress", "done", "dropped")


def big_plan() -> Plan:
    """The benchmark plan, on bench/account_page.py's big account (200 contacts, a team
    of 10), created once (idempotent)."""
    account = big_account()
    plan = Plan.objects.filter(account=account, period=PERIOD).first()
    if plan is not None:
        tactics = Tactic.objects.filter(strategy__goal__plan=plan, deleted_at=None).count()
        if tactics == TACTICS:
            return plan
        print(f"{account.name} FY{PERIOD} has {tactics} tactics: building it again")
        plan.delete()
    users = list(
        TeamMember.objects.filter(account=account).order_by("pk").values_list("user_id", flat=True)
    )
    rng = random.Random(2027)
    today = timezone.localdate()
    with transaction.atomic():
        plan = Plan.objects.create(
            account=account,
            period=PERIOD,
            created_by_id=users[0],
            overview="The benchmark plan: big on purpose.",
            revenue_q1=2_900_000,
            revenue_q2=3_100_000,
            revenue_target=13_000_000,
            wallet_estimate=48_000_000,
            margin_target_pct=31,
        )
        points = KnowledgePoint.objects.bulk_create(
            [
                KnowledgePoint(plan=plan, kind=kind, text=f"{kind} {i}", position=i)
                for i, kind in enumerate(["goal", "initiative", "challenge"] * 4, start=1)
            ]
        )
        SwotItem.objects.bulk_create(
            [
                SwotItem(plan=plan, kind=kind, text=f"{kind} {i}", position=i)
                for i, kind in enumerate(["strength", "weakness", "opportunity", "threat"] * 4)
            ]
        )
        customer_goals = [p for p in points if p.kind == "goal"]
        goals = Goal.objects.bulk_create(
            [
                Goal(
                    plan=plan,
                    text=f"Goal {g}: grow the business in a way worth writing down",
                    position=g,
                    customer_goal=customer_goals[g % len(customer_goals)],
                )
                for g in range(GOALS)
            ]
        )
        strategies = Strategy.objects.bulk_create(
            [
                Strategy(goal=goals[s % GOALS], text=f"Strategy {s}", position=s)
                for s in range(STRATEGIES)
            ]
        )
        Tactic.objects.bulk_create(
            [
                Tactic(
                    strategy=strategies[t % STRATEGIES],
                    text=f"Tactic {t}: somebody does something useful",
                    position=t,
                    owner_id=rng.choice(users + [None]),
                    due_date=today + timedelta(days=rng.randint(-60, 200)),
                    status=rng.choice(STATUSES),
                )
                for t in range(TACTICS)
            ]
        )
    print(
        f"created {account.name} FY{PERIOD}: "
        f"{GOALS} goals, {STRATEGIES} strategies, {TACTICS} tactics"
    )
    return plan


def measure(client: Client, url: str, repeat: int, **extra):
    client.get(url, **extra)  # warm caches and connections
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, **extra)
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _setup.median_p95(timings)
    return median, p95, query_count, response.status_code, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed static names
    plan = big_plan()
    owner = plan.account.owner
    print(
        f"database: {connection.vendor}; {plan.account.name} FY{PERIOD} (plan id {plan.pk}): "
        f"{Goal.objects.filter(plan=plan).count()} goals, "
        f"{Strategy.objects.filter(goal__plan=plan).count()} strategies, "
        f"{Tactic.objects.filter(strategy__goal__plan=plan).count()} tactics"
    )
    client = Client()
    client.force_login(owner)
    strategy = Strategy.objects.filter(goal__plan=plan).order_by("pk").first()
    tactic_ids = ",".join(
        str(pk) for pk in strategy.tactics.filter(deleted_at=None).values_list("pk", flat=True)
    )
    rows = [
        ("Plan page (owner, editable)", reverse("plans:detail", args=[plan.pk]), {}),
        (
            "A tactic's form (htmx)",
            reverse("plans:item", args=[plan.pk, "tactic", strategy.tactics.first().pk]),
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    print(f"{'page':<36} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6} {'status':>6}")
    for label, url, extra in rows:
        median, p95, queries, status, size = measure(client, url, args.repeat, **extra)
        print(f"{label:<36} {median:>10.1f} {p95:>8.1f} {queries:>8} {size // 1024:>6} {status:>6}")
    # A reorder of one tactic list (same order each time: nothing changes in the data).
    url = reverse("plans:items_reorder", args=[plan.pk, "tactic"])
    data = {"ids": tactic_ids, "parent": strategy.pk}
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = _setup.median_p95(timings)
    label = "Reorder a tactic list (htmx POST)"
    print(f"{label:<36} {median:>10.1f} {p95:>8.1f} {'':>8} {'':>6} {response.status_code:>6}")


if __name__ == "__main__":
    main()
