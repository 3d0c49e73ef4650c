"""The demo's contracts (DESIGN §13): most accounts hold one or two — a service agreement
over three years, a parts framework over two — some ending within 120 days (their
renewal opportunities open as they are written, about half of them qualified by the
team already), a few renewed or ended before. Written
through the services as the account's owner, once per account, each from its own seeded
generator."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts_app.models import Account
from opportunities import contracts, services
from opportunities.models import Contract, QualificationCriterion

from .book import SEED

KINDS = [
    ("Service agreement", 3, 0.35, 90),  # name, years, share of the revenue, notice days
    ("Spare parts framework", 2, 0.15, 60),
    ("Automation support contract", 1, 0.10, 30),
]


def seed_demo_contracts(*, accounts: list[Account]) -> int:
    """Write the demo's contracts once per account; returns how many were written."""
    ids = [a.pk for a in accounts]
    have = set(Contract.objects.filter(account_id__in=ids).values_list("account_id", flat=True))
    today = timezone.localdate()
    written = 0
    for account in Account.objects.filter(pk__in=ids).select_related("owner").order_by("pk"):
        rng = random.Random(f"{SEED}-contracts-{account.name}")
        if account.pk in have or account.owner is None or rng.random() < 0.2:
            continue
        for name, years, share, notice in rng.sample(KINDS, rng.choice((1, 1, 2))):
            # Where in its term it is today: from just begun to a few weeks from the end.
            left = rng.randint(20, years * 365 - 30)
            end = today + timedelta(days=left)
            status = Contract.Status.ACTIVE
            if rng.random() < 0.1:  # one that already ran its course
                end, status = (
                    today - timedelta(days=rng.randint(30, 300)),
                    rng.choice((Contract.Status.RENEWED, Contract.Status.ENDED)),
                )
            value = Decimal(str(round(float(account.annual_revenue or 100_000) * share, -3)))
            contract = contracts.contract_create(
                account=account,
                by=account.owner,
                name=f"{name} {end.year - years}–{end.year}",
                annual_value=max(value, Decimal(10_000)),
                start_date=end - timedelta(days=years * 365),
                end_date=end,
                auto_renew=rng.random() < 0.3,
                notice_days=notice,
                status=status,
            )
            _renewal_worked(contract, account.owner)
            written += 1
    return written


def _renewal_worked(contract: Contract, owner) -> None:
    """About half the renewals opened are qualified already: the team answered yes to
    every question (the rest show as the 'renewal not qualified' alert)."""
    renewal = contract.renewal_opportunity
    rng = random.Random(f"{SEED}-renewal-{contract.account.name}-{contract.name}")
    if renewal is None or rng.random() < 0.5:
        return
    criteria = QualificationCriterion.objects.filter(active=True).values_list("pk", flat=True)
    services.qualification_set(opportunity=renewal, by=owner, answers=dict.fromkeys(criteria, 2))
