"""Writes of segmentation: runs (dry or applied), overrides, presets."""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_app.models import Account, User

from . import scoring
from .models import (
    Criterion,
    SegmentationRun,
    SegmentationSettings,
    Tier,
    TierAssignment,
    TierChange,
    TierCondition,
)
from .presets import PRESETS

logger = logging.getLogger(__name__)

BATCH = 1000


def _two_places(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ensure_default_model() -> None:
    """The five criteria (weight 1), the settings and the default tiers, where missing.

    The first migration seeds them too; this covers a database emptied since (a test
    that flushes tables, an admin who deleted every tier by mistake).
    """
    for key in scoring.CRITERIA:
        Criterion.objects.get_or_create(key=key, defaults={"weight": 1})
    SegmentationSettings.load()
    if not Tier.objects.exists():
        _create_tiers(PRESETS["tiers"])


def _create_tiers(specs) -> list[Tier]:
    tiers = []
    for rank, spec in enumerate(specs, start=1):
        spec = dict(spec)
        conditions = spec.pop("conditions")
        tier = Tier.objects.create(rank=rank, **spec)
        TierCondition.objects.bulk_create(
            TierCondition(tier=tier, criterion=c, threshold=t) for c, t in conditions
        )
        tiers.append(tier)
    return tiers


def tier_rules() -> tuple[list[Tier], list[scoring.TierRule]]:
    tiers = list(Tier.objects.prefetch_related("conditions").order_by("rank"))
    rules = [
        scoring.TierRule(
            key=tier.pk,
            conditions=tuple((c.criterion, c.threshold) for c in tier.conditions.all()),
            cap=tier.cap,
        )
        for tier in tiers
    ]
    return tiers, rules


def segmentation_compute() -> tuple[dict, dict, dict[int, scoring.Placement]]:
    """Scores, composites and placements of every non-archived account, as a run sees them."""
    ensure_default_model()
    weights = dict(Criterion.objects.values_list("key", "weight"))
    if not any(weight > 0 for weight in weights.values()):
        raise ValidationError("At least one criterion needs a weight above zero.")
    _, rules = tier_rules()
    problems = scoring.validate_tiers(rules)
    if problems:
        raise ValidationError(problems)
    facts = [
        scoring.AccountFacts(*row)
        for row in Account.objects.filter(archived=False)
        .order_by("pk")
        .values_list(
            "pk", "annual_revenue", "wallet_estimate", "gross_margin_pct", "strategic_value"
        )
        .iterator(chunk_size=BATCH)
    ]
    scores = scoring.criteria_scores(
        facts, expected_years=SegmentationSettings.load().expected_years
    )
    composites = {key: scoring.composite_score(s, weights) for key, s in scores.items()}
    pinned = dict(
        TierAssignment.objects.filter(pinned=True, account__archived=False).values_list(
            "account_id", "tier_id"
        )
    )
    placements = scoring.assign_tiers(scores, composites, rules, pinned=pinned)
    return scores, composites, placements


def segmentation_run_start(*, by: User | None, dry_run: bool, scheduled: bool = False):
    """Record a run and queue it once the transaction commits."""
    if by is not None and not by.is_admin_role:
        raise PermissionDenied("Only admins run the segmentation.")
    from .tasks import execute_segmentation_run

    run = SegmentationRun.objects.create(dry_run=dry_run, scheduled=scheduled, started_by=by)
    transaction.on_commit(lambda: execute_segmentation_run.delay(run.pk))
    return run


def segmentation_run_execute(*, run_id: int) -> SegmentationRun | None:
    """Compute every account's tier; list the changes; apply them unless a dry run.

    Idempotent: an account whose tier, scores, composite and capped flag are unchanged is
    not written, and history is written only for a change of tier — so a second run on
    unchanged data writes nothing. A run already done is not run again.
    """
    run = SegmentationRun.objects.filter(pk=run_id).first()
    if run is None or run.status in (SegmentationRun.Status.DONE, SegmentationRun.Status.FAILED):
        return run
    run.status, run.started_at = SegmentationRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        scores, composites, placements = segmentation_compute()
        run.total = len(placements)
        run.save(update_fields=["total"])
        run.changes = _apply(run, scores, composites, placements)
    except ValidationError as exc:
        run.status, run.error = SegmentationRun.Status.FAILED, " ".join(exc.messages)
    else:
        run.status = SegmentationRun.Status.DONE
    run.processed = run.total if run.status == SegmentationRun.Status.DONE else run.processed
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "changes", "processed", "finished_at"])
    return run


def _apply(run, scores, composites, placements) -> list[dict]:
    names = dict(Tier.objects.values_list("pk", "name"))
    current = {
        a.account_id: a
        for a in TierAssignment.objects.filter(account_id__in=placements.keys()).only(
            "id", "account_id", "tier_id", "scores", "composite", "capped", "pinned"
        )
    }
    changes, to_create, to_update, history = [], [], [], []
    keys = sorted(placements)
    for start in range(0, len(keys), BATCH):
        for key in keys[start : start + BATCH]:
            placement = placements[key]
            rounded = {c: float(_two_places(v)) for c, v in scores[key].items()}
            composite = _two_places(composites[key])
            existing = current.get(key)
            old_tier = existing.tier_id if existing else None
            if placement.pinned or old_tier != placement.tier:
                changes.append(
                    {
                        "account": key,
                        "from_tier": names.get(old_tier),
                        "to_tier": names[placement.tier],
                        "scores": rounded,
                        "composite": float(composite),
                        "capped": placement.capped,
                        "overridden": placement.pinned,
                    }
                )
            if run.dry_run:
                continue
            # A pinned account keeps its tier (placement.tier is the pin); its scores
            # are still brought up to date for the breakdown on the account page.
            if existing is None:
                to_create.append(
                    TierAssignment(
                        account_id=key,
                        tier_id=placement.tier,
                        scores=rounded,
                        composite=composite,
                        capped=placement.capped,
                    )
                )
            elif (existing.tier_id, existing.scores, existing.composite, existing.capped) != (
                placement.tier,
                rounded,
                composite,
                placement.capped,
            ):
                existing.tier_id, existing.scores = placement.tier, rounded
                existing.composite, existing.capped = composite, placement.capped
                to_update.append(existing)
            if old_tier != placement.tier:
                history.append(
                    TierChange(
                        account_id=key,
                        from_tier_id=old_tier,
                        to_tier_id=placement.tier,
                        score=composite,
                        cause=TierChange.Cause.RUN,
                        run=run,
                        by=run.started_by,
                    )
                )
        if not run.dry_run:
            with transaction.atomic():
                TierAssignment.objects.bulk_create(to_create, batch_size=BATCH)
                TierAssignment.objects.bulk_update(
                    to_update, ["tier", "scores", "composite", "capped"], batch_size=BATCH
                )
                TierChange.objects.bulk_create(history, batch_size=BATCH)
            to_create, to_update, history = [], [], []
        run.processed = min(start + BATCH, len(keys))
        run.save(update_fields=["processed"])
    return changes


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
    return assignment


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
    return assignment


@transaction.atomic
def preset_apply(*, name: str) -> list[Tier]:
    """Replace the tiers by a preset; refused once accounts have been placed in tiers."""
    if name not in PRESETS:
        raise ValidationError({"preset": f"Unknown preset “{name}”."})
    if TierAssignment.objects.exists():
        raise ValidationError(
            "Accounts are already placed in the current tiers: edit the tiers instead."
        )
    Tier.objects.all().delete()
    return _create_tiers(PRESETS[name])
