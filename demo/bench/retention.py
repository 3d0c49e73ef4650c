"""The retention data of ``seed_bench`` (issue 20, DESIGN §13): contracts, 36 whole months
of revenue and risk registers for the bench accounts.

**Contracts** (about 10,000 at 10,000 accounts): a fifth of the accounts hold none, most
one, some two or three, named ``Bench Contract 00001-1 …``: service agreements and
managed operations over three years, parts frameworks over two, support contracts and
software subscriptions over one, each worth a share of the account's revenue. A quarter
ended within the last year (renewed, ended or cancelled); the rest end within the next
three years, nearly all active (a few cancelled), so about one in twelve ends within
STRATA_RENEWAL_LEAD_DAYS (120) of the run day. About a third renew automatically; those
and half of the others have a notice period (30 to 180 days). No renewal opportunity is
opened here: the daily job (``opportunities.contracts.renewals_open``) opens those due
on its first run — what bench/retention.py times.

**Revenue**: 36 whole months per account (360,000 rows), up to last month, the last
twelve adding up to the account's stored annual revenue to the cent, so the recompute
(which takes an account's annual revenue from its history) leaves it as it is. The
years before follow a growth of the account's own, drawn around its lifecycle stage
(acquisition accounts grow fast, declining ones shrink), with a little seasonality; a
few accounts started buying within the three years (months of 0 before), a few stopped
within the last year (months of 0 since), so NRR and GRR differ by tier.

**Risks**: about a third of the accounts keep a register of one to six risks (the demo's
titles), owned by the account's team, open, being mitigated or closed.

Each kind is drawn from the account's own generator (seeded from ``--seed`` and its
number), and written for the accounts that hold none of it yet, a chunk of accounts per
transaction, with their history rows (core.history); a second run adds nothing. Today's
snapshots of the accounts given revenue are then recomputed by the nightly job's code
(their trailing twelve months and year-on-year growth).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import reset_queries, transaction

from accounts_app.models import Account, LifecycleStage, RevenueEntry
from accounts_app.revenue import month_start
from core import history
from demo.seed.risks import RISKS
from insights.snapshots import account_snapshots_refresh
from opportunities.models import Contract
from plans.models import Risk
from plans.risk_register import risk_score

from .opportunities import team_user_ids
from .progress import BenchRun

CONTRACT_PREFIX = "Bench Contract "
REVENUE_MONTHS = 36
CONTRACT_COUNTS, CONTRACT_COUNT_WEIGHTS = (0, 1, 2, 3), (20, 62, 14, 4)
# name, years, share of the account's revenue, notice periods (days) it may have
CONTRACT_KINDS = [
    ("Service agreement", 3, 0.35, (90, 180)),
    ("Managed operations", 3, 0.30, (180,)),
    ("Spare parts framework", 2, 0.15, (60, 90)),
    ("Automation support contract", 1, 0.10, (30, 60)),
    ("Software subscription", 1, 0.08, (30,)),
]
ENDED_SHARE = 0.25  # ended within the last year; the others end within three years
AUTO_RENEW_SHARE = 0.35
PAST_STATUSES = (Contract.Status.RENEWED, Contract.Status.ENDED, Contract.Status.CANCELLED)
PAST_STATUS_WEIGHTS = (50, 40, 10)
CANCELLED_AHEAD = 0.05
# Yearly revenue growth by lifecycle stage (mean, spread); the share of accounts that
# started buying within the three years, and that stopped within the last year.
GROWTH = {
    LifecycleStage.ACQUISITION: (0.30, 0.20),
    LifecycleStage.DEVELOPMENT: (0.14, 0.10),
    LifecycleStage.MATURE: (0.05, 0.06),
    LifecycleStage.AT_RISK: (-0.10, 0.10),
    LifecycleStage.DECLINING: (-0.18, 0.10),
}
STARTED = {LifecycleStage.ACQUISITION: 0.5, LifecycleStage.DEVELOPMENT: 0.08}
STOPPED = {LifecycleStage.AT_RISK: 0.08, LifecycleStage.DECLINING: 0.12}
SEASON = [1 + 0.12 * (m % 3 == 2) - 0.04 for m in range(12)]  # quarter ends sell more
RISK_SHARE = 0.33
RISK_COUNTS = (1, 1, 2, 2, 3, 4, 6)
RISK_STATUSES = (Risk.Status.OPEN, Risk.Status.MITIGATING, Risk.Status.CLOSED)
RISK_STATUS_WEIGHTS = (40, 40, 20)
LEVELS = (1, 2, 3, 4, 5)
LEVEL_WEIGHTS = (10, 25, 35, 20, 10)


def contract_name(number: int, index: int, kind: str, start: date, end: date) -> str:
    return f"{CONTRACT_PREFIX}{number:05d}-{index} {kind} {start.year}–{end.year}"


def plan_contracts(
    rng: random.Random, *, number: int, account_id: int, revenue: Decimal, today: date
) -> list[Contract]:
    """Bench account `number`'s contracts (none for about a fifth)."""
    count = rng.choices(CONTRACT_COUNTS, weights=CONTRACT_COUNT_WEIGHTS)[0]
    contracts = []
    for index, (kind, years, share, notices) in enumerate(
        rng.sample(CONTRACT_KINDS, count), start=1
    ):
        if rng.random() < ENDED_SHARE:
            end = today - timedelta(days=rng.randint(1, 365))
            status = rng.choices(PAST_STATUSES, weights=PAST_STATUS_WEIGHTS)[0]
        else:
            end = today + timedelta(days=rng.randint(0, 3 * 365))
            cancelled = rng.random() < CANCELLED_AHEAD
            status = Contract.Status.CANCELLED if cancelled else Contract.Status.ACTIVE
        start = end - timedelta(days=years * 365)
        auto_renew = rng.random() < AUTO_RENEW_SHARE
        notice = rng.choice(notices) if auto_renew or rng.random() < 0.5 else 0
        value = round(float(revenue) * share * rng.uniform(0.8, 1.2), -3)
        contracts.append(
            Contract(
                account_id=account_id,
                name=contract_name(number, index, kind, start, end),
                annual_value=Decimal(int(max(value, 5_000))),
                start_date=start,
                end_date=end,
                auto_renew=auto_renew,
                notice_days=notice,
                status=status,
            )
        )
    return contracts


