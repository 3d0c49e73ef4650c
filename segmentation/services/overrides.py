"""Overrides: an account pinned to a tier (with the reason) until the pin is removed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_app.models import Account, User
from core.history import records_actor
from core.jobs import recompute_later

from ..models import Tier, TierAssignment, TierChange


@records_actor
@transaction.atomic
def tier_pin(*, account: Account, tier: Tier, reason: str, by: User) -> TierAssignment:
    """Pin `account` to `tier` until the pin is removed; the reason is mandatory."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this account belongs in this tier."})
    assignment = TierAssignment.objects.select_for_update().filter(account=account).first()
    old_tier = assignment.tier_id if assignment else None
    if assignment is None:
        assignment = TierAssignment(account=account, tier=tier)
    assignment.tier = tier
    assignment.pinned, assignment.pin_reason = True, reason
    assignment.pinned_by, assignment.pinned_at = by, timezone.now()
    assignment.save()
    TierChange.objects.create(
        account=account,
        from_tier_id=old_tier,
        to_tier=tier,
        score=assignment.composite if old_tier else None,
        cause=TierChange.Cause.OVERRIDE,
        reason=reason,
        by=by,
    )
    recompute_later(account.pk)  # another tier, other servicing requirements and alerts
    return assignment


@records_actor
@transaction.atomic
def tier_unpin(*, account: Account, by: User) -> TierAssignment | None:
    """Remove the pin; the next run places the account by the rules again."""
    assignment = TierAssignment.objects.select_for_update().filter(account=account).first()
    if assignment is None or not assignment.pinned:
        return assignment
    assignment.pinned, assignment.pin_reason = False, ""
    assignment.pinned_by = assignment.pinned_at = None
    assignment.save()
    TierChange.objects.create(
        account=account,
        from_tier=assignment.tier,
        to_tier=assignment.tier,
        score=assignment.composite,
        cause=TierChange.Cause.UNPIN,
        by=by,
    )
    recompute_later(account.pk)
    return assignment
