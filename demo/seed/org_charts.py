"""The org chart of each demo account (`seed_demo`): its contacts by level with their
bosses, units, buying roles and attitudes; who of the team knows whom, how well and how
well they should; nine months of interactions, which date the last contact of each
relationship. Drawn from the demo's random generator, account after account."""

import random
from collections import defaultdict
from datetime import timedelta

from accounts_app.models import Contact, Interaction, LifecycleStage, TeamMember

from .. import names
from . import texts
from .draws import slugify_ascii, weighted

HISTORY_DAYS = 270

TRole = TeamMember.Role
Level = Contact.Level
DM = Contact.BuyingRole.DECISION_MAKER


def plan_contacts(rng, account):
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
        lvl: rng.sample(names.CONTACT_TITLES[lvl], levels.count(lvl))
        for lvl in dict.fromkeys(levels)
    }
    domain = slugify_ascii(account.name) + ".example"
    used_names: set[str] = set()
    by_level: dict[str, list[dict]] = defaultdict(list)
    for level in levels:
        while True:
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
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
            "buying_role": weighted(rng, names.BUYING_ROLE_WEIGHTS[level]),
            "attitude": weighted(rng, names.ATTITUDE_WEIGHTS),
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


def plan_relationships(rng, account):
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


def plan_interactions(rng, account, anchor):
    count = 5 + round(account.size * 18) + rng.randint(0, 6)
    stale = account.stage in (LifecycleStage.DECLINING, LifecycleStage.AT_RISK)
    team = list(account.team)
    known_by: dict[str, list[str]] = defaultdict(list)
    for contact_name, username in account.relationships:
        known_by[username].append(contact_name)
    all_contacts = [c["name"] for c in account.contacts]
    seen: set[tuple] = set()
    for _ in range(count):
        kind = weighted(rng, texts.INTERACTION_KIND_WEIGHTS)
        if stale:
            days_ago = int(rng.triangular(45, HISTORY_DAYS, 150))
        else:
            days_ago = int(rng.triangular(0, HISTORY_DAYS, 20))
        on = anchor - timedelta(days=days_ago)
        subject = rng.choice(texts.INTERACTION_SUBJECTS[kind]).format(
            unit=rng.choice(account.units)
        )
        users = rng.sample(team, 1 if len(team) == 1 or rng.random() < 0.7 else 2)
        pool = sorted({name for u in users for name in known_by[u]}) or all_contacts
        how_many = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        contacts = rng.sample(pool, min(how_many, len(pool)))
        note = rng.choice(texts.INTERACTION_NOTES)
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
        _record(account, on, contacts, users)
    _decision_makers_met(account, anchor, stale)


def _record(account, on, contacts, users):
    for username in users:
        for contact_name in contacts:
            rel = account.relationships.get((contact_name, username))
            if rel is not None and (rel["last"] is None or rel["last"] < on):
                rel["last"] = on


def _decision_makers_met(account, anchor, stale):
    """A healthy account's team meets most of its decision makers every couple of
    months: a meeting for each one not met in 45 days, bar about one in five (from a
    generator of its own, so the rest of the book draws as before)."""
    if stale:
        return
    rng = random.Random(f"decision-makers-met:{account.name}")
    recent = {
        name
        for interaction in account.interactions
        if (anchor - interaction["date"]).days <= 45
        for name in interaction["contacts"]
    }
    for contact in account.contacts:
        if contact["buying_role"] != DM or contact["name"] in recent or rng.random() < 0.2:
            continue
        on = anchor - timedelta(days=rng.randint(3, 40))
        users = [account.owner]
        account.interactions.append(
            {
                "kind": Interaction.Kind.MEETING,
                "date": on,
                "subject": f"Account review with {contact['name'].split()[0]}",
                "note": rng.choice(texts.INTERACTION_NOTES),
                "contacts": [contact["name"]],
                "users": users,
            }
        )
        _record(account, on, [contact["name"]], users)
