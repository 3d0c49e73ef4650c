"""Writes of segmentation: runs (dry or applied), overrides, presets."""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User

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
# A run still "pending" or "running" after this long lost its worker: it no longer
# blocks a new one.
RUN_STALE_AFTER = timedelta(minutes=30)


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
                to_create, to_update, history = _still_current(
                    keys[start : start + BATCH], placements, to_create, to_update, history
                )
                TierAssignment.objects.bulk_create(to_create, batch_size=BATCH)
                TierAssignment.objects.bulk_update(
                    to_update, ["tier", "scores", "composite", "capped"], batch_size=BATCH
                )
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
    if TierAssignment.objects.filter(account__archived=False).exists():
        raise ValidationError(
            "Accounts are already placed in the current tiers: edit the tiers instead."
        )
    TierAssignment.objects.all().delete()  # archived accounts' last tiers, if any
    Tier.objects.all().delete()
    return _create_tiers(PRESETS[name])


# --- The model: criteria weights, settings, tiers ------------------------------------


@transaction.atomic
def criteria_weights_set(*, weights: Mapping[str, Decimal]) -> None:
    """Set the weight of each criterion named; none negative, not all zero."""
    ensure_default_model()
    unknown = set(weights) - set(scoring.CRITERIA)
    if unknown:
        raise ValidationError(f"Unknown criteria: {', '.join(sorted(unknown))}.")
    errors = {key: "A weight cannot be negative." for key, w in weights.items() if w < 0}
    if errors:
        raise ValidationError(errors)
    current = dict(Criterion.objects.values_list("key", "weight"))
    current.update(weights)
    if not any(w > 0 for w in current.values()):
        raise ValidationError("At least one criterion needs a weight above zero.")
    for key, weight in weights.items():
        Criterion.objects.filter(key=key).update(weight=weight)


def segmentation_settings_set(*, expected_years: int, scheduled_apply: bool):
    settings_row = SegmentationSettings.load()
    settings_row.expected_years, settings_row.scheduled_apply = expected_years, scheduled_apply
    settings_row.full_clean()
    settings_row.save()
    return settings_row


@dataclass
class _Draft:
    """A tier as it would be after a change: what the whole-configuration check reads."""

    pk: int | None
    name: str
    conditions: tuple[tuple[str, Decimal], ...]
    cap: int | None


def _drafts() -> list[_Draft]:
    return [
        _Draft(
            tier.pk,
            tier.name,
            tuple((c.criterion, c.threshold) for c in tier.conditions.all()),
            tier.cap,
        )
        for tier in Tier.objects.prefetch_related("conditions").order_by("rank")
    ]


def configuration_problems(drafts: Sequence[_Draft]) -> list[str]:
    """What is wrong with tiers in this order: the rules of scoring.validate_tiers plus
    unique names."""
    rules = [
        scoring.TierRule(key=i, conditions=d.conditions, cap=d.cap) for i, d in enumerate(drafts)
    ]
    problems = scoring.validate_tiers(rules)
    seen = set()
    for draft in drafts:
        folded = draft.name.strip().casefold()
        if folded in seen:
            problems.append(f"Tier names must be unique: “{draft.name.strip()}” is used twice.")
        seen.add(folded)
    return problems


def _conditions_errors(conditions) -> list[str]:
    errors, criteria = [], [criterion for criterion, _ in conditions]
    for criterion, threshold in conditions:
        if criterion not in scoring.CRITERIA:
            errors.append(f"Unknown criterion “{criterion}”.")
        if threshold is None or not 0 <= threshold <= 100:
            errors.append("Thresholds are scores from 0 to 100.")
    if len(set(criteria)) != len(criteria):
        errors.append("Name each criterion at most once in a tier.")
    return list(dict.fromkeys(errors))


SERVICING_FIELDS = Tier.SERVICING_FIELDS


