"""`manage.py seed_bench`: the DESIGN §9 benchmark data set of accounts_app.

Default size: 10,000 accounts, 100,000 contacts, 200,000 relationships, 300 users, about
30,000 team members (one owner per account, ``Account.owner`` is that owner) and about
30,000 business units. ``--accounts N`` scales it: N accounts, 10×N contacts, 20×N
relationships (users stay at ``--users``).

Bench rows are marked by their names, so they never collide with the demo data:
users ``bench-user-0001``…, accounts ``Bench Account 00001``…. User 0001 is an admin,
0002–0005 executives, 0006–0025 managers, the rest team members reporting to them; they
have no usable password (benchmarks use ``force_login``). Every 20th account is a global
group with the next three as subsidiaries; each contact reports to someone in the same
account (one executive on top, two seniors, seven below). Every account is drawn
from its own random generator (seeded from ``--seed`` and its number), so the data is
deterministic and a second run only adds the accounts that are missing ("top up"); it
never duplicates. Accounts are written in chunks, each in its own transaction, with
``bulk_create``: an interrupted run leaves whole accounts behind and the next run
finishes the job. ``--reset`` deletes the bench data first.

Relationship dates count back from the day of the run. Each new account also gets
today's snapshot row, computed by the snapshot job's code (``accounts_app.snapshots``).

Then every bench account gets ``--opportunities-per-account`` opportunities (5, so
50,000 at 10,000 accounts) with their stage change, qualification answers for about
60 % of them and the stored figures of ``opportunities.formulas``
(``_bench_opportunities``); accounts written before that phase existed get theirs on the
next run.

Last, every bench account gets a monthly scorecard for each of the last
``--scorecard-months`` months (60, so 600,000 scorecards and 3,000,000 lines at 10,000
accounts) with five metrics of the library and the stored attainment and score of
``scorecards.formulas``, about 10 % of them a survey round with customers' answers and the
team's predictions, and the snapshots of those accounts are recomputed for today
(``_bench_scorecards``); here too a second run adds only what is missing.
"""

