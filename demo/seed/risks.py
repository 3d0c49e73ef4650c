"""The demo's risk registers (DESIGN §13): about a third of the accounts keep one or two
risks — most moderate and being worked on, a few severe enough to raise the "Open high
risk" alert, one closed. Written through the services as the account's owner, the first
time only, each account from its own seeded generator."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts_app.models import Account
from plans import services
from plans.models import Risk

from .book import SEED

# (title, category, likelihood, impact, mitigation)
RISKS = [
    (
        "Executive sponsor retiring next spring",
        "relationship",
        3,
        4,
        "Introduce our CEO to the likely successor before the next review.",
    ),
    (
        "Competitor pilot in the second plant",
        "competitive",
        3,
        5,
        "Offer a joint efficiency study on line 2; meet the plant manager this quarter.",
    ),
    (
        "Budget freeze announced for H2",
        "financial",
        3,
        3,
        "Phase the proposal so the first stage fits the current budget.",
    ),
    (
        "Delivery slipping on the retrofit project",
        "delivery",
        3,
        4,
        "Weekly steering call with their project lead until the milestone is back on track.",
    ),
    (
        "Procurement pushing for a 10 % price cut at renewal",
        "commercial",
        4,
        3,
        "Quantify the value delivered this year for the renewal pack.",
    ),
    (
        "Reorganisation merging two business units",
        "organisational",
        2,
        4,
        "Map the new organisation chart with our champion.",
    ),
    (
        "Key user group unhappy with support response times",
        "delivery",
        3,
        3,
        "Named support engineer for their sites; monthly service report.",
    ),
]
SEVERE = ("Competitor pilot in the second plant", 4, 5)  # 20: raises the alert
SHARE = 3  # one account in three keeps a register


def seed_demo_risks(*, accounts: list[Account]) -> int:
    """Write the demo's risks once; returns how many were written."""
    ids = [a.pk for a in accounts]
    if Risk.objects.filter(account_id__in=ids).exists():
        return 0  # the registers are the users' now: a second run adds nothing
    today = timezone.localdate()
    written = 0
    for account in Account.objects.filter(pk__in=ids).select_related("owner").order_by("pk"):
        rng = random.Random(f"{SEED}-risks-{account.name}")
        if account.owner is None or rng.randrange(SHARE):
            continue
        for title, category, likelihood, impact, mitigation in rng.sample(
            RISKS, rng.choice((1, 2))
        ):
            if title == SEVERE[0] and rng.random() < 0.5:
                likelihood, impact = SEVERE[1], SEVERE[2]
            status = rng.choice((Risk.Status.OPEN, Risk.Status.MITIGATING, Risk.Status.MITIGATING))
            risk = services.risk_create(
                account=account,
                by=account.owner,
                title=title,
                category=category,
                likelihood=likelihood,
                impact=impact,
                owner=account.owner,
                mitigation=mitigation,
                due_date=today + timedelta(days=rng.randrange(-10, 90)),
                status=status,
            )
            written += 1
            if category == "commercial" and rng.random() < 0.3:
                services.risk_update(risk=risk, by=account.owner, status=Risk.Status.CLOSED)
    return written