def plan_revenue(
    rng: random.Random, *, account_id: int, revenue: Decimal, stage: str, today: date
) -> list[RevenueEntry]:
    """Bench account `account_id`'s 36 months up to last month, the last twelve adding up
    to `revenue` exactly."""
    mean, spread = GROWTH.get(stage, (0.03, 0.08))
    growth = min(max(rng.gauss(mean, spread), -0.6), 1.5)
    first = REVENUE_MONTHS  # months back of the first month billed (1: last month)
    last = 1  # months back of the last month billed
    if rng.random() < STARTED.get(stage, 0.02):
        first = rng.randint(6, 30)
    elif rng.random() < STOPPED.get(stage, 0.01):
        last = rng.randint(2, 11)
    raw = {}
    for back in range(REVENUE_MONTHS, 0, -1):
        month = month_start(today, back)
        billed = last <= back <= first
        trend = (1 + growth) ** (-(back - 6.5) / 12)
        noise = rng.uniform(0.93, 1.07)
        raw[month] = trend * SEASON[month.month - 1] * noise if billed else 0.0
    later = [month_start(today, back) for back in range(12, 0, -1)]
    scale = float(revenue) / sum(raw[m] for m in later)
    amounts = {m: Decimal(f"{value * scale:.2f}") for m, value in raw.items()}
    # The biggest month of the last twelve takes the rounding: they add up to `revenue`.
    biggest = max(later, key=lambda m: amounts[m])
    amounts[biggest] += Decimal(revenue) - sum(amounts[m] for m in later)
    return [RevenueEntry(account_id=account_id, month=m, amount=a) for m, a in amounts.items()]


