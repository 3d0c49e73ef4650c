"""The demo's accounts and what hangs off them (`seed_demo`), written from the book
(`demo.seed.book`). Each row has a natural key: account name, (account, unit name),
(account, contact name), (account, user), (contact, user), (account, date, kind,
subject); each step reads what exists by that key and creates only what is missing, so
a second run creates nothing and a deleted row comes back. The rows are built by the
factories with every value given, and written in bulk. Business units, contacts, team
members and relationships are written through core.history, dated when the account's
timeline (`demo.seed.timeline`) says they came to be, with each relationship's climb to
today's strength as dated changes: the RPI's past is their history."""

from collections import defaultdict

from accounts_app.models import (
    Account,
    BusinessUnit,
    Contact,
    Interaction,
    Relationship,
    TeamMember,
)
from core import history
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
    TeamMemberFactory,
    industry_entry,
    region_entry,
)

from .org_charts import TRole
from .tally import Tally
from .timeline import moment


def _create_dated(model, dated) -> list:
    """Write the (day, object) pairs with their "created" history dated that day: one
    bulk write per day."""
    by_day = defaultdict(list)
    for day, obj in dated:
        by_day[day].append(obj)
    created = []
    for day in sorted(by_day):
        created += history.bulk_create(model, by_day[day], at=moment(day))
    return created


def accounts_ensure(book, users, tally: Tally) -> dict[str, Account]:
    accounts: dict[str, Account] = {}
    for account in Account.objects.filter(name__in=[a.name for a in book]).order_by("pk"):
        accounts.setdefault(account.name, account)
    # Parents before children, so a child can point at its parent's primary key.
    for wave in ([a for a in book if not a.parent], [a for a in book if a.parent]):
        new = [
            (
                a.since,
                AccountFactory.build(
                    name=a.name,
                    parent=accounts[a.parent] if a.parent else None,
                    industry=industry_entry(a.industry),
                    region=region_entry(a.region),
                    lifecycle_stage=a.stage,
                    annual_revenue=a.revenue,
                    wallet_estimate=a.wallet,
                    gross_margin_pct=a.margin,
                    strategic_value=a.strategic_value,
                    strategic_value_reason=a.reason,
                    owner=users[a.owner],
                    website=a.website,
                    description=a.description,
                ),
            )
            for a in wave
            if a.name not in accounts
        ]
        for account in _create_dated(Account, new):
            accounts[account.name] = account
            tally.touched.add(account.pk)
        tally.created["accounts"] += len(new)
    return accounts


def units_ensure(book, accounts, tally: Tally) -> dict[tuple[int, str], BusinessUnit]:
    ids = [accounts[a.name].pk for a in book]
    units = {(u.account_id, u.name): u for u in BusinessUnit.objects.filter(account_id__in=ids)}
    new = [
        (a.since, BusinessUnitFactory.build(account=accounts[a.name], name=name))
        for a in book
        for name in a.units
        if (accounts[a.name].pk, name) not in units
    ]
    for unit in _create_dated(BusinessUnit, new):
        units[(unit.account_id, unit.name)] = unit
        tally.touched.add(unit.account_id)
    tally.created["units"] += len(new)
    return units


def contacts_ensure(book, accounts, units, tally: Tally) -> dict[tuple[int, str], Contact]:
    ids = [accounts[a.name].pk for a in book]
    contacts: dict[tuple[int, str], Contact] = {}
    for contact in Contact.objects.filter(account_id__in=ids).order_by("pk"):
        contacts.setdefault((contact.account_id, contact.name), contact)
    # Top of the org chart first, so everyone's boss already has a primary key.
    depth = max(c["depth"] for a in book for c in a.contacts)
    for level in range(depth + 1):
        new = []
        for a in book:
            account = accounts[a.name]
            for c in a.contacts:
                if c["depth"] != level or (account.pk, c["name"]) in contacts:
                    continue
                new.append(
                    (
                        c["since"],
                        ContactFactory.build(
                            account=account,
                            name=c["name"],
                            title=c["title"],
                            email=c["email"],
                            business_unit=units[(account.pk, c["unit"])] if c["unit"] else None,
                            reports_to=contacts[(account.pk, c["boss"])] if c["boss"] else None,
                            level=c["level"],
                            buying_role=c["buying_role"],
                            attitude=c["attitude"],
                        ),
                    )
                )
        for contact in _create_dated(Contact, new):
            contacts[(contact.account_id, contact.name)] = contact
            tally.touched.add(contact.account_id)
        tally.created["contacts"] += len(new)
    return contacts


