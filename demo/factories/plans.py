"""Factories of plans. A plan, its items and a business review are made through the
services, as a person makes them: `PlanFactory(account=a, by=u)` is `plan_create` (the
account's figures, the stored quality, the history row, by `u`, else the account's
owner). `.build()` gives a plain unsaved row."""

import factory
from django.utils import timezone

from core.periods import fiscal_year
from plans import reviews, services
from plans.models import (
    BusinessReview,
    Goal,
    KnowledgePoint,
    Plan,
    ReviewActionItem,
    Strategy,
    SwotItem,
    Tactic,
)

from .accounts import AccountFactory
from .base import ModelFactory


class PlanFactory(ModelFactory):
    """This fiscal year's plan unless `period=`; other plan fields go through
    `plan_update` after `plan_create`."""

    class Meta:
        model = Plan

    account = factory.SubFactory(AccountFactory)
    period = factory.LazyFunction(fiscal_year)

    @classmethod
    def _create(cls, model_class, *args, account, period, by=None, **fields):
        by = by or account.owner
        plan = services.plan_create(account=account, by=by, period=period)
        if fields:
            plan = services.plan_update(plan=plan, by=by, version=None, **fields)
        return plan


def _account_of(parent):
    if isinstance(parent, Strategy):
        parent = parent.goal
    if isinstance(parent, Goal):
        parent = parent.plan
    return parent.account


class PlanItemFactory(ModelFactory):
    """An item placed last under its parent through `item_create`, by `by` (else the
    account's owner)."""

    class Meta:
        abstract = True

    text = factory.Sequence(lambda n: f"Item {n}")

    @classmethod
    def _create(cls, model_class, *args, by=None, **fields):
        parent = fields.pop({Strategy: "goal", Tactic: "strategy"}.get(model_class, "plan"))
        by = by or _account_of(parent).owner
        return services.item_create(model=model_class, by=by, parent=parent, **fields)


class KnowledgePointFactory(PlanItemFactory):
    class Meta:
        model = KnowledgePoint

    plan = factory.SubFactory(PlanFactory)
    kind = KnowledgePoint.Kind.GOAL


class SwotItemFactory(PlanItemFactory):
    class Meta:
        model = SwotItem

    plan = factory.SubFactory(PlanFactory)
    kind = SwotItem.Kind.STRENGTH


class GoalFactory(PlanItemFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)


class StrategyFactory(PlanItemFactory):
    class Meta:
        model = Strategy

    goal = factory.SubFactory(GoalFactory)


class TacticFactory(PlanItemFactory):
    class Meta:
        model = Tactic

    strategy = factory.SubFactory(StrategyFactory)


class BusinessReviewFactory(ModelFactory):
    """An external review scheduled for today unless told otherwise, through
    `review_save` (which names it) by `by`, else the account's owner; `attendees=` and
    `customer_attendees=` as the service takes them."""

    class Meta:
        model = BusinessReview

    account = factory.SubFactory(AccountFactory)
    kind = BusinessReview.Kind.EXTERNAL
    scheduled_for = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, account, by=None, **fields):
        return reviews.review_save(account=account, by=by or account.owner, **fields)


class ReviewActionItemFactory(ModelFactory):
    """An action item of a review through `action_add`."""

    class Meta:
        model = ReviewActionItem

    review = factory.SubFactory(BusinessReviewFactory)
    text = factory.Sequence(lambda n: f"Action {n}")

    @classmethod
    def _create(cls, model_class, *args, review, by=None, **fields):
        return reviews.action_add(review=review, by=by or review.account.owner, **fields)
