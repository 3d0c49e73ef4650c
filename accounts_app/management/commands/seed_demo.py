"""`manage.py seed_demo`: a believable supplier's book of business for demos and trials.

About 60 customer accounts (four global groups with their subsidiaries and a long tail
of stand-alone accounts), their business units, org charts of contacts, our account
teams, relationship maps and nine months of interactions, plus the demo users, all with
the password ``strata-demo``:

    admin    admin (staff, superuser)
    exec     executive
    manager  manager of alice, bob and four more
    mira     manager of six more
    alice    team member: owns 8 accounts, on the team of 3 more
    bob      team member: owns 8 other accounts, on the team of 3 more (none of alice's)

The data is deterministic (``random.Random(2026)``) and the command is idempotent: each
row has a natural key (username, account name, (account, unit name), (account, contact
name), (account, user), (contact, user), (account, date, kind, subject)); a second run
creates nothing and changes nothing. The whole plan is drawn from the random generator
before the database is read, so what exists never changes what is drawn.

Interaction dates count back from the day the demo accounts were first created (today
on the first run), so a later run finds the same keys.
"""

import random
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts_app.models import (
    Account,
    AccountSnapshot,
    BusinessUnit,
    Contact,
    Industry,
    Interaction,
    LifecycleStage,
    Region,
    Relationship,
    TeamMember,
    User,
)
from insights.snapshots import account_snapshot_refresh
from opportunities.demo import seed_demo_opportunities
from plans.demo import seed_demo_reviews
from scorecards.demo import seed_demo_alerts, seed_demo_history, seed_demo_scorecards

from . import _seed_data as data

PASSWORD = "strata-demo"
SEED = 2026
HISTORY_DAYS = 270

Role = User.Role
TRole = TeamMember.Role
Level = Contact.Level

# (username, first, last, title, role, manager username, owns accounts, team role as member)
TM = Role.TEAM_MEMBER
DEMO_USERS = [
    ("admin", "Ada", "Lindqvist", "Sales Operations Administrator", Role.ADMIN, None, 0, None),
    ("exec", "Evelyn", "Marsh", "Chief Commercial Officer", Role.EXECUTIVE, None, 0, None),
    ("manager", "Marcus", "Okoye", "Head of Key Account Management", Role.MANAGER, "exec", 0, None),
    ("mira", "Mira", "Castellanos", "Regional Sales Director", Role.MANAGER, "exec", 0, None),
    ("alice", "Alice", "Moreau", "Key Account Manager", TM, "manager", 1, None),
    ("bob", "Bob", "Tanaka", "Key Account Manager", TM, "manager", 1, None),
    ("dana", "Dana", "Whitfield", "Senior Key Account Manager", TM, "manager", 1, None),
    ("henrik", "Henrik", "Solberg", "Global Account Director", TM, "manager", 1, None),
    ("felix", "Felix", "Brandt", "Solutions Engineer", TM, "manager", 0, "technical"),
    ("grace", "Grace", "Okonjo", "Customer Success Manager", TM, "manager", 0, "service"),
    ("ivan", "Ivan", "Petrović", "Key Account Manager", TM, "mira", 1, None),
    ("julia", "Julia", "Romero", "Key Account Manager", TM, "mira", 1, None),
    ("kenji", "Kenji", "Watanabe", "Account Director", TM, "mira", 1, None),
    ("lena", "Lena", "Fischer", "Key Account Manager", TM, "mira", 1, None),
    ("nora", "Nora", "Achebe", "Finance Business Partner", TM, "mira", 0, "finance"),
    ("omar", "Omar", "Haddad", "Technical Account Manager", TM, "mira", 0, "technical"),
]  # fmt: skip

OWNED_BY_ALICE = OWNED_BY_BOB = 8
MEMBER_ALICE = MEMBER_BOB = 3


def slugify_ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def money(value: float) -> Decimal:
    return Decimal(int(round(value, -3))).quantize(Decimal("0.01"))


# --- The plan: plain records drawn from the random generator -------------------------


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


