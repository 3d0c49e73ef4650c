"""What the seed command tests share: running a command, counting and validating rows."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from accounts_app.models import TeamMember
from core.history import AccountHistory


def run(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Rows of every accounts_app table, the many-to-many link tables included; not the
    history tables (DESIGN §11), which only grow: a deletion and its refill are both
    recorded there."""
    counts = {}
    for model in apps.get_app_config("accounts_app").get_models():
        if issubclass(model, AccountHistory):
            continue
        counts[model._meta.label] = model.objects.count()
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            counts[through._meta.label] = through.objects.count()
    return counts


def validate_all(queryset) -> None:
    """full_clean() every row: field validators and the model's clean(). Foreign keys,
    uniqueness and check constraints are the database's own (it would have refused the
    insert), so they are not checked again one query per row."""
    relations = [f.name for f in queryset.model._meta.concrete_fields if f.is_relation]
    for obj in queryset:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def team_pairs() -> set[tuple[int, int]]:
    return set(TeamMember.objects.values_list("account_id", "user_id"))
