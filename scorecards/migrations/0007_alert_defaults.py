"""Seed the escalation procedure and one rule of each built-in alert kind, switched on
(the kind whose data does not exist yet stays off and says why)."""

from django.db import migrations

from scorecards.alerts.kinds import DEFAULT_PROCEDURE, DEFAULT_STEPS, KINDS, defaults


def seed(apps, schema_editor):
    Procedure = apps.get_model("scorecards", "EscalationProcedure")
    Step = apps.get_model("scorecards", "EscalationStep")
    Rule = apps.get_model("scorecards", "AlertRule")
    if Rule.objects.exists():
        return
    procedure, _ = Procedure.objects.get_or_create(name=DEFAULT_PROCEDURE)
    for position, (hours, role) in enumerate(DEFAULT_STEPS, start=1):
        Step.objects.get_or_create(
            procedure=procedure, position=position, defaults={"after_hours": hours, "notify": role}
        )
    for kind in KINDS.values():
        Rule.objects.create(
            kind=kind.key,
            name=kind.label,
            parameters={k: float(v) for k, v in defaults(kind.key).items()},
            severity=kind.severity,
            active=kind.inactive_because is None,
            procedure=procedure,
        )


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0006_alerts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