def plan_risks(rng: random.Random, *, account_id: int, team: list[int], today: date) -> list[Risk]:
    """Bench account `account_id`'s risk register (empty for about two thirds)."""
    if rng.random() >= RISK_SHARE:
        return []
    risks = []
    for _ in range(rng.choice(RISK_COUNTS)):
        title, category, _, _, mitigation = rng.choice(RISKS)
        likelihood = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        impact = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        risks.append(
            Risk(
                account_id=account_id,
                title=title,
                category=category,
                likelihood=likelihood,
                impact=impact,
                score=risk_score(likelihood, impact),  # what Risk.save() keeps
                owner_id=rng.choice(team) if team and rng.random() < 0.9 else None,
                mitigation=mitigation,
                due_date=today + timedelta(days=rng.randint(-30, 120))
                if rng.random() < 0.85
                else None,
                status=rng.choices(RISK_STATUSES, weights=RISK_STATUS_WEIGHTS)[0],
            )
        )
    return risks


def _holding(model, account_ids) -> set[int]:
    return set(
        model.objects.filter(account_id__in=account_ids)
        .order_by()
        .values_list("account_id", flat=True)
        .distinct()
    )


def seed_retention(run: BenchRun, *, account_pks: dict[int, int], chunk: int) -> int:
    """Give every bench account of `account_pks` ({number: pk}) that holds none yet its
    contracts, its 36 months of revenue and its risks. Returns the rows added."""
    with run.phase("retention (generate)"):
        ids = list(account_pks.values())
        holding = {
            "contracts": _holding(Contract, ids),
            "revenue": _holding(RevenueEntry, ids),
            "risks": _holding(Risk, ids),
        }
        numbers = [
            n
            for n, pk in sorted(account_pks.items())
            if any(pk not in held for held in holding.values())
        ]
    added = 0
    for start in range(0, len(numbers), max(1, chunk)):
        part = numbers[start : start + chunk]
        with transaction.atomic():
            written, revenue_ids = _write_chunk(run, part, account_pks, holding)
        added += written
        if revenue_ids:
            with run.phase("snapshots (revenue)"):
                run.created["snapshots recomputed"] += len(
                    account_snapshots_refresh(account_ids=revenue_ids, on=run.today)
                )
        reset_queries()  # DEBUG keeps every query's SQL otherwise
    return added


def _write_chunk(run, numbers, account_pks, have) -> tuple[int, list[int]]:
    with run.phase("retention (generate)"):
        ids = [account_pks[n] for n in numbers]
        accounts = {
            pk: (revenue, stage)
            for pk, revenue, stage in Account.objects.filter(pk__in=ids).values_list(
                "pk", "annual_revenue", "lifecycle_stage"
            )
        }
        teams = team_user_ids(ids)
        contracts, entries, risks, revenue_ids = [], [], [], []
        for number in numbers:
            pk = account_pks[number]
            revenue, stage = accounts[pk]
            if not revenue:
                continue
            if pk not in have["contracts"]:
                rng = random.Random(run.seed * 10_000_141 + number)
                contracts += plan_contracts(
                    rng, number=number, account_id=pk, revenue=revenue, today=run.today
                )
            if pk not in have["revenue"]:
                rng = random.Random(run.seed * 10_000_169 + number)
                entries += plan_revenue(
                    rng, account_id=pk, revenue=revenue, stage=stage, today=run.today
                )
                revenue_ids.append(pk)
            if pk not in have["risks"]:
                rng = random.Random(run.seed * 10_000_189 + number)
                risks += plan_risks(rng, account_id=pk, team=teams[pk], today=run.today)

    with run.phase("contracts"):
        history.bulk_create(Contract, contracts, batch_size=run.batch)
        run.created["contracts"] += len(contracts)
    with run.phase("revenue months"):
        history.bulk_create(RevenueEntry, entries, batch_size=run.batch)
        run.created["revenue months"] += len(entries)
    with run.phase("risks"):
        history.bulk_create(Risk, risks, batch_size=run.batch)
        run.created["risks"] += len(risks)
    return len(contracts) + len(entries) + len(risks), revenue_ids
