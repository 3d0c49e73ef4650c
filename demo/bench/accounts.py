"""The bench accounts (`seed_bench`): ``Bench Account 00001``… Every 20th account is a
global group with the next three as subsidiaries; each has two to four business units
and team members (one owner, ``Account.owner``), ten contacts in an org chart (one
executive on top, two seniors, seven below) and twenty relationships, all drawn from
the account's own generator; then today's snapshot, computed by the nightly job's code.
The rows are built by the factories with every value given, and written in bulk; the
units, team, contacts and relationships through core.history, so each has its "created"
history row (the RPI's past reads it)."""

import functools
import random
from datetime import timedelta
from decimal import Decimal

from accounts_app.models import (
    Account,
    BusinessUnit,
    Contact,
    DefaultIndustry,
    DefaultRegion,
    LifecycleStage,
    Relationship,
    TeamMember,
    User,
)
from core import history
from demo import names
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    TeamMemberFactory,
    industry_entry,
    region_entry,
)
from insights.snapshots import account_snapshots_refresh

from .progress import BenchRun

ACCOUNT_PREFIX = "Bench Account "
CONTACTS_PER_ACCOUNT = 10
RELATIONSHIPS_PER_ACCOUNT = 20

INDUSTRIES = [c.value for c in DefaultIndustry]
REGIONS = [c.value for c in DefaultRegion]
# One read per list entry, not per account.
_industry = functools.cache(industry_entry)
_region = functools.cache(region_entry)
STAGES = [c.value for c in LifecycleStage]
STAGE_WEIGHTS = [12, 30, 35, 13, 10]
MEMBER_ROLES = [
    TeamMember.Role.SALES,
    TeamMember.Role.TECHNICAL,
    TeamMember.Role.SERVICE,
    TeamMember.Role.FINANCE,
    TeamMember.Role.EXECUTIVE_SPONSOR,
    TeamMember.Role.OTHER,
]
MEMBER_ROLE_WEIGHTS = [35, 20, 20, 10, 10, 5]
LEVELS = list(names.CONTACT_TITLES)
BUYING = {lvl: (list(w), list(w.values())) for lvl, w in names.BUYING_ROLE_WEIGHTS.items()}
ATTITUDES = (list(names.ATTITUDE_WEIGHTS), list(names.ATTITUDE_WEIGHTS.values()))
ALL_UNITS = sorted({u for units in names.BUSINESS_UNITS.values() for u in units})


def account_name(number: int) -> str:
    return f"{ACCOUNT_PREFIX}{number:05d}"


def parent_number(number: int) -> int | None:
    """Every 20th account is a global group; the three after it are its subsidiaries."""
    offset = (number - 1) % 20
    return number - offset if 1 <= offset <= 3 else None


def write_chunk(run: BenchRun, numbers: list[int], team_pool: list[User]) -> None:
    """Bench accounts `numbers` with their units, team, contacts, relationships and
    today's snapshot; `run.account_pks` learns their primary keys."""
    plans = [plan_account(run, n, team_pool) for n in numbers]

    with run.phase("accounts"):
        # Groups before their subsidiaries, so a subsidiary can point at its group.
        for wave in (
            [p for p in plans if p["parent"] is None],
            [p for p in plans if p["parent"] is not None],
        ):
            for p in wave:
                if p["parent"] is not None:
                    p["account"].parent_id = run.account_pks.get(p["parent"])
            Account.objects.bulk_create([p["account"] for p in wave], batch_size=run.batch)
            for p in wave:
                run.account_pks[p["number"]] = p["account"].pk
        run.created["accounts"] += len(plans)

    with run.phase("business units"):
        units = []
        for p in plans:
            for unit in p["units"]:
                unit.account_id = p["account"].pk
                units.append(unit)
        history.bulk_create(BusinessUnit, units, batch_size=run.batch)
        run.created["business units"] += len(units)

    with run.phase("team members"):
        members = []
        for p in plans:
            for member in p["team"]:
                member.account_id = p["account"].pk
                members.append(member)
        history.bulk_create(TeamMember, members, batch_size=run.batch)
        run.created["team members"] += len(members)

    with run.phase("contacts"):
        # Three waves down the org chart: the top executive, the seniors who report
        # to them, everyone else reporting to a senior.
        for wave in range(3):
            batch = []
            for p in plans:
                for contact, depth, boss, unit in p["contacts"]:
                    if depth != wave:
                        continue
                    contact.account_id = p["account"].pk
                    if boss is not None:
                        contact.reports_to_id = p["contacts"][boss][0].pk
                    if unit is not None:
                        contact.business_unit_id = p["units"][unit].pk
                    batch.append(contact)
            history.bulk_create(Contact, batch, batch_size=run.batch)
            run.created["contacts"] += len(batch)

    with run.phase("relationships"):
        relationships = []
        for p in plans:
            for rel, contact_index in p["relationships"]:
                # The object, not its id: the history row reads its account through it.
                rel.contact = p["contacts"][contact_index][0]
                relationships.append(rel)
        history.bulk_create(Relationship, relationships, batch_size=run.batch)
        run.created["relationships"] += len(relationships)

    with run.phase("snapshots"):
        # Today's snapshot, computed by the nightly job's own code (RPI included), so
        # list pages read what a real installation's nightly job leaves behind.
        written = account_snapshots_refresh(
            account_ids=[p["account"].pk for p in plans], on=run.today
        )
        run.created["snapshots"] += len(written)


