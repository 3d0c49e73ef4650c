"""The risk register exists (plans.Risk): seed the "Open high risk" rule, switched on,
where the rules were seeded before it (a new installation gets it from 0007)."""

from django.db import migrations


def seed(apps, schema_editor):
    Rule = apps.get_model("scorecards", "AlertRule")
    Procedure = apps.get_model("scorecards", "EscalationProcedure")
    if not Rule.objects.exists() or Rule.objects.filter(kind="risk_high").exists():
        return
    Rule.objects.create(
        kind="risk_high",
        name="Open high risk",
        parameters={"min_score": 15.0},
        severity="high",
        active=True,
        procedure=Procedure.objects.order_by("pk").first(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0012_metric_may_be_negative"),
        ("plans", "0009_risk_register"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
