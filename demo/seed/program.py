"""A key account program in fair order (`seed_demo`): most accounts of a tier with a
servicing model meet it, so the demo's alerts, home pages and dashboards show the few
that do not — as a real program would — rather than every one.

After the segmentation and the plans of alice and bob: the other owners' accounts whose
tier calls for a plan get this year's plan, short but complete, submitted and approved
by the owner's manager; the accounts whose tier calls for a role the team lacks get
someone in it (the executive sponsor: the owner's manager's manager or a director).
About one in six is left as it is. Written through the services, the first time only,
each account from its own seeded generator."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts_app.models import Account, TeamMember, User
from accounts_app.services import team_member_add
from plans import services as plans
from plans.models import Goal, Strategy, Tactic
from plans.selectors import current_plans

from . import texts
from .book import SEED

LEFT_AS_IS = 1 / 6


def _tier(account: Account):
    assignment = getattr(account, "tier_assignment", None)
    return assignment.tier if assignment else None


def _plan_approved(account: Account, rng: random.Random) -> None:
    owner = account.owner
    today = timezone.localdate()
    plan = plans.plan_create(account=account, by=owner)
    overview = rng.choice(texts.PLAN_OVERVIEWS).format(account=account.name)
    plans.plan_update(plan=plan, by=owner, version=None, overview=overview)
    goal_text, strategy_texts = rng.choice(texts.PLAN_GOALS)
    goal = plans.item_create(model=Goal, by=owner, parent=plan, text=goal_text)
    strategy_text, tactic_texts = strategy_texts[0]
    strategy = plans.item_create(model=Strategy, by=owner, parent=goal, text=strategy_text)
    for tactic_text in tactic_texts[:3]:
        plans.item_create(
            model=Tactic,
            by=owner,
            parent=strategy,
            text=tactic_text,
            owner=owner,
            due_date=today + timedelta(days=rng.randint(10, 150)),
            status=rng.choice(["open", "in_progress", "in_progress", "done"]),
        )
    plans.plan_submit(plan=plan, by=owner, comment="Ready for review.")
    plans.plan_approve(plan=plan, by=owner.manager, comment="Approved: a sound plan.")


def _sponsor(account: Account, users: dict[str, User]) -> User:
    """The owner's manager's manager if there is one on the team's side, else a
    director: someone senior to the owner who is not on the team yet."""
    manager = account.owner.manager
    for candidate in (getattr(manager, "manager", None), manager, users["mira"]):
        if candidate is not None and candidate.role == User.Role.MANAGER:
            return candidate
    return users["manager"]


def program_in_order(*, users: dict[str, User], accounts: list[Account]) -> int:
    """Plans and team roles where the tiers call for them, on most accounts; returns how
    many accounts were put in order (0 once done: what is there is not written again)."""
    others = [
        a
        for a in Account.objects.filter(pk__in=[a.pk for a in accounts])
        .exclude(owner__username__in=("alice", "bob"))
        .select_related("owner__manager__manager", "tier_assignment__tier")
        .order_by("pk")
    ]
    planned = set(
        current_plans(accounts=[a.pk for a in others]).values_list("account_id", flat=True)
    )
    roles = {}
    for member in TeamMember.objects.filter(account__in=others):
        roles.setdefault(member.account_id, set()).add(member.role)
    admin = users["admin"]
    done = 0
    for account in others:
        tier = _tier(account)
        if tier is None or account.owner is None:
            continue
        rng = random.Random(f"{SEED}:program:{account.name}")
        if rng.random() < LEFT_AS_IS:
            continue
        touched = False
        if tier.plan_required and account.owner.manager is not None and account.pk not in planned:
            _plan_approved(account, rng)
            touched = True
        for role in tier.required_team_roles or []:
            if role in roles.get(account.pk, set()) or role != TeamMember.Role.EXECUTIVE_SPONSOR:
                continue
            person = _sponsor(account, users)
            if TeamMember.objects.filter(account=account, user=person).exists():
                continue
            team_member_add(account=account, user=person, role=role, by=admin)
            touched = True
        done += touched
    return done
