"""The opportunities of the demo (`manage.py seed_demo`): a catalogue of product lines,
a pipeline on every demo account (qualified to different degrees, some stalled, some won
or lost) and a whitespace matrix with sold and not-applicable cells. Written through the
services, the first time only, from a seeded random generator."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts_app.models import Account, BusinessUnit, TeamMember
from demo.factories import ProductLineFactory
from opportunities import services
from opportunities.models import Competitor, Opportunity, QualificationCriterion, Stage, StageChange

SEED = 606

PRODUCT_LINES = [
    ("Field service contracts", "Preventive and corrective maintenance, on site."),
    ("Spare parts & consumables", "Framework agreements for parts and consumables."),
    ("Automation systems", "Control systems, drives and their upgrades."),
    ("Energy management", "Audits, metering and efficiency retrofits."),
    ("Remote monitoring", "Connected equipment, dashboards and predictive alerts."),
    ("Training & consulting", "Operator training and process consulting."),
]

# (name, product line index or None, value range in thousands)
DEALS = [
    ("Plant-wide service contract", 0, (150, 900)),
    ("Predictive maintenance pilot", 4, (40, 160)),
    ("Spare parts framework agreement", 1, (80, 400)),
    ("Energy audit and retrofit", 3, (60, 350)),
    ("Operator training programme", 5, (15, 90)),
    ("Control system upgrade", 2, (200, 1200)),
    ("Remote monitoring roll-out", 4, (90, 500)),
    ("Consumables vendor consolidation", 1, (50, 250)),
    ("Process optimisation study", 5, (20, 120)),
    ("Multi-year support renewal", None, (100, 600)),
]


def _money(thousands: float) -> Decimal:
    return Decimal(int(thousands * 1000) // 500 * 500)


def seed_demo_opportunities(*, accounts: list[Account]) -> int:
    """The demo's pipeline and whitespace, unless the demo accounts have any already.
    Returns the number of opportunities written."""
    if Opportunity.objects.filter(account__in=accounts).exists():
        return 0
    services.ensure_defaults()
    lines = []
    for position, (name, description) in enumerate(PRODUCT_LINES, start=1):
        # The line of that name if the catalogue has it already.
        lines.append(ProductLineFactory(name=name, description=description, position=position))
    rivals = [Competitor.objects.get_or_create(name=n, defaults={"notes": d})[0] for n, d in RIVALS]
    stages = list(Stage.objects.order_by("position"))
    open_stages = [s for s in stages if s.outcome == Stage.Outcome.OPEN]
    closed = [s for s in stages if s.outcome != Stage.Outcome.OPEN]
    criteria = list(QualificationCriterion.objects.filter(active=True).order_by("position"))
    teams: dict[int, list] = {}
    for member in TeamMember.objects.filter(account__in=accounts).select_related("user"):
        teams.setdefault(member.account_id, []).append(member)
    units: dict[int, list] = {}
    for unit in BusinessUnit.objects.filter(account__in=accounts).order_by("name", "pk"):
        units.setdefault(unit.account_id, []).append(unit)
    today, now = timezone.localdate(), timezone.now()
    written = 0
    for account in sorted(accounts, key=lambda a: a.pk):
        team = teams.get(account.pk)
        if not team:
            continue
        rng = random.Random(SEED * 1009 + account.pk)
        owner = next((m.user for m in team if m.role == TeamMember.Role.OWNER), team[0].user)
        account_units = units.get(account.pk, [])
        scale = max(float(account.annual_revenue or 0) / 5_000_000, 0.3)
        for name, line_index, (low, high) in rng.sample(DEALS, rng.randint(2, 5)):
            stage = rng.choice(open_stages * 3 + closed)
            unit = rng.choice(account_units) if account_units and rng.random() < 0.85 else None
            member = rng.choice(team)
            fields = {
                "name": name if unit is None else f"{name} — {unit.name}",
                "value": _money(rng.uniform(low, high) * min(scale, 3)),
                "stage": stage,
                "close_date": today
                + timedelta(
                    days=rng.randint(10, 270)
                    if stage.outcome == Stage.Outcome.OPEN
                    else -rng.randint(5, 200)
                ),
                "owner": member.user,
                "product_line": lines[line_index] if line_index is not None else None,
                "business_unit": unit,
            }
            if rng.random() < 0.8:
                fields["effort_hours"] = Decimal(rng.choice([40, 80, 120, 200, 320, 480]))
                fields["gross_margin_pct"] = Decimal(rng.randint(18, 45))
            if rng.random() < 0.7:
                benefit = fields["value"] * Decimal(str(round(rng.uniform(0.3, 1.2), 2)))
                fields["customer_annual_benefit"] = benefit.quantize(Decimal(1))
                fields["customer_investment"] = fields["value"]
                fields["horizon_years"] = rng.choice([3, 3, 5, 5, 7])
            if stage.outcome == Stage.Outcome.LOST:
                fields.update(_loss(random.Random(f"{SEED}-loss-{account.pk}-{name}"), rivals))
            opportunity = services.opportunity_create(account=account, by=owner, **fields)
            # Further stages are better qualified; a third of the rest barely at all.
            depth = {Stage.Outcome.WON: 0.9, Stage.Outcome.LOST: 0.3}.get(
                stage.outcome, 0.9 * stage.position / len(open_stages)
            )
            answers = {
                c.pk: min(2, max(0, round(rng.gauss(0.4 + 1.6 * depth, 0.7))))
                for c in criteria
                if rng.random() < 0.5 + depth
            }
            if answers:
                services.qualification_set(opportunity=opportunity, by=owner, answers=answers)
            # Back-date when it entered its stage: a few open ones are stalled (the rule
            # says 45 days).
            entered = now - timedelta(days=rng.choice([2, 5, 9, 14, 20, 28, 35, 60]))
            Opportunity.objects.filter(pk=opportunity.pk).update(stage_changed_at=entered)
            StageChange.objects.filter(opportunity=opportunity).update(at=entered)
            written += 1
        _presences(random.Random(f"{SEED}-rivals-{account.pk}"), account, owner, rivals, lines)
        for unit in account_units:
            for line in lines:
                roll = rng.random()
                if roll >= 0.35:
                    continue  # whitespace
                services.whitespace_cell_set(
                    account=account,
                    product_line=line,
                    business_unit=unit,
                    state="sold" if roll < 0.25 else "not_applicable",
                    revenue=_money(rng.uniform(20, 400) * min(scale, 3)) if roll < 0.25 else None,
                    by=owner,
                )
    return written


RIVALS = [
    ("Northwind Automation", "Global automation vendor; strong in new plants."),
    ("Helix Industrial Services", "Regional service specialist; competes on price."),
    ("Vantor Systems", "Software-led; sells analytics to the customer's IT."),
    ("Kessler & Roth", "Engineering consultancy that bundles equipment."),
]
LOSS_REASONS = [
    "Price: they came in 12 % under our offer.",
    "Their installed base in the plant made switching look risky.",
    "We engaged too late: the specification was written around their product.",
    "Budget moved to another project; nothing was bought this year.",
]


def _loss(rng: random.Random, rivals: list) -> dict:
    """Who a demo deal was lost to, and why: most to a competitor, some to no decision."""
    if rng.random() < 0.25:
        return {"no_decision": True, "loss_reason": LOSS_REASONS[3]}
    return {"lost_to": rng.choice(rivals), "loss_reason": rng.choice(LOSS_REASONS[:3])}


def _presences(rng: random.Random, account, owner, rivals: list, lines: list) -> None:
    """Half the accounts have a competitor or two installed, some in one product line."""
    if rng.random() < 0.5:
        return
    for rival in rng.sample(rivals, rng.choice((1, 1, 2))):
        services.competitor_presence_add(
            account=account,
            by=owner,
            competitor=rival,
            product_line=rng.choice(lines) if rng.random() < 0.6 else None,
            notes="Installed base; contract renewed every two years.",
        )
