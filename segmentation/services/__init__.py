"""Writes of segmentation: the model (criteria, settings, tiers, presets), runs (dry or
applied) and overrides. Import from here (`from segmentation import services`); the
modules split them by behaviour. `scoring` and `SegmentationSettings` stay reachable
from here, as they were from the single module."""

from .. import scoring
from ..models import SegmentationSettings
from ..scoring import configuration_problems
from .model import (
    SERVICING_FIELDS,
    criteria_weights_set,
    ensure_default_model,
    preset_apply,
    segmentation_settings_set,
    tier_delete,
    tier_move,
    tier_rules,
    tier_save,
)
from .overrides import tier_pin, tier_unpin
from .runs import (
    BATCH,
    RUN_STALE_AFTER,
    segmentation_compute,
    segmentation_run_execute,
    segmentation_run_start,
)

__all__ = [
    "BATCH",
    "RUN_STALE_AFTER",
    "SERVICING_FIELDS",
    "SegmentationSettings",
    "configuration_problems",
    "criteria_weights_set",
    "ensure_default_model",
    "preset_apply",
    "scoring",
    "segmentation_compute",
    "segmentation_run_execute",
    "segmentation_run_start",
    "segmentation_settings_set",
    "tier_delete",
    "tier_move",
    "tier_pin",
    "tier_rules",
    "tier_save",
    "tier_unpin",
]
