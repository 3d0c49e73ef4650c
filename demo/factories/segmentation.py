"""Factories of segmentation. The default model's tiers are seeded (a data migration,
or `ensure_default_model()`): `TierFactory(name="Tier I")` returns the seeded one, a new
name makes a new tier at the bottom."""

import factory

from segmentation.models import SegmentationRun, Tier, TierAssignment, TierChange

from .accounts import AccountFactory
from .base import ModelFactory


def top_tier() -> Tier | None:
    return Tier.objects.order_by("rank").first()


class TierFactory(ModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tier {n + 100}")
    rank = factory.Sequence(lambda n: n + 100)


class TierAssignmentFactory(ModelFactory):
    """An account placed in a tier (the top one unless `tier=`), as a run leaves it."""

    class Meta:
        model = TierAssignment

    account = factory.SubFactory(AccountFactory)
    tier = factory.LazyFunction(top_tier)


class TierChangeFactory(ModelFactory):
    class Meta:
        model = TierChange

    account = factory.SubFactory(AccountFactory)
    to_tier = factory.LazyFunction(top_tier)
    cause = TierChange.Cause.RUN


class SegmentationRunFactory(ModelFactory):
    class Meta:
        model = SegmentationRun

    dry_run = True
