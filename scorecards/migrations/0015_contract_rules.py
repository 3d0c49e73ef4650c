"""Contracts exist (opportunities.Contract): seed the "Renewal approaching, not
qualified" and "Notice deadline near" rules, switched on, where the rules were seeded
before them (a new installation gets them from 0007)."""

from django.db import migrations

RULES = [
    ("renewal_unqualified", "Renewal approaching, not qualified", {"days": 90.0}, "high"),
    ("notice_deadline", "Notice deadline near", {"days": 30.0}, "medium"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("scorecards", "AlertRule")
    Procedure = apps.get_model("scorecards", "EscalationProcedure")
    if not Rule.objects.exists():
        return
    procedure = Procedure.objects.order_by("pk").first()
    for kind, name, parameters, severity in RULES:
        if not Rule.objects.filter(kind=kind).exists():
            Rule.objects.create(
                kind=kind,
                name=name,
                parameters=parameters,
                severity=severity,
                active=True,
                procedure=procedure,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0014_alert_kind_risk_high"),
        ("opportunities", "0007_contracts"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
