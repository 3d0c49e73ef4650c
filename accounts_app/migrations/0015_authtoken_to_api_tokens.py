"""DRF's authtoken keys, stored in clear, become hashed API tokens that keep working.

knox finds a token by the first 15 characters of the key and checks the SHA-512 digest of
the whole key, neither of which needs the key to be knox's own: an old 40-character key
hashed here signs in as before, but now expires (STRATA_TOKEN_TTL_DAYS from the upgrade).
Then the clear keys' table is dropped, and its app forgotten by the migrations. Keys of
inactive users are dropped with it. Not reversible: the keys are gone.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from knox.crypto import hash_token

LEGACY_TABLE = "authtoken_token"
NAME = "Token from before the upgrade"


def legacy_tokens_move(connection, api_token_model, user_model) -> int:
    """Moves every active user's authtoken key into `api_token_model`; how many moved."""
    if LEGACY_TABLE not in connection.introspection.table_names():
        return 0
    quote = connection.ops.quote_name
    table = quote(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')} FROM {table}")
        rows = cursor.fetchall()
    active = set(
        user_model.objects.filter(pk__in=[row[1] for row in rows], is_active=True).values_list(
            "pk", flat=True
        )
    )
    expiry = timezone.now() + timedelta(days=settings.STRATA_TOKEN_TTL_DAYS)
    moved = [
        api_token_model(
            digest=hash_token(key),
            token_key=key[:15],
            user_id=user_id,
            name=NAME,
            expiry=expiry,
        )
        for key, user_id in rows
        if user_id in active
    ]
    api_token_model.objects.bulk_create(moved)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])
    return len(moved)


def forwards(apps, schema_editor):
    legacy_tokens_move(
        schema_editor.connection,
        apps.get_model("accounts_app", "ApiToken"),
        apps.get_model("accounts_app", "User"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_app", "0014_api_tokens"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