@transaction.atomic
def tier_save(
    *,
    tier: Tier | None,
    name: str,
    conditions: Sequence[tuple[str, Decimal]],
    cap: int | None = None,
    position: int | None = None,
    **servicing,
) -> Tier:
    """Create or change a tier, checked as part of the whole configuration.

    `position` is the tier's place in rank order (1 first); a new tier without one goes
    just before the catch-all. Field errors name the field at fault ("name",
    "conditions", "cap", "position"); problems of the configuration as a whole that this
    change would cause are reported under "conditions" or "position".
    """
    unknown = set(servicing) - set(SERVICING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tier fields: {sorted(unknown)}")
    name = (name or "").strip()
    conditions = tuple((c, Decimal(str(t)) if t is not None else None) for c, t in conditions)
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append("Give the tier a name.")
    condition_errors = _conditions_errors(conditions)
    if condition_errors:
        errors["conditions"] = condition_errors
    if cap is not None and cap < 0:
        errors.setdefault("cap", []).append("A cap cannot be negative.")
    roles = servicing.get("required_team_roles") or []
    bad_roles = [r for r in roles if r not in TeamMember.Role.values]
    if bad_roles:
        errors["required_team_roles"] = [f"Unknown team roles: {', '.join(bad_roles)}."]
    if errors:
        raise ValidationError(errors)

    drafts = _drafts()
    mine = _Draft(tier.pk if tier else None, name, conditions, cap)
    if tier is None:
        index = len(drafts) - 1 if drafts and not drafts[-1].conditions else len(drafts)
    else:
        index = next(i for i, d in enumerate(drafts) if d.pk == tier.pk)
        drafts.pop(index)
    if position is not None:
        if not 1 <= position <= len(drafts) + 1:
            raise ValidationError({"position": f"Choose a position from 1 to {len(drafts) + 1}."})
        index = position - 1
    drafts.insert(index, mine)
    if any(d.name.casefold() == name.casefold() for d in drafts if d is not mine):
        raise ValidationError({"name": f"There is already a tier called “{name}”."})
    if not conditions and cap is not None:
        raise ValidationError(
            {
                "cap": "The catch-all tier (no conditions) cannot have a cap: the excess has "
                "nowhere to go."
            }
        )
    problems = configuration_problems(drafts)
    if problems:
        moved = position is not None and (tier is None or index != tier.rank - 1)
        raise ValidationError({"position" if moved else "conditions": problems})

    if tier is None:
        tier = Tier(rank=_free_rank())
    tier.name, tier.cap = name, cap
    for field, value in servicing.items():
        setattr(tier, field, value)
    tier.required_team_roles = list(roles)
    tier.full_clean(exclude=["rank"], validate_unique=False)
    tier.save()
    tier.conditions.all().delete()
    TierCondition.objects.bulk_create(
        TierCondition(tier=tier, criterion=c, threshold=t) for c, t in conditions
    )
    mine.pk = tier.pk
    _write_order([d.pk for d in drafts])
    tier.refresh_from_db(fields=["rank"])
    return tier


def _free_rank() -> int:
    return (Tier.objects.aggregate(m=Max("rank"))["m"] or 0) + 1


def _write_order(pks: Sequence[int]) -> None:
    """Ranks 1..n in this order; ranks are unique, so move everyone out of the way first."""
    offset = _free_rank() + len(pks)
    for i, pk in enumerate(pks):
        Tier.objects.filter(pk=pk).update(rank=offset + i)
    for i, pk in enumerate(pks, start=1):
        Tier.objects.filter(pk=pk).update(rank=i)


@transaction.atomic
def tier_move(*, tier: Tier, position: int) -> Tier:
    """Move a tier to `position` in rank order, if the configuration stays valid."""
    drafts = _drafts()
    if not 1 <= position <= len(drafts):
        raise ValidationError({"position": f"Choose a position from 1 to {len(drafts)}."})
    index = next(i for i, d in enumerate(drafts) if d.pk == tier.pk)
    drafts.insert(position - 1, drafts.pop(index))
    problems = configuration_problems(drafts)
    if problems:
        raise ValidationError({"position": problems})
    _write_order([d.pk for d in drafts])
    tier.refresh_from_db(fields=["rank"])
    return tier


@transaction.atomic
def tier_delete(*, tier: Tier) -> None:
    """Delete a tier no account is in, if the remaining configuration is valid."""
    in_tier = TierAssignment.objects.filter(tier=tier, account__archived=False).count()
    if in_tier:
        raise ValidationError(
            f"{in_tier} account{'s are' if in_tier != 1 else ' is'} in “{tier.name}”: change "
            "the rules so that a run moves them out (and remove overrides to it) first."
        )
    drafts = [d for d in _drafts() if d.pk != tier.pk]
    problems = configuration_problems(drafts)
    if problems:
        raise ValidationError(problems)
    # Archived accounts are left out of runs: their last tier goes with it (history stays).
    TierAssignment.objects.filter(tier=tier).delete()
    tier.delete()  # its history rows keep the change, with the tier name gone (SET_NULL)
    _write_order([d.pk for d in drafts])
