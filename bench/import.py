"""Imports at DESIGN §9 scale (issue 16): a file of 10,000 accounts and one of 100,000
contacts — dry run, apply, and the same files again (nothing to change) — each phase in
a process of its own so its peak memory is its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/strata_bench .venv/bin/python bench/import.py

Options: --accounts N (default 10,000), --contacts N (default 100,000; 0 times the
accounts alone), --keep (leave the imported rows; by default they are deleted at the
end). Run `manage.py seed_bench` first; the importer is an admin the script makes
(`bench-importer`).
"""

import argparse
import csv
import io
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PREFIX = "IMPB"


def accounts_file(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "External id",
            "Name",
            "Parent",
            "Industry",
            "Region",
            "Lifecycle stage",
            "Annual revenue",
            "Wallet estimate",
            "Gross margin %",
            "Strategic value",
            "Business units",
        ]
    )
    industries = ["Manufacturing", "Healthcare", "Retail", "Technology", "Energy & utilities"]
    regions = ["Western Europe", "Germany", "North America", "Asia Pacific", "Brazil"]
    for n in range(1, count + 1):
        parent = f"{PREFIX}-A{(n // 10) * 10:06d}" if n % 10 and n > 10 else ""
        writer.writerow(
            [
                f"{PREFIX}-A{n:06d}",
                f"Imported Account {n:06d}",
                parent,
                industries[n % 5],
                regions[n % 5],
                "Mature" if n % 3 else "development",
                f"{(n % 900) + 100}k",
                f"{(n % 50) + 2}M",
                f"{20 + n % 30}",
                1 + n % 5,
                "Sales; Service",
            ]
        )
    return out.getvalue().encode()


def contacts_file(count: int, accounts: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "External id",
            "Account",
            "First name",
            "Last name",
            "Title",
            "Email",
            "Reports to",
            "Level",
            "Buying role",
            "Attitude",
            "Business unit",
        ]
    )
    levels = ["Executive", "Senior", "Middle", "Operational"]
    roles = ["Decision maker", "recommender", "Influencer", "User", "None"]
    per = max(1, count // accounts)
    for n in range(1, count + 1):
        account = 1 + (n - 1) // per if (n - 1) // per < accounts else accounts
        first = (account - 1) * per + 1
        boss = f"{PREFIX}-C{first:07d}" if n != first else ""
        writer.writerow(
            [
                f"{PREFIX}-C{n:07d}",
                f"{PREFIX}-A{account:06d}",
                "Kim",
                f"Person {n}",
                "Manager",
                f"p{n}@imported.example",
                boss,
                levels[n % 4],
                roles[n % 5],
                "Neutral",
                "Sales" if n % 2 else "",
            ]
        )
    return out.getvalue().encode()


def phase(queue, name, kind, content, dry_run_id):
    """One job in this process: the dry run of `content`, or (given `dry_run_id`) the
    apply of that dry run, as a worker would run each."""
    import _setup  # noqa: F401 - Django, in the child

    from accounts_app.models import User
    from imports import engine, services
    from imports.models import ImportJob

    admin, _ = User.objects.get_or_create(
        username="bench-importer", defaults={"role": User.Role.ADMIN, "first_name": "Bench"}
    )
    started = time.perf_counter()
    if dry_run_id is None:
        job = services.import_start(
            by=admin, kind=kind, file_name=f"{name}.csv", content=content, queue=False
        )
    else:
        job = services.import_apply(job=ImportJob.objects.get(pk=dry_run_id), by=admin, queue=False)
    job = engine.run(job.pk)
    queue.put(
        {
            "phase": f"{name}: {'dry run' if dry_run_id is None else 'apply'}",
            "id": job.pk,
            "applicable": job.applicable,
            "rows": job.total_rows,
            "seconds": round(time.perf_counter() - started, 1),
            "created, updated, unchanged, bad": (
                job.created,
                job.updated,
                job.unchanged,
                job.error_count,
            ),
            "errors": job.errors[:3],
            "message": job.message,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    )


def child(name, kind, content, dry_run_id=None):
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=phase, args=(queue, name, kind, content, dry_run_id))
    process.start()
    result = queue.get()
    process.join()
    print(result, flush=True)
    return result


def run(name, kind, content):
    dry = child(name, kind, content)
    if dry["applicable"]:
        child(name, kind, b"", dry["id"])


def cleanup():
    import _setup  # noqa: F401
    from django.apps import apps
    from django.conf import settings

    from accounts_app.models import Account
    from core.history import is_tracked

    settings.SIMPLE_HISTORY_ENABLED = False  # the bench's rows go with no trace
    imported = list(
        Account.objects.filter(external_id__startswith=f"{PREFIX}-A").values_list("pk", flat=True)
    )
    Account.objects.filter(pk__in=imported).delete()
    # The bench's own rows leave no history behind either (runs would pile it up).
    for model in apps.get_models():
        if is_tracked(model):
            model.history.filter(history_account_id__in=imported).delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    multiprocessing.set_start_method("spawn")
    accounts = accounts_file(options.accounts)
    contacts = contacts_file(options.contacts, options.accounts)
    print(
        f"files: accounts {len(accounts) / 2**20:.1f} MB, contacts {len(contacts) / 2**20:.1f} MB"
    )
    run("accounts", "accounts", accounts)
    if options.contacts:
        run("contacts", "contacts", contacts)
    run("accounts again", "accounts", accounts)
    if options.contacts:
        run("contacts again", "contacts", contacts)
    if not options.keep:
        process = multiprocessing.Process(target=cleanup)
        process.start()
        process.join()


if __name__ == "__main__":
    main()