def account_names() -> list[tuple[str, str | None, str, str]]:
    rows = []
    for parent, industry, region, children in data.DEMO_GROUPS:
        rows.append((parent, None, industry, region))
        rows.extend((child, parent, ind, reg) for child, ind, reg in children)
    rows.extend((name, None, ind, reg) for name, ind, reg in data.DEMO_STANDALONE)
    return rows


def build_plan(rng: random.Random, anchor: date) -> list[AccountPlan]:
    accounts = [AccountPlan(name, parent, ind, reg) for name, parent, ind, reg in account_names()]
    parents = {a.parent for a in accounts if a.parent}
    _plan_financials(rng, accounts, parents)
    _plan_teams(rng, accounts)
    for account in accounts:
        _plan_units(rng, account)
        _plan_contacts(rng, account)
        _plan_relationships(rng, account)
        _plan_interactions(rng, account, anchor)
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
        account.reason = data.STRATEGIC_REASONS[account.strategic_value]
        industry = Industry(account.industry).label
        region = Region(account.region).label
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
    specialists = {u[0]: data.SPECIALIST_ROLES[u[7]] for u in DEMO_USERS if u[7]}
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
    pool = data.BUSINESS_UNITS[account.industry]
    count = rng.randint(2, 5)
    units = rng.sample(pool, min(count, len(pool)))
    if rng.random() < 0.35:
        units[-1] = rng.choice(data.GENERIC_UNITS)
    account.units = list(dict.fromkeys(units))


def _plan_contacts(rng, account):
    total = int(min(max(6 + round(account.size * 6) + rng.randint(0, 3), 6), 14))
    n_exec = 1 if total < 9 else 2
    n_senior = 2 if total < 10 else (3 if total < 13 else 4)
    remaining = total - n_exec - n_senior
    n_middle = (remaining + 1) // 2
    levels = (
        [Level.EXECUTIVE] * n_exec
        + [Level.SENIOR] * n_senior
        + [Level.MIDDLE] * n_middle
        + [Level.OPERATIONAL] * (remaining - n_middle)
    )
    # dict.fromkeys, not set(): the draw order must not depend on string hashing.
    titles = {
        lvl: rng.sample(data.CONTACT_TITLES[lvl], levels.count(lvl))
        for lvl in dict.fromkeys(levels)
    }
    domain = slugify_ascii(account.name) + ".example"
    used_names: set[str] = set()
    by_level: dict[str, list[dict]] = defaultdict(list)
    for level in levels:
        while True:
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            name = f"{first} {last}"
            if name not in used_names:
                used_names.add(name)
                break
        if level == Level.EXECUTIVE:
            boss = by_level[Level.EXECUTIVE][0] if by_level[Level.EXECUTIVE] else None
        elif level == Level.SENIOR:
            boss = rng.choice(by_level[Level.EXECUTIVE])
        elif level == Level.MIDDLE:
            boss = rng.choice(by_level[Level.SENIOR])
        else:
            boss = rng.choice(by_level[Level.MIDDLE] or by_level[Level.SENIOR])
        if level == Level.EXECUTIVE:
            unit = None
        elif boss and boss["unit"] and rng.random() < 0.75:
            unit = boss["unit"]
        else:
            unit = rng.choice(account.units)
        contact = {
            "name": name,
            "title": titles[level].pop(),
            "email": f"{slugify_ascii(first)}.{slugify_ascii(last)}@{domain}",
            "level": level,
            "unit": unit,
            "boss": boss["name"] if boss else None,
            "depth": boss["depth"] + 1 if boss else 0,
            "buying_role": weighted(rng, data.BUYING_ROLE_WEIGHTS[level]),
            "attitude": weighted(rng, data.ATTITUDE_WEIGHTS),
        }
        by_level[level].append(contact)
        account.contacts.append(contact)


