"""Segmentation runs: compute every account's tier, list the changes, apply them unless
the run is a dry one."""

import logging
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_app.models import Account, User
from core.history import records_actor
from core.jobs import snapshots_refresh_later

from .. import scoring
from ..models import (
    Criterion,
    SegmentationRun,
    SegmentationSettings,
    Tier,
    TierAssignment,
    TierChange,
)
from .model import ensure_default_model, tier_rules

logger = logging.getLogger(__name__)

BATCH = 1000
# A run still "pending" or "running" after this long lost its worker: it no longer
# blocks a new one.
RUN_STALE_AFTER = timedelta(minutes=30)


def _two_places(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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


@records_actor
def segmentation_run_start(*, by: User | None, dry_run: bool, scheduled: bool = False):
    """Record a run and queue it once the transaction commits."""
    if by is not None and not by.is_admin_role:
        raise PermissionDenied("Only admins run the segmentation.")
    from ..tasks import execute_segmentation_run

    busy = SegmentationRun.objects.filter(
        status__in=(SegmentationRun.Status.PENDING, SegmentationRun.Status.RUNNING),
        created_at__gte=timezone.now() - RUN_STALE_AFTER,
    ).first()
    if busy is not None:
        raise ValidationError(
            f"Run #{busy.pk} is still {busy.get_status_display().lower()}: wait for it to finish."
        )
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
    except Exception as exc:  # noqa: BLE001 — the run must not stay "running" forever
        logger.exception("segmentation run %s failed", run.pk)
        run.status = SegmentationRun.Status.FAILED
        run.error = f"The run stopped on an unexpected error ({type(exc).__name__}); see the log."
    else:
        run.status = SegmentationRun.Status.DONE
        if not run.dry_run:
            # Another tier, other servicing requirements and review cadence: the moved
            # accounts' snapshots say so at once, not after the nightly recompute.
            snapshots_refresh_later([c["account"] for c in run.changes if not c["overridden"]])
    run.processed = run.total if run.status == SegmentationRun.Status.DONE else run.processed
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "changes", "processed", "finished_at"])
    logger.info("segmentation run %s %s: %s changes", run.pk, run.status, len(run.changes))
    return run


def _apply(run, scores, composites, placements) -> list[dict]:
    names = dict(Tier.objects.values_list("pk", "name"))
    current = {
        a.account_id: a
        for a in TierAssignment.objects.filter(account_id__in=placements.keys()).only(
            "id", "account_id", "tier_id", "scores", "composite", "capped", "pinned"
        )
    }
    # A run delivered again after its worker was lost midway finds the batches it had
    # applied: those accounts already hold their new tier, and their changes are listed
    # from the history written then, so the run's list is whole and nothing is recorded
    # twice.
    applied_before = (
        {}
        if run.dry_run
        else dict(TierChange.objects.filter(run=run).values_list("account_id", "from_tier_id"))
    )
    changes, to_create, to_update, history = [], [], [], []
    keys = sorted(placements)
    for start in range(0, len(keys), BATCH):
        for key in keys[start : start + BATCH]:
            placement = placements[key]
            rounded = {c: float(_two_places(v)) for c, v in scores[key].items()}
            composite = _two_places(composites[key])
            existing = current.get(key)
            old_tier = existing.tier_id if existing else None
            listed_from = applied_before.get(key, old_tier)
            if placement.pinned or listed_from != placement.tier:
                changes.append(
                    {
                        "account": key,
                        "from_tier": names.get(listed_from),
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
                to_create, to_update, history = _still_current(
                    keys[start : start + BATCH], placements, to_create, to_update, history
                )
                # untracked: TierChange below is the tier's history
                TierAssignment.objects.bulk_create(to_create, batch_size=BATCH)
                # untracked: TierChange below is the tier's history
                TierAssignment.objects.bulk_update(
                    to_update, ["tier", "scores", "composite", "capped"], batch_size=BATCH
                )
                # untracked: TierChange is itself the tier's history
                TierChange.objects.bulk_create(history, batch_size=BATCH)
            to_create, to_update, history = [], [], []
        run.processed = min(start + BATCH, len(keys))
        run.save(update_fields=["processed"])
    return changes


def _still_current(batch_keys, placements, to_create, to_update, history):
    """Leave out what an override made between the computation and this write: a row
    created, or an account pinned, since — the pin wins (rows locked until commit)."""
    now = dict(
        TierAssignment.objects.select_for_update()
        .filter(account_id__in=batch_keys)
        .values_list("account_id", "pinned")
    )
    created_since = {a.account_id for a in to_create if a.account_id in now}
    pinned_since = {
        a.account_id
        for a in to_update
        if now.get(a.account_id) and not placements[a.account_id].pinned
    }
    skip = created_since | pinned_since
    if not skip:
        return to_create, to_update, history
    return (
        [a for a in to_create if a.account_id not in skip],
        [a for a in to_update if a.account_id not in skip],
        [h for h in history if h.account_id not in skip],
    )
