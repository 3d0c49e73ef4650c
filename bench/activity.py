"""Time the Activity tab of an account whose history holds 10,000 entries (the target:
under 300 ms server time on PostgreSQL), and the history API's first page.

    DATABASE_URL=postgres://... .venv/bin/python bench/activity.py [--repeat 20]

Runs on the bench database (after `seed_bench`, whose other accounts' history is the
haystack) or on an empty migrated one. The first time it creates "Bench Activity
Account" with 1,000 contacts and 9,000 later versions of them written straight into
the history table, dated over the past year (the same data on every run: a seeded
generator); run again, it reuses them. It prints the median and 95th percentile time
and the number of SQL queries of one request, for the first page, a page far back and
a filtered page.
"""

import argparse
import datetime as dt
import random

import _setup  # noqa: E402, I001 — sets Django up; first of the project's imports
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts_app.models import Account, Contact, TeamMember, User  # noqa: E402
from core import history  # noqa: E402
from demo.factories import industry_entry, region_entry  # noqa: E402

NAME = "Bench Activity Account"
CONTACTS = 1_000
VERSIONS = 9_000
ATTITUDES = [c for c, _ in Contact.Attitude.choices]


@transaction.atomic
def ensure_account() -> tuple[Account, User]:
    owner, _ = User.objects.get_or_create(
        username="bench-activity-owner", defaults={"first_name": "Ari", "last_name": "Bench"}
    )
    account = Account.objects.filter(name=NAME).first()
    if account:
        return account, owner
    rng = random.Random(2026)
    account = Account.objects.create(
        name=NAME, owner=owner, industry=industry_entry(), region=region_entry()
    )
    TeamMember.objects.create(account=account, user=owner, role=TeamMember.Role.OWNER)
    start = timezone.now() - dt.timedelta(days=365)
    contacts = history.bulk_create(
        Contact,
        [Contact(account=account, name=f"Contact {n:04d}") for n in range(CONTACTS)],
        by=owner,
        at=start,
    )
    table = Contact.history.model
    fields = [f.attname for f in table.tracked_fields]
    rows = []
    for n in range(VERSIONS):
        contact = contacts[n % CONTACTS]
        contact.attitude = rng.choice(ATTITUDES)
        rows.append(
            table(
                history_date=start + dt.timedelta(minutes=55 * (n + 1)),
                history_type="~",
                history_user=owner,
                history_account_id=account.pk,
                **{name: getattr(contact, name) for name in fields},
            )
        )
    table.objects.bulk_create(rows, batch_size=2000)
    return account, owner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    account, owner = ensure_account()
    client = Client()
    client.force_login(owner)
    tab = f"/accounts/{account.pk}/activity/"
    for label, url in (
        ("tab, first page", tab),
        ("tab, htmx", tab),
        ("tab, page 200", f"{tab}?page=200"),
        ("tab, one person, a month", f"{tab}?user={owner.pk}&since=2026-01-01&until=2026-01-31"),
        ("API, first page", f"/api/v1/accounts/{account.pk}/history/"),
    ):
        if label == "tab, htmx":
            client.defaults["HTTP_HX_REQUEST"] = "true"
        result = _setup.get_timed(client, url, args.repeat)
        client.defaults.pop("HTTP_HX_REQUEST", None)
        print(
            f"{label:28} {result['status']}  {result['queries']:3} queries  "
            f"median {result.get('median', 0):6.1f} ms  p95 {result.get('p95', 0):6.1f} ms"
        )


if __name__ == "__main__":
    main()
