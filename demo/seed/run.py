"""`seed_demo`'s run: the book drawn (`demo.seed.book`), the users, accounts and their
people written (`people`, `accounts`, with their dated history), today's snapshots and
six monthly past ones (`history`), then segmentation, plans, opportunities, scorecards
and surveys, reviews, risks, contracts and alerts, each the first time only. The data is
deterministic and the run idempotent: a second run creates nothing and changes nothing."""

import random
import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts_app.models import Account, AccountSnapshot
from core.jobs import recompute_batched
from insights.dashboards import portfolio_snapshot_refresh
from insights.snapshots import account_snapshot_refresh, account_snapshots_refresh

from . import accounts as writers
from .alerts import alerts_raise
from .book import SEED, account_names, build_plan
from .contracts import seed_demo_contracts
from .history import health_history_ensure, past_snapshots_ensure
from .imports import seed_demo_import
from .opportunities import seed_demo_opportunities
from .people import users_ensure
from .plans import plans_write
from .program import program_in_order
from .revenue import seed_demo_revenue
from .reviews import seed_demo_reviews
from .risks import seed_demo_risks
from .scorecards import seed_demo_scorecards
from .segmentation import segmentation_apply
from .tally import Tally

LABELS = [
    ("users", "users"),
    ("accounts", "accounts"),
    ("units", "business units"),
    ("contacts", "contacts"),
    ("team", "team members"),
    ("relationships", "relationships"),
    ("interactions", "interactions"),
]


def seed_demo(*, password_for: Callable[[str], str] | None = None) -> str:
    """Load the demo data set; returns the line that says what was written. Each
    account changed is recomputed once, after the whole run. A user created gets
    `password_for(username)` when given, else the documented demo password."""
    with recompute_batched():
        return _seed_demo(password_for)


def _seed_demo(password_for: Callable[[str], str] | None) -> str:
    started = time.monotonic()
    names = [row[0] for row in account_names()]
    first_created = Account.objects.filter(name__in=names).aggregate(first=Min("created_at"))
    anchor = (
        timezone.localdate(first_created["first"])
        if first_created["first"]
        else timezone.localdate()
    )
    book = build_plan(random.Random(SEED), anchor)

    tally = Tally()
    with transaction.atomic():
        users = users_ensure(tally, password_for=password_for)
        accounts = writers.accounts_ensure(book, users, tally)
        units = writers.units_ensure(book, accounts, tally)
        contacts = writers.contacts_ensure(book, accounts, units, tally)
        writers.team_ensure(book, accounts, users, tally)
        writers.relationships_ensure(book, accounts, contacts, users, tally)
        writers.interactions_ensure(book, accounts, contacts, users, tally)

    today = timezone.localdate()
    demo_ids = [accounts[a.name].pk for a in book]
    have_snapshot = set(
        AccountSnapshot.objects.filter(account_id__in=demo_ids, date=today).values_list(
            "account_id", flat=True
        )
    )
    refreshed = 0
    for account_id in demo_ids:
        if account_id in tally.touched or account_id not in have_snapshot:
            account_snapshot_refresh(account_id=account_id)
            refreshed += 1

    past_snapshots_ensure(account_ids=demo_ids, today=today)
    demo_accounts = [accounts[a.name] for a in book]
    segmented = segmentation_apply(users=users, accounts=demo_accounts)
    planned = plans_write(users=users, accounts=demo_accounts)
    in_order = program_in_order(users=users, accounts=demo_accounts)
    opportunities = seed_demo_opportunities(accounts=demo_accounts)
    scorecards = seed_demo_scorecards(accounts=demo_accounts, owners=[users["alice"], users["bob"]])
    revenue = seed_demo_revenue(accounts=demo_accounts)
    health_history_ensure(accounts=demo_accounts)
    held = seed_demo_reviews(
        accounts=list(
            Account.objects.filter(pk__in=[a.pk for a in demo_accounts]).select_related(
                "owner", "tier_assignment__tier"
            )
        )
    )
    risks = seed_demo_risks(accounts=demo_accounts)
    contracts = seed_demo_contracts(accounts=demo_accounts)
    # Today's figures of every demo account once more, now that its reviews, risks and
    # contracts are written (the reviews are written in bulk, past the services that
    # recompute), and the portfolio's from them: the renewals at stake count the contracts.
    if sum(tally.created.values()) or held or risks or contracts:  # a second run writes none
        account_snapshots_refresh(account_ids=demo_ids)
        portfolio_snapshot_refresh()
    alerts = alerts_raise(accounts=demo_accounts)
    imported = seed_demo_import(admin=users["admin"])

    elapsed = time.monotonic() - started
    created = tally.created
    labels = LABELS + (
        [("relinked", "interactions given back their participants")] if created["relinked"] else []
    )
    if sum(created.values()):
        made = ", ".join(f"{created[key]} {label}" for key, label in labels)
        message = f"seed_demo: created {made}; refreshed {refreshed} snapshots"
    else:
        message = (
            f"seed_demo: demo data already present, nothing created; "
            f"refreshed {refreshed} snapshots"
        )
    for count, text in (
        (segmented, "placed {} accounts in tiers"),
        (planned, "wrote {} account plans"),
        (in_order, "put {} more accounts in order with their tier (plan, sponsor)"),
        (opportunities, "wrote {} opportunities"),
        (scorecards, "wrote {} scorecards"),
        (revenue, "wrote {} months of revenue"),
        (held, "wrote {} business reviews"),
        (risks, "wrote {} risks"),
        (contracts, "wrote {} contracts"),
        (alerts, "raised {} alerts"),
        (imported, "ran {} import dry run (ready to apply)"),
    ):
        if count:
            message += "; " + text.format(count)
    return f"{message} in {elapsed:.1f} s."
