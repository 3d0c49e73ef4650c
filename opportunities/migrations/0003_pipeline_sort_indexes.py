"""The pipeline's default sort, best return on effort first (`roe DESC NULLS LAST, id
DESC`), served by an index over all opportunities (the portfolio's first page) and one
per stage (the board's columns). PostgreSQL takes NULLS LAST in an index; SQLite does not
(and sorts NULLs last in descending order anyway), so it gets the plain form."""

from django.db import migrations

INDEXES = {
    "opportunity_roe_sort": "(roe DESC{nulls}, id DESC)",
    "opportunity_stage_roe_sort": "(stage_id, roe DESC{nulls}, id DESC)",
}


def create(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON opportunities_opportunity "
            + columns.format(nulls=nulls)
        )


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0002_defaults")]

    operations = [
        migrations.RemoveIndex(model_name="opportunity", name="opportuniti_roe_d35189_idx"),
        migrations.RunPython(create, drop),
    ]