# Chance that a team member in a given role knows a contact at each level
# (executive, senior, middle, operational).
COVERAGE = {
    TRole.OWNER: (0.85, 0.85, 0.6, 0.35),
    TRole.EXECUTIVE_SPONSOR: (0.95, 0.4, 0.0, 0.0),
    TRole.SALES: (0.2, 0.45, 0.5, 0.3),
    TRole.TECHNICAL: (0.1, 0.35, 0.55, 0.55),
    TRole.SERVICE: (0.05, 0.2, 0.45, 0.6),
    TRole.FINANCE: (0.35, 0.4, 0.25, 0.1),
}
STRENGTH_WEIGHTS = {
    TRole.OWNER: [4, 18, 36, 29, 13],
    TRole.EXECUTIVE_SPONSOR: [3, 20, 30, 32, 15],
}
OTHER_STRENGTH_WEIGHTS = [8, 34, 36, 17, 5]


def _plan_relationships(rng, account):
    for username, role in account.team.items():
        coverage = COVERAGE.get(role, COVERAGE[TRole.SALES])
        for contact in account.contacts:
            if rng.random() >= coverage[Contact.LEVEL_ORDER[contact["level"]]]:
                continue
            weights = STRENGTH_WEIGHTS.get(role, OTHER_STRENGTH_WEIGHTS)
            strength = rng.choices(range(5), weights=weights)[0]
            if contact["attitude"] == Contact.Attitude.DETRACTOR:
                strength = min(strength, 2)
            important = contact["level"] in (Level.EXECUTIVE, Level.SENIOR) or contact[
                "buying_role"
            ] in (Contact.BuyingRole.DECISION_MAKER, Contact.BuyingRole.RECOMMENDER)
            roll = rng.random()
            if important and strength < 3 and roll < 0.7:
                target = min(4, strength + rng.randint(1, 2))
            elif roll < 0.15:
                target = strength
            else:
                target = None
            account.relationships[(contact["name"], username)] = {
                "strength": strength,
                "target": target,
                "last": None,
            }


def _plan_interactions(rng, account, anchor):
    count = 5 + round(account.size * 18) + rng.randint(0, 6)
    stale = account.stage in (LifecycleStage.DECLINING, LifecycleStage.AT_RISK)
    team = list(account.team)
    known_by: dict[str, list[str]] = defaultdict(list)
    for contact_name, username in account.relationships:
        known_by[username].append(contact_name)
    all_contacts = [c["name"] for c in account.contacts]
    seen: set[tuple] = set()
    for _ in range(count):
        kind = weighted(rng, data.INTERACTION_KIND_WEIGHTS)
        if stale:
            days_ago = int(rng.triangular(45, HISTORY_DAYS, 150))
        else:
            days_ago = int(rng.triangular(0, HISTORY_DAYS, 20))
        on = anchor - timedelta(days=days_ago)
        subject = rng.choice(data.INTERACTION_SUBJECTS[kind]).format(unit=rng.choice(account.units))
        users = rng.sample(team, 1 if len(team) == 1 or rng.random() < 0.7 else 2)
        pool = sorted({name for u in users for name in known_by[u]}) or all_contacts
        how_many = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        contacts = rng.sample(pool, min(how_many, len(pool)))
        note = rng.choice(data.INTERACTION_NOTES)
        key = (on, kind, subject)
        if key in seen:
            continue
        seen.add(key)
        account.interactions.append(
            {
                "kind": kind,
                "date": on,
                "subject": subject,
                "note": note,
                "contacts": contacts,
                "users": users,
            }
        )
        for username in users:
            for contact_name in contacts:
                rel = account.relationships.get((contact_name, username))
                if rel is not None and (rel["last"] is None or rel["last"] < on):
                    rel["last"] = on


# --- The command ----------------------------------------------------------------------


