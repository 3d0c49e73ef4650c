"""The demo's segmentation (`seed_demo`): the default model applied by the admin in one
run, and one account pinned to the top tier by the manager, the first time only."""

from accounts_app.models import Account, User
from demo.factories import SegmentationRunFactory
from segmentation import services as segmentation
from segmentation.models import Tier, TierAssignment


def segmentation_apply(*, users: dict[str, User], accounts: list[Account]) -> int:
    """The first time: an applied segmentation run by the admin, and one override by
    the manager, so the demo shows tiers, history and a pinned account."""
    if TierAssignment.objects.filter(account__in=accounts).exists():
        return 0
    segmentation.ensure_default_model()
    run = SegmentationRunFactory(dry_run=False, started_by=users["admin"])
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
