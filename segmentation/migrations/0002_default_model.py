"""Seed the default segmentation model: the five criteria with equal weights and the
"Tier I / II / III" preset."""

from django.db import migrations

from segmentation.presets import PRESETS
from segmentation.scoring import CRITERIA


def seed(apps, schema_editor):
    Criterion = apps.get_model("segmentation", "Criterion")
    Tier = apps.get_model("segmentation", "Tier")
    TierCondition = apps.get_model("segmentation", "TierCondition")
    SegmentationSettings = apps.get_model("segmentation", "SegmentationSettings")
    for key in CRITERIA:
        Criterion.objects.get_or_create(key=key, defaults={"weight": 1})
    SegmentationSettings.objects.get_or_create(pk=1)
    if Tier.objects.exists():
        return
    for rank, spec in enumerate(PRESETS["tiers"], start=1):
        spec = dict(spec)
        conditions = spec.pop("conditions")
        tier = Tier.objects.create(rank=rank, **spec)
        for criterion, threshold in conditions:
            TierCondition.objects.create(tier=tier, criterion=criterion, threshold=threshold)


class Migration(migrations.Migration):
    dependencies = [("segmentation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
