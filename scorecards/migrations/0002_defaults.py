"""Seed the metric library and the health weights of DESIGN §3."""

from django.db import migrations

from scorecards.defaults import METRICS, seeded_unit


def seed(apps, schema_editor):
    Metric = apps.get_model("scorecards", "Metric")
    HealthWeights = apps.get_model("scorecards", "HealthWeights")
    if not Metric.objects.exists():
        for position, row in enumerate(METRICS, start=1):
            name, description, unit, perspective, kind, higher, joint = row
            Metric.objects.create(
                name=name,
                description=description,
                unit=seeded_unit(unit),
                perspective=perspective,
                kind=kind,
                higher_is_better=higher,
                joint=joint,
                position=position,
            )
    if not HealthWeights.objects.exists():
        HealthWeights.objects.create()


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0001_scorecards")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
