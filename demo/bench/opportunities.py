"""The opportunities of ``seed_bench`` (DESIGN §9: 50,000 at 10,000 accounts).

Every bench account gets ``--opportunities-per-account`` opportunities (5 by default),
named ``Bench Opportunity 00001-1 …``, each with one stage change (its creation), and
about 60 % of them answers to some qualification criteria (with the score change the
answers made). Stages and criteria are the installation's (``ensure_defaults()`` first);
product lines are a bench catalogue of eight, ``Bench Line 1`` … ``Bench Line 8``,
created when missing. The stored figures (qualification score, weighted value, ROE) are
computed with ``opportunities.formulas`` exactly as ``opportunities.services`` does: an
opportunity nobody qualified yet scores 0 over the active criteria, as one created by
``opportunity_create``.

Opportunities are drawn from each account's own random generator (seeded from ``--seed``
and the account's number, apart from the account's own), from the account's team and
business units as stored (in insertion order, so a fresh run and a top-up draw the same
data). An account's opportunity *k* does not depend on how many are asked for, so
raising ``--opportunities-per-account`` adds the missing ones and a second run adds
nothing. Each chunk of accounts is written in one transaction.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from accounts_app.models import BusinessUnit, TeamMember
from demo.factories import (
    OpportunityFactory,
    ProductLineFactory,
    QualificationAnswerFactory,
    ScoreChangeFactory,
    StageChangeFactory,
)
from opportunities import formulas, services
from opportunities.models import (
    Opportunity,
    ProductLine,
    QualificationAnswer,
    ScoreChange,
    Stage,
    StageChange,
)

OPPORTUNITY_PREFIX = "Bench Opportunity "
PRODUCT_LINE_PREFIX = "Bench Line "
PRODUCT_LINES = 8
KINDS = ("renewal", "expansion", "new project", "pilot", "upgrade", "services", "migration")
# How often a stage of each outcome is drawn, per stage: with the default stages about
# 80 % of the opportunities are open, 10 % won, 10 % lost.
OUTCOME_WEIGHTS = {Stage.Outcome.OPEN: 3, Stage.Outcome.WON: 2, Stage.Outcome.LOST: 2}
ANSWERED_SHARE = 0.6
STAGE_AGE_DAYS = 180


def opportunity_name(number: int, index: int, kind: str) -> str:
    return f"{OPPORTUNITY_PREFIX}{number:05d}-{index} {kind}"


@dataclass
class Catalogue:
    """What every bench opportunity is drawn from, read once per run."""

    stages: list[Stage]
    stage_weights: list[int]
    product_line_ids: list[int]
    criteria: list[formulas.Criterion]
    active_criteria: list[int]
    unanswered_score: Decimal | None
    hourly_cost_rate: Decimal


def ensure_product_lines() -> list[int]:
    names = [f"{PRODUCT_LINE_PREFIX}{n}" for n in range(1, PRODUCT_LINES + 1)]
    found = dict(ProductLine.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [
        ProductLineFactory.build(
            name=name, description="Benchmark data (seed_bench).", position=100 + n
        )
        for n, name in enumerate(names, start=1)
        if name not in found
    ]
    for line in ProductLine.objects.bulk_create(missing):
        found[line.name] = line.pk
    return [found[name] for name in names]


def catalogue() -> Catalogue:
    services.ensure_defaults()
    stages = list(Stage.objects.order_by("position"))
    # The services' own list of criteria (weights and active flags), so the stored
    # scores are the ones opportunity_create and qualification_set would store.
    criteria = services._criteria()
    return Catalogue(
        stages=stages,
        stage_weights=[OUTCOME_WEIGHTS.get(s.outcome, 1) for s in stages],
        product_line_ids=ensure_product_lines(),
        criteria=criteria,
        active_criteria=[c.key for c in criteria if c.active],
        unanswered_score=formulas.qualification_score(criteria, {}),
        hourly_cost_rate=Decimal(settings.STRATA_HOURLY_COST_RATE),
    )


def team_user_ids(account_ids) -> defaultdict[int, list[int]]:
    """{account id: its team members' user ids, in the order they were added}."""
    teams = defaultdict(list)
    for account_id, user_id in (
        TeamMember.objects.filter(account_id__in=account_ids)
        .order_by("account_id", "pk")
        .values_list("account_id", "user_id")
    ):
        teams[account_id].append(user_id)
    return teams


def plan_opportunities(
    *,
    rng: random.Random,
    number: int,
    account_id: int,
    team: list[int],
    units: list[int],
    count: int,
    cat: Catalogue,
    now,
) -> list[tuple[Opportunity, dict[int, int]]]:
    """Bench account `number`'s first `count` opportunities, with their answers
    ({criterion id: 0..2}). `team` (user ids) and `units` (business unit ids) are in
    insertion order; every draw of opportunity k comes after those of 1…k−1."""
    today = timezone.localdate(now)
    planned = []
    for index in range(1, count + 1):
        stage = rng.choices(cat.stages, weights=cat.stage_weights)[0]
        value = Decimal(int(min(max(80_000 * rng.lognormvariate(0, 1.1), 2_000), 25_000_000)))
        probability = stage.default_probability
        if rng.random() < 0.05:
            close_date = None
        elif stage.outcome == Stage.Outcome.OPEN:
            close_date = today + timedelta(days=rng.randint(7, 400))
        else:
            close_date = today - timedelta(days=rng.randint(0, 365))
        owner = rng.choice(team) if team else None
        product_line = rng.choice(cat.product_line_ids) if rng.random() < 0.85 else None
        business_unit = rng.choice(units) if units and rng.random() < 0.7 else None
        effort = Decimal(f"{rng.uniform(4, 400):.1f}") if rng.random() < 0.9 else None
        margin = Decimal(f"{min(max(rng.gauss(32, 9), 3), 75):.2f}") if rng.random() < 0.9 else None
        if rng.random() < 0.7:
            benefit = Decimal(int(value * Decimal(f"{rng.uniform(0.1, 1.5):.3f}")))
            investment = Decimal(int(value * Decimal(f"{rng.uniform(0.8, 1.3):.3f}")))
        else:
            benefit = investment = None
        horizon = rng.choice((1, 2, 3, 3, 5, 5, 7, 10)) if rng.random() < 0.75 else None
        changed = now - timedelta(seconds=rng.randrange(STAGE_AGE_DAYS * 86_400))
        answers = {}
        if cat.active_criteria and rng.random() < ANSWERED_SHARE:
            asked = rng.sample(cat.active_criteria, rng.randint(1, len(cat.active_criteria)))
            answers = {key: rng.choices((0, 1, 2), weights=(3, 4, 5))[0] for key in asked}
        kind = rng.choice(KINDS)

        weighted = formulas.weighted_value(value, probability)
        opportunity = OpportunityFactory.build(
            account_id=account_id,
            name=opportunity_name(number, index, kind),
            value=value,
            stage=stage,
            probability=probability,
            close_date=close_date,
            owner_id=owner,
            product_line_id=product_line,
            business_unit_id=business_unit,
            effort_hours=effort,
            gross_margin_pct=margin,
            customer_annual_benefit=benefit,
            customer_investment=investment,
            horizon_years=horizon,
            qualification_score=formulas.qualification_score(cat.criteria, answers),
            weighted_value=weighted,
            roe=formulas.return_on_effort(weighted, margin, effort, cat.hourly_cost_rate),
            stage_changed_at=changed,
        )
        planned.append((opportunity, answers))
    return planned


def bench_accounts_short_of(per_account: int, account_pks: dict[int, int]) -> dict[int, int]:
    """{account number: bench opportunities it has} for the bench accounts of
    `account_pks` ({number: pk}) that have fewer than `per_account`."""
    have = dict(
        Opportunity.objects.filter(name__startswith=OPPORTUNITY_PREFIX)
        .values_list("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )
    return {
        number: have.get(pk, 0)
        for number, pk in sorted(account_pks.items())
        if have.get(pk, 0) < per_account
    }


def seed_opportunities(
    run, *, account_pks: dict[int, int], new: set[int], per_account: int, chunk: int
) -> int:
    """Give every bench account of `account_pks` ({number: pk}; `new` holds the numbers
    of those this run created) its `per_account` opportunities.

    `run` is the seed_bench run (``demo.bench.progress``): its ``phase()`` timings,
    ``created`` counter, ``seed``, ``batch`` and ``stdout``. Returns how many
    opportunities were added."""
    if per_account < 1:
        return 0
    with run.phase("opportunities (generate)"):
        short = bench_accounts_short_of(per_account, account_pks)
        if not short:
            return 0
        cat = catalogue()
    numbers = list(short)
    older = [n for n in numbers if n not in new]
    if older:
        run.stdout.write(
            f"seed_bench: {len(older)} existing bench accounts have fewer than "
            f"{per_account} opportunities; adding the missing ones."
        )
    added = 0
    for start in range(0, len(numbers), chunk):
        part = numbers[start : start + chunk]
        with transaction.atomic():
            added += _write_chunk(run, cat, part, short, account_pks, per_account)
    return added


def _write_chunk(run, cat, numbers, have, account_pks, per_account) -> int:
    now = timezone.now()
    with run.phase("opportunities (generate)"):
        ids = [account_pks[n] for n in numbers]
        teams, units = team_user_ids(ids), defaultdict(list)
        for account_id, unit_id in (
            BusinessUnit.objects.filter(account_id__in=ids)
            .order_by("account_id", "pk")
            .values_list("account_id", "pk")
        ):
            units[account_id].append(unit_id)
        planned = []
        for number in numbers:
            pk = account_pks[number]
            rows = plan_opportunities(
                rng=random.Random(run.seed * 10_000_079 + number),
                number=number,
                account_id=pk,
                team=teams[pk],
                units=units[pk],
                count=per_account,
                cat=cat,
                now=now,
            )
            planned += rows[have[number] :]  # the ones it has already are the first

    with run.phase("opportunities"):
        Opportunity.objects.bulk_create([o for o, _ in planned], batch_size=run.batch)
        run.created["opportunities"] += len(planned)

    with run.phase("qualification answers"):
        answers = [
            QualificationAnswerFactory.build(opportunity_id=o.pk, criterion_id=key, answer=answer)
            for o, given in planned
            for key, answer in given.items()
        ]
        QualificationAnswer.objects.bulk_create(answers, batch_size=run.batch)
        run.created["qualification answers"] += len(answers)
        # The score history qualification_set() leaves: one change, if the answers moved
        # the score off the unanswered one.
        scores = [
            ScoreChangeFactory.build(
                opportunity_id=o.pk, score=o.qualification_score, by_id=o.owner_id
            )
            for o, given in planned
            if given and o.qualification_score != cat.unanswered_score
        ]
        ScoreChange.objects.bulk_create(scores, batch_size=run.batch)
        run.created["score changes"] += len(scores)

    with run.phase("stage history"):
        changes = StageChange.objects.bulk_create(
            [
                StageChangeFactory.build(
                    opportunity_id=o.pk, from_stage=None, to_stage=o.stage, by_id=o.owner_id
                )
                for o, _ in planned
            ],
            batch_size=run.batch,
        )
        # `at` is auto_now_add: date each change back to its opportunity's stage change,
        # in one statement for the chunk.
        StageChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            at=Subquery(
                Opportunity.objects.filter(pk=OuterRef("opportunity_id")).values(
                    "stage_changed_at"
                )[:1]
            )
        )
        run.created["stage changes"] += len(changes)
    return len(planned)