def plan_account(run: BenchRun, number: int, team_pool: list[User]) -> dict:
    """Everything about bench account `number`, from its own random generator."""
    with run.phase("generate"):
        rng = random.Random(run.seed * 10_000_019 + number)
        stage = rng.choices(STAGES, weights=STAGE_WEIGHTS)[0]
        revenue = min(max(900_000 * rng.lognormvariate(0, 1.2), 10_000), 60_000_000)
        if stage == LifecycleStage.ACQUISITION:
            revenue *= 0.1
        share = rng.uniform(0.03, 0.6)
        team_size = rng.choice((2, 3, 3, 4))
        team_users = rng.sample(team_pool, team_size)
        owner = team_users[0]
        account = AccountFactory.build(
            name=account_name(number),
            industry=_industry(rng.choice(INDUSTRIES)),
            region=_region(rng.choice(REGIONS)),
            lifecycle_stage=stage,
            annual_revenue=Decimal(int(revenue)),
            wallet_estimate=Decimal(int(revenue / share)),
            gross_margin_pct=Decimal(f"{min(max(rng.gauss(31, 7), 5), 60):.2f}"),
            strategic_value=rng.choices((1, 2, 3, 4, 5), weights=(15, 25, 30, 20, 10))[0],
            owner_id=owner.pk,
            description="Benchmark data (seed_bench).",
        )
        units = [
            BusinessUnitFactory.build(account=account, name=name)
            for name in rng.sample(ALL_UNITS, rng.choice((2, 3, 3, 4)))
        ]
        team = [
            TeamMemberFactory.build(account=account, user_id=owner.pk, role=TeamMember.Role.OWNER)
        ]
        team += [
            TeamMemberFactory.build(
                account=account,
                user_id=user.pk,
                role=rng.choices(MEMBER_ROLES, weights=MEMBER_ROLE_WEIGHTS)[0],
            )
            for user in team_users[1:]
        ]
        contacts = []  # (Contact, wave, index of boss, index of unit)
        for index in range(CONTACTS_PER_ACCOUNT):
            if index == 0:
                level, depth, boss, unit = Contact.Level.EXECUTIVE, 0, None, None
            elif index <= 2:
                level, depth, boss = Contact.Level.SENIOR, 1, 0
                unit = rng.randrange(len(units))
            else:
                level = Contact.Level.MIDDLE if index <= 6 else Contact.Level.OPERATIONAL
                depth, boss = 2, rng.choice((1, 2))
                unit = rng.randrange(len(units))
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            roles, role_weights = BUYING[level]
            contacts.append(
                (
                    ContactFactory.build(
                        account=account,
                        name=f"{first} {last}",
                        title=rng.choice(names.CONTACT_TITLES[level]),
                        email=f"{first}.{last}.{number}-{index}@bench.example".lower(),
                        level=level,
                        buying_role=rng.choices(roles, weights=role_weights)[0],
                        attitude=rng.choices(*ATTITUDES)[0],
                    ),
                    depth,
                    boss,
                    unit,
                )
            )
        # 20 distinct (contact, team user) pairs out of the 10 × team-size possible.
        relationships = []
        for pair in rng.sample(range(CONTACTS_PER_ACCOUNT * team_size), RELATIONSHIPS_PER_ACCOUNT):
            contact_index, user = divmod(pair, team_size)
            strength = rng.choices(range(5), weights=(8, 25, 35, 22, 10))[0]
            target = min(4, strength + rng.randint(0, 2)) if rng.random() < 0.4 else None
            last = run.today - timedelta(days=rng.randrange(365)) if rng.random() < 0.75 else None
            relationships.append(
                (
                    RelationshipFactory.build(
                        contact=contacts[contact_index][0],
                        user_id=team_users[user].pk,
                        strength=strength,
                        target_strength=target,
                        last_interaction=last,
                    ),
                    contact_index,
                )
            )
        return {
            "number": number,
            "parent": parent_number(number),
            "account": account,
            "units": units,
            "team": team,
            "contacts": contacts,
            "relationships": relationships,
        }