def team_ensure(book, accounts, users, tally: Tally) -> None:
    ids = [accounts[a.name].pk for a in book]
    existing = set(
        TeamMember.objects.filter(account_id__in=ids).values_list("account_id", "user_id")
    )
    has_owner = set(
        TeamMember.objects.filter(account_id__in=ids, role=TRole.OWNER).values_list(
            "account_id", flat=True
        )
    )
    new = []
    for a in book:
        account = accounts[a.name]
        for username, role in a.team.items():
            user = users[username]
            if (account.pk, user.pk) in existing:
                continue
            if role == TRole.OWNER and account.pk in has_owner:
                role = TRole.SALES  # someone else owns it by now: keep them
            member = TeamMemberFactory.build(account=account, user=user, role=role)
            new.append((a.joined[username], member))
            tally.touched.add(account.pk)
    _create_dated(TeamMember, new)
    tally.created["team"] += len(new)


def relationships_ensure(book, accounts, contacts, users, tally: Tally) -> None:
    ids = [accounts[a.name].pk for a in book]
    existing = set(
        Relationship.objects.filter(contact__account_id__in=ids).values_list(
            "contact_id", "user_id"
        )
    )
    new, steps = [], defaultdict(list)
    for a in book:
        account = accounts[a.name]
        for (contact_name, username), rel in a.relationships.items():
            contact = contacts[(account.pk, contact_name)]
            user = users[username]
            if (contact.pk, user.pk) in existing:
                continue
            relationship = RelationshipFactory.build(
                contact=contact,
                user=user,
                strength=rel["start"],
                target_strength=rel["target"],
                last_interaction=rel["last"],
            )
            new.append((rel["since"], relationship))
            for day, strength in rel["steps"]:
                steps[day].append((relationship, strength))
            tally.touched.add(account.pk)
    _create_dated(Relationship, new)
    # The climb, fortnight by fortnight, oldest first: the last step leaves each
    # relationship at today's strength.
    for day in sorted(steps):
        for relationship, strength in steps[day]:
            relationship.strength = strength
        history.bulk_update(Relationship, [r for r, _ in steps[day]], ["strength"], at=moment(day))
    tally.created["relationships"] += len(new)


def interactions_ensure(book, accounts, contacts, users, tally: Tally) -> None:
    ids = [accounts[a.name].pk for a in book]
    existing = {
        (account_id, on, kind, subject): pk
        for pk, account_id, on, kind, subject in Interaction.objects.filter(
            account_id__in=ids
        ).values_list("pk", "account_id", "date", "kind", "subject")
    }
    new, wanted = [], []  # wanted: (key, contacts, users) of every planned interaction
    for a in book:
        account = accounts[a.name]
        for i in a.interactions:
            key = (account.pk, i["date"], i["kind"], i["subject"])
            people = [users[u] for u in i["users"]]
            wanted.append((key, [contacts[(account.pk, c)] for c in i["contacts"]], people))
            if key in existing:
                continue
            interaction = InteractionFactory.build(
                account=account,
                kind=i["kind"],
                date=i["date"],
                subject=i["subject"],
                note=i["note"],
                created_by=people[0],
            )
            new.append((key, interaction))
            tally.touched.add(account.pk)
    _create_dated(Interaction, [(interaction.date, interaction) for _, interaction in new])
    existing.update((key, interaction.pk) for key, interaction in new)
    created_pks = {interaction.pk for _, interaction in new}
    tally.created["interactions"] += len(new)

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
            UserLink(interaction_id=pk, user_id=u.pk) for u in ours if (pk, u.pk) not in have_users
        ]
        if more_contacts or more_users:
            contact_links += more_contacts
            user_links += more_users
            tally.touched.add(key[0])
            if pk not in created_pks:
                tally.created["relinked"] += 1
    ContactLink.objects.bulk_create(contact_links)
    UserLink.objects.bulk_create(user_links)