import random
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts_app.models import (
    Account,
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
from insights.snapshots import account_snapshots_refresh
from opportunities.models import (
    Opportunity,
    ProductLine,
    QualificationAnswer,
    ScoreChange,
    StageChange,
    WhitespaceCell,
)
from scorecards.models import (
    Scorecard,
    ScorecardLine,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

from . import _bench_opportunities as opportunities
from . import _bench_scorecards as scorecards
from . import _seed_data as data

USER_PREFIX = "bench-user-"
ACCOUNT_PREFIX = "Bench Account "
CONTACTS_PER_ACCOUNT = 10
RELATIONSHIPS_PER_ACCOUNT = 20
EXECUTIVES = 5  # bench-user-0001 is the admin, 0002-0005 are executives
MANAGERS = 20

INDUSTRIES = [c.value for c in Industry]
REGIONS = [c.value for c in Region]
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
LEVELS = list(data.CONTACT_TITLES)
BUYING = {lvl: (list(w), list(w.values())) for lvl, w in data.BUYING_ROLE_WEIGHTS.items()}
ATTITUDES = (list(data.ATTITUDE_WEIGHTS), list(data.ATTITUDE_WEIGHTS.values()))
ALL_UNITS = sorted({u for units in data.BUSINESS_UNITS.values() for u in units})


def username(number: int) -> str:
    return f"{USER_PREFIX}{number:04d}"


def account_name(number: int) -> str:
    return f"{ACCOUNT_PREFIX}{number:05d}"


# Who may point at a contact or a business unit: (model, field). When nothing else does,
# the reset deletes their bench rows in one statement each; otherwise it leaves them to
# the ORM's cascade. Hidden relations (related_name="+") count too.
KNOWN_CONTACT_REFERENCES = {
    ("Contact", "reports_to"),
    ("Relationship", "contact"),
    ("Interaction", "contacts"),
    ("Interaction_contacts", "contact"),  # the many-to-many's own table
    ("SurveyInvitation", "contact"),
}
KNOWN_UNIT_REFERENCES = {
    ("Contact", "business_unit"),
    ("Opportunity", "business_unit"),
    ("WhitespaceCell", "business_unit"),
}
KNOWN_OPPORTUNITY_REFERENCES = {
    ("QualificationAnswer", "opportunity"),
    ("ScoreChange", "opportunity"),
    ("StageChange", "opportunity"),
}
KNOWN_SCORECARD_REFERENCES = {("ScorecardLine", "scorecard")}


def only_known_references(model, known: set[tuple[str, str]]) -> bool:
    """Whether only the relations `known` point at `model`, hidden ones included (an
    unknown one would fail the set-based delete, or lose its cascade)."""
    found = {
        (rel.related_model.__name__, rel.field.name)
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.is_relation and rel.auto_created and not rel.concrete
    }
    return found <= known


def delete_in_one_statement(queryset) -> int:
    """DELETE the rows of `queryset` with one statement and a subquery, no cascade."""
    model = queryset.model
    select, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({select})", params)
        return cursor.rowcount


def parent_number(number: int) -> int | None:
    """Every 20th account is a global group; the three after it are its subsidiaries."""
    offset = (number - 1) % 20
    return number - offset if 1 <= offset <= 3 else None


class Command(BaseCommand):
    help = "Generate the DESIGN §9 benchmark data set (10,000 accounts by default)."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=10_000, help="accounts to have")
        parser.add_argument("--users", type=int, default=300, help="bench users to have")
        parser.add_argument("--reset", action="store_true", help="delete bench data first")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--chunk", type=int, default=1000, help="accounts written per transaction"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--opportunities-per-account",
            type=int,
            default=5,
            help="opportunities each bench account has (default 5: 50,000 at 10,000 accounts)",
        )
        parser.add_argument(
            "--scorecard-months",
            type=int,
            default=60,
            help="monthly scorecards each bench account has, up to this month (default 60: "
            "600,000 scorecards at 10,000 accounts; 0 skips them and the surveys)",
        )

    def handle(self, *args, **options):
        n_accounts, n_users = options["accounts"], options["users"]
        if n_accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        if n_users < EXECUTIVES + MANAGERS + 3:
            raise CommandError(f"--users must be at least {EXECUTIVES + MANAGERS + 3}.")
        self.batch = options["batch_size"]
        self.seed = options["seed"]
        self.timings: Counter = Counter()
        self.created: Counter = Counter()
        self.today = timezone.localdate()
        started = time.monotonic()

        if options["reset"]:
            with self.phase("reset"):
                self.reset()

        with self.phase("users"):
            users = self.ensure_users(n_users)
        team_pool = [users[n] for n in range(EXECUTIVES + MANAGERS + 1, n_users + 1)]

        existing = {
            int(name[len(ACCOUNT_PREFIX) :]): pk
            for pk, name in Account.objects.filter(name__startswith=ACCOUNT_PREFIX).values_list(
                "pk", "name"
            )
            if name[len(ACCOUNT_PREFIX) :].isdigit()
        }
        missing = [n for n in range(1, n_accounts + 1) if n not in existing]
        if existing and missing:
            self.stdout.write(
                f"seed_bench: {len(existing)} bench accounts exist; adding {len(missing)}."
            )

        self.account_pks = dict(existing)
        chunk = max(1, options["chunk"])
        for start in range(0, len(missing), chunk):
            numbers = missing[start : start + chunk]
            with transaction.atomic():
                self.write_chunk(numbers, team_pool)
            if options["verbosity"] >= 2:
                self.stdout.write(f"  … {start + len(numbers)}/{len(missing)} accounts")

        added = opportunities.seed_opportunities(
            self,
            account_pks=self.account_pks,
            new=set(missing),
            per_account=options["opportunities_per_account"],
            chunk=chunk,
        )
        added += scorecards.seed_scorecards(
            self, account_pks=self.account_pks, months=options["scorecard_months"]
        )
        if not missing and not added:
            self.stdout.write(
                f"seed_bench: bench data already present ({len(existing)} accounts, "
                f"{len(users)} users); nothing to add. Use --reset to rebuild it."
            )
            return

        # Fresh planner statistics: without them PostgreSQL guesses the new tables are
        # tiny and picks sequential scans for per-account queries.
        with self.phase("analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        total = time.monotonic() - started
        phases = ", ".join(f"{name} {secs:.1f} s" for name, secs in self.timings.items())
        made = ", ".join(f"{count} {name}" for name, count in self.created.items())
        self.stdout.write(f"seed_bench: created {made}.")
        self.stdout.write(f"seed_bench: timings: {phases}; total {total:.1f} s.")

    # --- phases ---------------------------------------------------------------------

    @contextmanager
    def phase(self, name: str):
        """Add the time spent in the block to phase `name` (phases repeat per chunk)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] += time.monotonic() - started

    def reset(self):
        bench = Account.objects.filter(name__startswith=ACCOUNT_PREFIX)
        contacts = Contact.objects.filter(account__in=bench)
        units = BusinessUnit.objects.filter(account__in=bench)
        deals = Opportunity.objects.filter(account__in=bench)
        cards = Scorecard.objects.filter(account__in=bench)
        rounds = SurveyRound.objects.filter(account__in=bench)
        deleted = 0
        with transaction.atomic():
            # The big tables go first, each in one set-based statement: the ORM's cascade
            # collector would load 100,000 contacts and issue thousands of queries.
            if only_known_references(Opportunity, KNOWN_OPPORTUNITY_REFERENCES):
                for model in (QualificationAnswer, ScoreChange, StageChange):
                    deleted += model.objects.filter(opportunity__in=deals).delete()[0]
                deleted += delete_in_one_statement(deals)
            # Five years of monthly scorecards: 3,000,000 lines at 10,000 accounts.
            if only_known_references(
                Scorecard, KNOWN_SCORECARD_REFERENCES
            ) and only_known_references(ScorecardLine, set()):
                deleted += delete_in_one_statement(
                    ScorecardLine.objects.filter(scorecard__in=cards)
                )
                deleted += delete_in_one_statement(cards)
            # The surveys before the contacts their invitations point at (a few thousand
            # rows: the ORM's delete, cascades and all).
            deleted += SurveyAnswer.objects.filter(response__round__in=rounds).delete()[0]
            deleted += SurveyResponse.objects.filter(round__in=rounds).delete()[0]
            deleted += SurveyInvitation.objects.filter(round__in=rounds).delete()[0]
            deleted += rounds.delete()[0]
            SurveyInvitation.objects.filter(contact__in=contacts).update(contact=None)
            # Relationships and team members have post_delete receivers (plans.signals: a
            # plan's stored quality reads them), so the ORM would load and signal each row,
            # 400,000 queries; the plans they would refresh are the bench accounts', which
            # go below with their accounts.
            relationships = Relationship.objects.filter(contact__in=contacts)
            if only_known_references(Relationship, set()):
                deleted += delete_in_one_statement(relationships)
            else:
                deleted += relationships.delete()[0]
            if only_known_references(TeamMember, set()):
                deleted += delete_in_one_statement(TeamMember.objects.filter(account__in=bench))
            deleted += Interaction.contacts.through.objects.filter(contact__in=contacts).delete()[0]
            if only_known_references(Contact, KNOWN_CONTACT_REFERENCES):
                Contact.objects.filter(reports_to__in=contacts).update(reports_to=None)
                deleted += delete_in_one_statement(contacts)
            if only_known_references(BusinessUnit, KNOWN_UNIT_REFERENCES):
                Contact.objects.filter(business_unit__in=units).update(business_unit=None)
                Opportunity.objects.filter(business_unit__in=units).update(business_unit=None)
                deleted += WhitespaceCell.objects.filter(business_unit__in=units).delete()[0]
                deleted += delete_in_one_statement(units)
            # What is left (accounts, snapshots, tiers, plans, and rows of other apps pointing at
            # bench data) goes through the ORM, cascades and all.
            deleted += bench.delete()[0]
            deleted += User.objects.filter(username__startswith=USER_PREFIX).delete()[0]
            # The bench catalogue of product lines (their whitespace cells go with them).
            deleted += ProductLine.objects.filter(
                name__startswith=opportunities.PRODUCT_LINE_PREFIX
            ).delete()[0]
        self.stdout.write(f"seed_bench: reset removed {deleted} rows.")

    def ensure_users(self, n_users: int) -> dict[int, User]:
        found = {
            int(u.username[len(USER_PREFIX) :]): u
            for u in User.objects.filter(username__startswith=USER_PREFIX)
            if u.username[len(USER_PREFIX) :].isdigit()
        }
        # Hashed once, shared by every bench user (and not at all when none is missing).
        # No usable password: benchmarks sign in with force_login (bench/pages.py); set
        # one with `manage.py changepassword bench-user-0001` to use the browser.
        password = make_password(None)
        tiers = (
            range(1, EXECUTIVES + 1),
            range(EXECUTIVES + 1, EXECUTIVES + MANAGERS + 1),
            range(EXECUTIVES + MANAGERS + 1, n_users + 1),
        )
        # Executives, then managers, then team members: each tier's bosses exist already.
        for tier in tiers:
            new = []
            for number in tier:
                if number in found:
                    continue
                rng = random.Random(self.seed * 1_000_003 + number)
                if number == 1:
                    role, boss, title = User.Role.ADMIN, None, "Sales Operations Administrator"
                elif number <= EXECUTIVES:
                    role, boss, title = User.Role.EXECUTIVE, None, "Vice President Sales"
                elif number <= EXECUTIVES + MANAGERS:
                    role, title = User.Role.MANAGER, "Key Account Director"
                    boss = found.get(2 + (number - 1) % (EXECUTIVES - 1))
                else:
                    role, title = User.Role.TEAM_MEMBER, "Key Account Manager"
                    boss = found.get(EXECUTIVES + 1 + (number - 1) % MANAGERS)
                new.append(
                    User(
                        username=username(number),
                        first_name=rng.choice(data.FIRST_NAMES),
                        last_name=rng.choice(data.LAST_NAMES),
                        email=f"{username(number)}@bench.example",
                        role=role,
                        is_staff=role == User.Role.ADMIN,
                        manager=boss,
                        title=title,
                        password=password,
                    )
                )
            User.objects.bulk_create(new, batch_size=self.batch)
            for user in new:
                found[int(user.username[len(USER_PREFIX) :])] = user
            self.created["users"] += len(new)
        return found

    def write_chunk(self, numbers: list[int], team_pool: list[User]) -> None:
        plans = [self.plan_account(n, team_pool) for n in numbers]

        with self.phase("accounts"):
            # Groups before their subsidiaries, so a subsidiary can point at its group.
            for wave in (
                [p for p in plans if p["parent"] is None],
                [p for p in plans if p["parent"] is not None],
            ):
                for p in wave:
                    if p["parent"] is not None:
                        p["account"].parent_id = self.account_pks.get(p["parent"])
                Account.objects.bulk_create([p["account"] for p in wave], batch_size=self.batch)
                for p in wave:
                    self.account_pks[p["number"]] = p["account"].pk
            self.created["accounts"] += len(plans)

        with self.phase("business units"):
            units = []
            for p in plans:
                for unit in p["units"]:
                    unit.account_id = p["account"].pk
                    units.append(unit)
            BusinessUnit.objects.bulk_create(units, batch_size=self.batch)
            self.created["business units"] += len(units)

        with self.phase("team members"):
            members = []
            for p in plans:
                for member in p["team"]:
                    member.account_id = p["account"].pk
                    members.append(member)
            TeamMember.objects.bulk_create(members, batch_size=self.batch)
            self.created["team members"] += len(members)

        with self.phase("contacts"):
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
                Contact.objects.bulk_create(batch, batch_size=self.batch)
                self.created["contacts"] += len(batch)

        with self.phase("relationships"):
            relationships = []
            for p in plans:
                for rel, contact_index in p["relationships"]:
                    rel.contact_id = p["contacts"][contact_index][0].pk
                    relationships.append(rel)
            Relationship.objects.bulk_create(relationships, batch_size=self.batch)
            self.created["relationships"] += len(relationships)

        with self.phase("snapshots"):
            # Today's snapshot, computed by the nightly job's own code (RPI included), so
            # list pages read what a real installation's nightly job leaves behind.
            written = account_snapshots_refresh(
                account_ids=[p["account"].pk for p in plans], on=self.today
            )
            self.created["snapshots"] += len(written)

    def plan_account(self, number: int, team_pool: list[User]) -> dict:
        """Everything about bench account `number`, from its own random generator."""
        with self.phase("generate"):
            rng = random.Random(self.seed * 10_000_019 + number)
            stage = rng.choices(STAGES, weights=STAGE_WEIGHTS)[0]
            revenue = min(max(900_000 * rng.lognormvariate(0, 1.2), 10_000), 60_000_000)
            if stage == LifecycleStage.ACQUISITION:
                revenue *= 0.1
            share = rng.uniform(0.03, 0.6)
            team_size = rng.choice((2, 3, 3, 4))
            team_users = rng.sample(team_pool, team_size)
            owner = team_users[0]
            account = Account(
                name=account_name(number),
                industry=rng.choice(INDUSTRIES),
                region=rng.choice(REGIONS),
                lifecycle_stage=stage,
                annual_revenue=Decimal(int(revenue)),
                wallet_estimate=Decimal(int(revenue / share)),
                gross_margin_pct=Decimal(f"{min(max(rng.gauss(31, 7), 5), 60):.2f}"),
                strategic_value=rng.choices((1, 2, 3, 4, 5), weights=(15, 25, 30, 20, 10))[0],
                owner_id=owner.pk,
                description="Benchmark data (seed_bench).",
            )
            units = [
                BusinessUnit(name=name) for name in rng.sample(ALL_UNITS, rng.choice((2, 3, 3, 4)))
            ]
            team = [TeamMember(user_id=owner.pk, role=TeamMember.Role.OWNER)]
            team += [
                TeamMember(
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
                first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
                roles, role_weights = BUYING[level]
                contacts.append(
                    (
                        Contact(
                            name=f"{first} {last}",
                            title=rng.choice(data.CONTACT_TITLES[level]),
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
            for pair in rng.sample(
                range(CONTACTS_PER_ACCOUNT * team_size), RELATIONSHIPS_PER_ACCOUNT
            ):
                contact_index, user = divmod(pair, team_size)
                strength = rng.choices(range(5), weights=(8, 25, 35, 22, 10))[0]
                target = min(4, strength + rng.randint(0, 2)) if rng.random() < 0.4 else None
                last = (
                    self.today - timedelta(days=rng.randrange(365)) if rng.random() < 0.75 else None
                )
                relationships.append(
                    (
                        Relationship(
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
