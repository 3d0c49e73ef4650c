"""The demo's account plans (`seed_demo`): this fiscal year's plan for alice's and bob's
accounts, at every stage of the life cycle (barely started to complete; draft,
commented, submitted, sent back, approved), with coaching from their manager. Written
through the services, the first time only, each from its own seeded generator."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts_app.models import Account, User
from plans import services as plans
from plans.models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

from . import texts
from .book import SEED
from .draws import money


def plans_write(*, users: dict[str, User], accounts: list[Account]) -> int:
    """The first time: this fiscal year's plan for alice's and bob's accounts, at every
    stage of the life cycle, with coaching from their manager."""
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
        overview = rng.choice(texts.PLAN_OVERVIEWS).format(account=account.name)
        fields = {"overview": overview if depth else ""}
        if depth >= 2:
            fields["revenue_target"] = money(float(account.annual_revenue) * rng.uniform(1.05, 1.3))
            quarter = float(account.annual_revenue) / 4
            fields |= {f"revenue_q{q}": money(quarter * rng.uniform(0.8, 1.2)) for q in (1, 2)}
        plans.plan_update(plan=plan, by=owner, version=None, **fields)
        points = [
            plans.item_create(model=KnowledgePoint, by=owner, parent=plan, kind=kind, text=text)
            for kind, text in rng.sample(texts.KNOWLEDGE_POINTS, 2 + depth)
        ]
        for kind, text in rng.sample(texts.SWOT_ITEMS, 2 + 2 * depth):
            plans.item_create(model=SwotItem, by=owner, parent=plan, kind=kind, text=text)
        customer_goals = [p for p in points if p.kind == KnowledgePoint.Kind.GOAL]
        for goal_text, strategy_texts in rng.sample(texts.PLAN_GOALS, max(depth, 1)):
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
                plans.plan_approve(plan=plan, by=manager, comment="Clear and measurable. Approved.")
            else:
                plans.plan_request_changes(
                    plan=plan,
                    by=manager,
                    comment="Name the decision makers we still lack; date every tactic.",
                )
    return len(owned)
