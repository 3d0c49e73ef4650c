"""The demo's book of business, drawn before the database is read (`seed_demo`).

About 60 customer accounts (four global groups with their subsidiaries and a long tail
of stand-alone accounts), their business units, org charts of contacts, our account
teams, relationship maps and nine months of interactions: plain records drawn from
``random.Random(SEED)``, so the whole plan is the same on every run and what exists in
the database never changes what is drawn. Interaction dates count back from `anchor`,
the day the demo accounts were first created (today on the first run), so a later run
finds the same keys; so do the dates of each account's past (`demo.seed.timeline`). The
contacts, relationships and interactions are drawn in `demo.seed.org_charts`.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accounts_app.models import DefaultIndustry, DefaultRegion, LifecycleStage, TeamMember

from .. import names
from . import texts
from .draws import money, slugify_ascii, weighted
from .org_charts import plan_contacts, plan_interactions, plan_relationships
from .people import DEMO_USERS, MEMBER_ALICE, MEMBER_BOB, OWNED_BY_ALICE, OWNED_BY_BOB
from .timeline import plan_timeline

SEED = 2026

TRole = TeamMember.Role


@dataclass
class AccountPlan:
    name: str
    parent: str | None
    industry: str
    region: str
    stage: str = LifecycleStage.DEVELOPMENT
    revenue: Decimal = Decimal("0")
    wallet: Decimal | None = None
    margin: Decimal | None = None
    strategic_value: int = 3
    reason: str = ""
    owner: str = ""
    website: str = ""
    description: str = ""
    size: float = 0.5  # percentile of revenue, 0 (smallest) .. 1 (largest)
    units: list[str] = field(default_factory=list)
    team: dict[str, str] = field(default_factory=dict)  # username -> team role
    contacts: list[dict] = field(default_factory=list)
    relationships: dict[tuple[str, str], dict] = field(default_factory=dict)
    interactions: list[dict] = field(default_factory=list)
    since: date | None = None  # when the account, its units and its owner began
    joined: dict[str, date] = field(default_factory=dict)  # username -> joined the team


def account_names() -> list[tuple[str, str | None, str, str]]:
    rows = []
    for parent, industry, region, children in names.DEMO_GROUPS:
        rows.append((parent, None, industry, region))
        rows.extend((child, parent, ind, reg) for child, ind, reg in children)
    rows.extend((name, None, ind, reg) for name, ind, reg in names.DEMO_STANDALONE)
    return rows


def build_plan(rng: random.Random, anchor: date) -> list[AccountPlan]:
    accounts = [AccountPlan(name, parent, ind, reg) for name, parent, ind, reg in account_names()]
    parents = {a.parent for a in accounts if a.parent}
    _plan_financials(rng, accounts, parents)
    _plan_teams(rng, accounts)
    for account in accounts:
        _plan_units(rng, account)
        plan_contacts(rng, account)
        plan_relationships(rng, account)
        plan_interactions(rng, account, anchor)
        plan_timeline(SEED, account, anchor)
    return accounts


def _plan_financials(rng, accounts, parents):
    stage_weights = {
        LifecycleStage.ACQUISITION: 12,
        LifecycleStage.DEVELOPMENT: 30,
        LifecycleStage.MATURE: 35,
        LifecycleStage.AT_RISK: 13,
        LifecycleStage.DECLINING: 10,
    }
    for account in accounts:
        account.stage = weighted(rng, stage_weights)
        revenue = 1_000_000 * rng.lognormvariate(0, 1.2)
        share = rng.uniform(0.12, 0.6)
        if account.name in parents:
            # A global group is an established relationship, and a big one.
            account.stage = rng.choice([LifecycleStage.MATURE, LifecycleStage.DEVELOPMENT])
            revenue *= 3.0
        if account.stage == LifecycleStage.ACQUISITION:
            revenue *= 0.12
            share = rng.uniform(0.01, 0.08)
        elif account.stage == LifecycleStage.DECLINING:
            share *= 0.6
        revenue = min(max(revenue, 20_000), 38_000_000)
        account.revenue = money(revenue)
        account.wallet = money(revenue / share) if rng.random() > 0.05 else None
        margin = min(max(rng.gauss(31, 7), 12), 55)
        account.margin = Decimal(f"{margin:.2f}")
        slug = slugify_ascii(account.name)
        account.website = f"https://www.{slug}.example"
    ranked = sorted(accounts, key=lambda a: a.revenue)
    for position, account in enumerate(ranked):
        account.size = position / (len(ranked) - 1)
    for account in accounts:
        value = 1 + 4 * account.size + rng.gauss(0, 0.7)
        if account.name in parents:
            value += 1
        account.strategic_value = int(min(max(round(value), 1), 5))
        account.reason = texts.STRATEGIC_REASONS[account.strategic_value]
        industry = DefaultIndustry(account.industry).label
        region = DefaultRegion(account.region).label
        if account.name in parents:
            children = sum(1 for a in accounts if a.parent == account.name)
            account.description = (
                f"Global group ({industry.lower()}), headquartered in {region}; "
                f"{children} subsidiaries are managed as their own accounts."
            )
        elif account.parent:
            account.description = (
                f"Subsidiary of {account.parent}, serving {region} ({industry.lower()})."
            )
        else:
            account.description = f"{industry} customer headquartered in {region}."


def _plan_teams(rng, accounts):
    owners = [u[0] for u in DEMO_USERS if u[6] and u[0] not in ("alice", "bob")]
    specialists = {u[0]: texts.SPECIALIST_ROLES[u[7]] for u in DEMO_USERS if u[7]}
    order = accounts[:]
    rng.shuffle(order)
    alice_owned = order[:OWNED_BY_ALICE]
    bob_owned = order[OWNED_BY_ALICE : OWNED_BY_ALICE + OWNED_BY_BOB]
    rest = order[OWNED_BY_ALICE + OWNED_BY_BOB :]
    for account in alice_owned:
        account.owner = "alice"
    for account in bob_owned:
        account.owner = "bob"
    for index, account in enumerate(rest):
        account.owner = owners[index % len(owners)]
    # alice and bob also serve a few accounts someone else owns, never the same one.
    joined = rng.sample(rest, MEMBER_ALICE + MEMBER_BOB)
    extra_member = {a.name: "alice" for a in joined[:MEMBER_ALICE]}
    extra_member |= {a.name: "bob" for a in joined[MEMBER_ALICE:]}
    for account in accounts:
        account.team = {account.owner: TRole.OWNER}
        size = rng.choices([1, 2, 3], weights=[35, 45, 20])[0]
        if account.name in extra_member:
            account.team[extra_member[account.name]] = TRole.SALES
        if account.strategic_value >= 4 and rng.random() < 0.5:
            account.team["mira"] = TRole.EXECUTIVE_SPONSOR
        experts = [u for u in sorted(specialists) if u not in account.team]
        sellers = [u for u in owners if u not in account.team]
        while len(account.team) < size + 1 and (experts or sellers):
            # Mostly a specialist (technical, service, finance), sometimes a second seller.
            pool = experts if experts and (not sellers or rng.random() < 0.6) else sellers
            user = pool.pop(rng.randrange(len(pool)))
            account.team[user] = specialists.get(user, TRole.SALES)


def _plan_units(rng, account):
    pool = names.BUSINESS_UNITS[account.industry]
    count = rng.randint(2, 5)
    units = rng.sample(pool, min(count, len(pool)))
    if rng.random() < 0.35:
        units[-1] = rng.choice(names.GENERIC_UNITS)
    account.units = list(dict.fromkeys(units))