class Command(BaseCommand):
    help = "Load the demo data set (users, ~60 accounts with teams, contacts, relationships)."

    def handle(self, *args, **options):
        started = time.monotonic()
        names = [row[0] for row in account_names()]
        first_created = Account.objects.filter(name__in=names).aggregate(first=Min("created_at"))
        anchor = (
            timezone.localdate(first_created["first"])
            if first_created["first"]
            else timezone.localdate()
        )
        plan = build_plan(random.Random(SEED), anchor)

        self.created: Counter = Counter()
        self.touched: set[int] = set()
        with transaction.atomic():
            users = self._users()
            accounts = self._accounts(plan, users)
            units = self._units(plan, accounts)
            contacts = self._contacts(plan, accounts, units)
            self._team(plan, accounts, users)
            self._relationships(plan, accounts, contacts, users)
            self._interactions(plan, accounts, contacts, users)

        today = timezone.localdate()
        demo_ids = [accounts[a.name].pk for a in plan]
        have_snapshot = set(
            AccountSnapshot.objects.filter(account_id__in=demo_ids, date=today).values_list(
                "account_id", flat=True
            )
        )
        refreshed = 0
        for account_id in demo_ids:
            if account_id in self.touched or account_id not in have_snapshot:
                account_snapshot_refresh(account_id=account_id)
                refreshed += 1

        self._rpi_history(demo_ids, today)
        segmented = self._segmentation(users, [accounts[a.name] for a in plan])
        planned = self._plans(users, [accounts[a.name] for a in plan])
        opportunities = seed_demo_opportunities(accounts=[accounts[a.name] for a in plan])
        demo_accounts = [accounts[a.name] for a in plan]
        scorecards = seed_demo_scorecards(
            accounts=demo_accounts, owners=[users["alice"], users["bob"]]
        )
        seed_demo_history(accounts=demo_accounts)
        held = seed_demo_reviews(
            accounts=list(
                Account.objects.filter(pk__in=[a.pk for a in demo_accounts]).select_related(
                    "owner", "tier_assignment__tier"
                )
            )
        )
        alerts = seed_demo_alerts(accounts=demo_accounts)

        elapsed = time.monotonic() - started
        labels = [
            ("users", "users"),
            ("accounts", "accounts"),
            ("units", "business units"),
            ("contacts", "contacts"),
            ("team", "team members"),
            ("relationships", "relationships"),
            ("interactions", "interactions"),
        ]
        if self.created["relinked"]:
            labels.append(("relinked", "interactions given back their participants"))
        if sum(self.created.values()):
            made = ", ".join(f"{self.created[key]} {label}" for key, label in labels)
            message = f"seed_demo: created {made}; refreshed {refreshed} snapshots"
        else:
            message = (
                f"seed_demo: demo data already present, nothing created; "
                f"refreshed {refreshed} snapshots"
            )
        if segmented:
            message += f"; placed {segmented} accounts in tiers"
        if planned:
            message += f"; wrote {planned} account plans"
        if opportunities:
            message += f"; wrote {opportunities} opportunities"
        if scorecards:
            message += f"; wrote {scorecards} scorecards"
        if held:
            message += f"; wrote {held} business reviews"
        if alerts:
            message += f"; raised {alerts} alerts"
        self.stdout.write(self.style.SUCCESS(f"{message} in {elapsed:.1f} s."))

    def _rpi_history(self, account_ids, today) -> None:
        """Monthly snapshots for the past six months, so the RPI trend has a story.

        Synthetic (relationships have no history to recompute from): from today's RPI,
        a seeded walk back in time, mostly a climb to where the account is now. Written
        only where an account has no earlier snapshot, so a second run adds nothing.
        """
        with_history = set(
            AccountSnapshot.objects.filter(account_id__in=account_ids, date__lt=today)
            .values_list("account_id", flat=True)
            .distinct()
        )
        now = timezone.now()
        rows = []
        for snap in AccountSnapshot.objects.filter(account_id__in=account_ids, date=today):
            if snap.account_id in with_history or snap.rpi is None:
                continue
            rng = random.Random(SEED * 7919 + snap.account_id)
            value = float(snap.rpi)
            for months_back in range(1, 7):
                value = min(max(value - rng.uniform(-3, 7), 0), 100)
                rows.append(
                    AccountSnapshot(
                        account_id=snap.account_id,
                        date=today - timedelta(days=30 * months_back),
                        contact_count=snap.contact_count,
                        relationship_count=snap.relationship_count,
                        business_unit_count=snap.business_unit_count,
                        team_size=snap.team_size,
                        rpi=Decimal(str(round(value, 1))),
                        computed_at=now,
                    )
                )
        AccountSnapshot.objects.bulk_create(rows)

    def _plans(self, users, accounts) -> int:
        """The first time: this fiscal year's plan for alice's and bob's accounts, at every
        stage of the life cycle, with coaching from their manager."""
        from plans import services as plans
        from plans.models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

        owned = sorted(
            (a for a in accounts if a.owner_id in (users["alice"].pk, users["bob"].pk)),
            key=lambda a: (-a.annual_revenue, a.pk),
        )
        if Plan.objects.filter(account__in=owned).exists():
            return 0
        manager, today = users["manager"], timezone.localdate()
        for index, account in enumerate(owned):
            owner = account.owner
            plan = plans.plan_create(account=account, by=owner)
            rng = random.Random(SEED * 31 + account.pk)
            depth = index % 4  # 0 barely started … 3 complete
            overview = rng.choice(data.PLAN_OVERVIEWS).format(account=account.name)
            fields = {"overview": overview if depth else ""}
            if depth >= 2:
                fields["revenue_target"] = money(
                    float(account.annual_revenue) * rng.uniform(1.05, 1.3)
                )
                quarter = float(account.annual_revenue) / 4
                fields |= {f"revenue_q{q}": money(quarter * rng.uniform(0.8, 1.2)) for q in (1, 2)}
            plans.plan_update(plan=plan, by=owner, version=None, **fields)
            points = [
                plans.item_create(model=KnowledgePoint, by=owner, parent=plan, kind=kind, text=text)
                for kind, text in rng.sample(data.KNOWLEDGE_POINTS, 2 + depth)
            ]
            for kind, text in rng.sample(data.SWOT_ITEMS, 2 + 2 * depth):
                plans.item_create(model=SwotItem, by=owner, parent=plan, kind=kind, text=text)
            customer_goals = [p for p in points if p.kind == KnowledgePoint.Kind.GOAL]
            for goal_text, strategy_texts in rng.sample(data.PLAN_GOALS, max(depth, 1)):
                goal = plans.item_create(
                    model=Goal,
                    by=owner,
                    parent=plan,
                    text=goal_text,
                    customer_goal=customer_goals[0] if customer_goals else None,
                )
                for strategy_text, tactic_texts in strategy_texts[: 1 + depth // 2]:
                    strategy = plans.item_create(
                        model=Strategy, by=owner, parent=goal, text=strategy_text
                    )
                    for n, tactic_text in enumerate(tactic_texts):
                        plans.item_create(
                            model=Tactic,
                            by=owner,
                            parent=strategy,
                            text=tactic_text,
                            owner=owner if depth >= 2 or n == 0 else None,
                            due_date=today + timedelta(days=rng.randint(-20, 120))
                            if depth >= 2
                            else None,
                            status=rng.choice(["open", "open", "in_progress", "done"]),
                        )
            if index % 4 == 1:
                plans.comment_add(
                    plan=plan,
                    by=manager,
                    section="financials",
                    text="What revenue target do we commit to this year? Add it before you submit.",
                )
            if index % 4 == 2:
                plans.plan_submit(plan=plan, by=owner, comment="Ready for review.")
            if index % 4 == 3:
                plans.plan_submit(plan=plan, by=owner, comment="Ready for review.")
                if index % 8 == 3:
                    plans.plan_approve(
                        plan=plan, by=manager, comment="Clear and measurable. Approved."
                    )
                else:
                    plans.plan_request_changes(
                        plan=plan,
                        by=manager,
                        comment="Name the decision makers we still lack; date every tactic.",
                    )
        return len(owned)

    def _segmentation(self, users, accounts) -> int:
        """The first time: an applied segmentation run by the admin, and one override by
        the manager, so the demo shows tiers, history and a pinned account."""
        from segmentation import services as segmentation
        from segmentation.models import SegmentationRun, Tier, TierAssignment

        if TierAssignment.objects.filter(account__in=accounts).exists():
            return 0
        segmentation.ensure_default_model()
        run = SegmentationRun.objects.create(dry_run=False, started_by=users["admin"])
        segmentation.segmentation_run_execute(run_id=run.pk)
        # alice's smallest account that the rules left in the catch-all tier.
        pinned = (
            TierAssignment.objects.filter(account__owner=users["alice"], tier__conditions=None)
            .select_related("account")
            .order_by("account__annual_revenue", "account__pk")
            .first()
        )
        top = Tier.objects.order_by("rank").first()
        if pinned and top and top.pk != pinned.tier_id:
            segmentation.tier_pin(
                account=pinned.account,
                tier=top,
                reason="Reference customer for the new platform: the board wants it served "
                "as a key account whatever its revenue says this year.",
                by=users["manager"],
            )
        return TierAssignment.objects.filter(account__in=accounts).count()

    # Each step reads what exists by natural key and creates only what is missing.

    def _users(self) -> dict[str, User]:
        usernames = [row[0] for row in DEMO_USERS]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        password = None
        for username, first, last, title, role, boss, _, _ in DEMO_USERS:
            if username in users:
                continue
            password = password or make_password(PASSWORD)  # hash once, share it
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                title=title,
                role=role,
                email=f"{username}@strata-demo.example",
                manager=users.get(boss) if boss else None,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
                password=password,
            )
            user.save()
            users[username] = user
            self.created["users"] += 1
        return users

    def _accounts(self, plan, users) -> dict[str, Account]:
        accounts: dict[str, Account] = {}
        for account in Account.objects.filter(name__in=[a.name for a in plan]).order_by("pk"):
            accounts.setdefault(account.name, account)
        # Parents before children, so a child can point at its parent's primary key.
        for wave in ([a for a in plan if not a.parent], [a for a in plan if a.parent]):
            new = [
                Account(
                    name=a.name,
                    parent=accounts[a.parent] if a.parent else None,
                    industry=a.industry,
                    region=a.region,
                    lifecycle_stage=a.stage,
                    annual_revenue=a.revenue,
                    wallet_estimate=a.wallet,
                    gross_margin_pct=a.margin,
                    strategic_value=a.strategic_value,
                    strategic_value_reason=a.reason,
                    owner=users[a.owner],
                    website=a.website,
                    description=a.description,
                )
                for a in wave
                if a.name not in accounts
            ]
            for account in Account.objects.bulk_create(new):
                accounts[account.name] = account
                self.touched.add(account.pk)
            self.created["accounts"] += len(new)
        return accounts

    def _units(self, plan, accounts) -> dict[tuple[int, str], BusinessUnit]:
        ids = [accounts[a.name].pk for a in plan]
        units = {(u.account_id, u.name): u for u in BusinessUnit.objects.filter(account_id__in=ids)}
        new = [
            BusinessUnit(account=accounts[a.name], name=name)
            for a in plan
            for name in a.units
            if (accounts[a.name].pk, name) not in units
        ]
        for unit in BusinessUnit.objects.bulk_create(new):
            units[(unit.account_id, unit.name)] = unit
            self.touched.add(unit.account_id)
        self.created["units"] += len(new)
        return units

    def _contacts(self, plan, accounts, units) -> dict[tuple[int, str], Contact]:
        ids = [accounts[a.name].pk for a in plan]
        contacts: dict[tuple[int, str], Contact] = {}
        for contact in Contact.objects.filter(account_id__in=ids).order_by("pk"):
            contacts.setdefault((contact.account_id, contact.name), contact)
        # Top of the org chart first, so everyone's boss already has a primary key.
        depth = max(c["depth"] for a in plan for c in a.contacts)
        for level in range(depth + 1):
            new = []
            for a in plan:
                account = accounts[a.name]
                for c in a.contacts:
                    if c["depth"] != level or (account.pk, c["name"]) in contacts:
                        continue
                    new.append(
                        Contact(
                            account=account,
                            name=c["name"],
                            title=c["title"],
                            email=c["email"],
                            business_unit=units[(account.pk, c["unit"])] if c["unit"] else None,
                            reports_to=contacts[(account.pk, c["boss"])] if c["boss"] else None,
                            level=c["level"],
                            buying_role=c["buying_role"],
                            attitude=c["attitude"],
                        )
                    )
            for contact in Contact.objects.bulk_create(new):
                contacts[(contact.account_id, contact.name)] = contact
                self.touched.add(contact.account_id)
            self.created["contacts"] += len(new)
        return contacts

    def _team(self, plan, accounts, users) -> None:
        ids = [accounts[a.name].pk for a in plan]
        existing = set(
            TeamMember.objects.filter(account_id__in=ids).values_list("account_id", "user_id")
        )
        has_owner = set(
            TeamMember.objects.filter(account_id__in=ids, role=TRole.OWNER).values_list(
                "account_id", flat=True
            )
        )
        new = []
        for a in plan:
            account = accounts[a.name]
            for username, role in a.team.items():
                user = users[username]
                if (account.pk, user.pk) in existing:
                    continue
                if role == TRole.OWNER and account.pk in has_owner:
                    role = TRole.SALES  # someone else owns it by now: keep them
                new.append(TeamMember(account=account, user=user, role=role))
                self.touched.add(account.pk)
        TeamMember.objects.bulk_create(new)
        self.created["team"] += len(new)

    def _relationships(self, plan, accounts, contacts, users) -> None:
        ids = [accounts[a.name].pk for a in plan]
        existing = set(
            Relationship.objects.filter(contact__account_id__in=ids).values_list(
                "contact_id", "user_id"
            )
        )
        new = []
        for a in plan:
            account = accounts[a.name]
            for (contact_name, username), rel in a.relationships.items():
                contact = contacts[(account.pk, contact_name)]
                user = users[username]
                if (contact.pk, user.pk) in existing:
                    continue
                new.append(
                    Relationship(
                        contact=contact,
                        user=user,
                        strength=rel["strength"],
                        target_strength=rel["target"],
                        last_interaction=rel["last"],
                    )
                )
                self.touched.add(account.pk)
        Relationship.objects.bulk_create(new)
        self.created["relationships"] += len(new)

    def _interactions(self, plan, accounts, contacts, users) -> None:
        ids = [accounts[a.name].pk for a in plan]
        existing = {
            (account_id, on, kind, subject): pk
            for pk, account_id, on, kind, subject in Interaction.objects.filter(
                account_id__in=ids
            ).values_list("pk", "account_id", "date", "kind", "subject")
        }
        new, wanted = [], []  # wanted: (key, contacts, users) of every planned interaction
        for a in plan:
            account = accounts[a.name]
            for i in a.interactions:
                key = (account.pk, i["date"], i["kind"], i["subject"])
                people = [users[u] for u in i["users"]]
                wanted.append((key, [contacts[(account.pk, c)] for c in i["contacts"]], people))
                if key in existing:
                    continue
                interaction = Interaction(
                    account=account,
                    kind=i["kind"],
                    date=i["date"],
                    subject=i["subject"],
                    note=i["note"],
                    created_by=people[0],
                )
                new.append((key, interaction))
                self.touched.add(account.pk)
        Interaction.objects.bulk_create([interaction for _, interaction in new])
        existing.update((key, interaction.pk) for key, interaction in new)
        created_pks = {interaction.pk for _, interaction in new}
        self.created["interactions"] += len(new)

        # Who took part: the link rows, also keyed, so a contact deleted and seeded
        # again is linked again to the interactions it was part of.
        ContactLink = Interaction.contacts.through
        UserLink = Interaction.team_users.through
        pks = list(existing.values())
        have_contacts = set(
            ContactLink.objects.filter(interaction_id__in=pks).values_list(
                "interaction_id", "contact_id"
            )
        )
        have_users = set(
            UserLink.objects.filter(interaction_id__in=pks).values_list("interaction_id", "user_id")
        )
        contact_links, user_links = [], []
        for key, people_there, ours in wanted:
            pk = existing[key]
            more_contacts = [
                ContactLink(interaction_id=pk, contact_id=c.pk)
                for c in people_there
                if (pk, c.pk) not in have_contacts
            ]
            more_users = [
                UserLink(interaction_id=pk, user_id=u.pk)
                for u in ours
                if (pk, u.pk) not in have_users
            ]
            if more_contacts or more_users:
                contact_links += more_contacts
                user_links += more_users
                self.touched.add(key[0])
                if pk not in created_pks:
                    self.created["relinked"] += 1
        ContactLink.objects.bulk_create(contact_links)
        UserLink.objects.bulk_create(user_links)
