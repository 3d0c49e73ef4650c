"""The segmentation model: the criteria weights, the run settings, the tiers (their
rules, caps, servicing models and rank order) and the presets that replace them."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts_app.models import TeamMember

from .. import scoring
from ..models import Criterion, SegmentationSettings, Tier, TierAssignment, TierCondition
from ..presets import PRESETS
from ..scoring import TierDraft, conditions_errors, configuration_problems


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
        # untracked: the tier model's settings, not a domain record
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
        # untracked: the tier model's settings, not a domain record
        Criterion.objects.filter(key=key).update(weight=weight)


def segmentation_settings_set(*, expected_years: int, scheduled_apply: bool):
    settings_row = SegmentationSettings.load()
    settings_row.expected_years, settings_row.scheduled_apply = expected_years, scheduled_apply
    settings_row.full_clean()
    settings_row.save()
    return settings_row


def _drafts() -> list[TierDraft]:
    return [
        TierDraft(
            tier.pk,
            tier.name,
            tuple((c.criterion, c.threshold) for c in tier.conditions.all()),
            tier.cap,
        )
        for tier in Tier.objects.prefetch_related("conditions").order_by("rank")
    ]


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
    condition_errors = conditions_errors(conditions)
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
    mine = TierDraft(tier.pk if tier else None, name, conditions, cap)
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
    # untracked: the tier model's settings, not a domain record
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
        # untracked: the tier model's settings, not a domain record
        Tier.objects.filter(pk=pk).update(rank=offset + i)
    for i, pk in enumerate(pks, start=1):
        # untracked: the tier model's settings, not a domain record
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
