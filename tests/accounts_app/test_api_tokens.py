"""API tokens (issue 19): hashed, named, expiring, several per user; the token endpoint,
signing in with `Authorization: Token <key>`, expiry, API logout, the caller's own list,
and every token revoked by a password change or a deactivation."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts_app.models import ApiToken
from accounts_app.services.tokens import api_token_create
from demo.factories import PASSWORD
from insights.offboarding import user_offboard

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ACCOUNTS = "/api/v1/accounts/"


def obtain(username="owner", password=PASSWORD, **extra):
    return APIClient().post(TOKEN, {"username": username, "password": password, **extra})


def signed_in_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- the token endpoint ----------------------------------------------------------------


def test_the_endpoint_gives_a_named_token_with_its_expiry(owner, settings):
    settings.STRATA_TOKEN_TTL_DAYS = 90
    response = obtain(name="Nightly CRM sync")
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(user=owner)
    assert body["name"] == token.name == "Nightly CRM sync"
    assert body["id"] == token.pk
    expiry = timezone.now() + timedelta(days=90)
    assert abs(token.expiry - expiry) < timedelta(minutes=1)
    assert body["expiry"]
    assert response["Cache-Control"] == "no-store"


def test_the_endpoint_takes_a_number_of_days_up_to_the_maximum(owner, settings):
    settings.STRATA_TOKEN_MAX_TTL_DAYS = 30
    assert obtain(days=7).status_code == 200
    token = ApiToken.objects.get(user=owner)
    assert abs(token.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    response = obtain(days=31)
    assert response.status_code == 400
    assert "days" in response.json()
    assert obtain(days=0).status_code == 400
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_each_call_gives_another_token_and_both_work(owner, account):
    first, second = obtain().json()["token"], obtain().json()["token"]
    assert first != second
    for key in (first, second):
        assert signed_in_with(key).get(ACCOUNTS).status_code == 200


def test_the_key_is_not_stored_only_its_digest(owner):
    key = obtain().json()["token"]
    token = ApiToken.objects.get(user=owner)
    assert token.digest == hash_token(key)
    assert key not in token.digest
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in [str(value) for value in row.values()]


def test_a_user_may_hold_only_so_many_live_tokens(owner, settings):
    settings.STRATA_TOKEN_LIMIT_PER_USER = 2
    assert [obtain().status_code for _ in range(3)] == [200, 200, 400]
    ApiToken.objects.filter(user=owner).update(expiry=timezone.now() - timedelta(days=1))
    assert obtain().status_code == 200


# --- signing in with a token -----------------------------------------------------------


def test_the_token_prefix_is_token_and_a_bad_key_is_a_401(owner, account):
    key = obtain().json()["token"]
    assert signed_in_with(key).get(ACCOUNTS).status_code == 200
    response = signed_in_with(key[:-1] + ("0" if key[-1] != "0" else "1")).get(ACCOUNTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(ACCOUNTS).status_code in (401, 403)


def test_an_expired_token_is_a_401(owner, account):
    token, key = api_token_create(user=owner, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert signed_in_with(key).get(ACCOUNTS).status_code == 401


def test_a_token_notes_when_it_was_last_used(owner, account):
    token, key = api_token_create(user=owner, name="script")
    assert token.last_used is None
    signed_in_with(key).get(ACCOUNTS)
    token.refresh_from_db()
    assert timezone.now() - token.last_used < timedelta(minutes=1)


# --- API logout and the caller's own tokens ----------------------------------------------


def test_logout_revokes_the_token_it_is_sent_with_only(owner, account):
    _, used = api_token_create(user=owner, name="used")
    _, other = api_token_create(user=owner, name="other")
    client = signed_in_with(used)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get(ACCOUNTS).status_code == 401
    assert signed_in_with(other).get(ACCOUNTS).status_code == 200


def test_logout_all_revokes_every_token_of_the_caller(owner, teammate, account):
    _, key = api_token_create(user=owner, name="one")
    api_token_create(user=owner, name="two")
    api_token_create(user=teammate, name="theirs")
    assert signed_in_with(key).post("/api/v1/auth/logout-all/").status_code == 204
    assert not ApiToken.objects.filter(user=owner).exists()
    assert ApiToken.objects.filter(user=teammate).exists()


def test_the_token_list_shows_the_callers_own_without_keys(owner, outsider, api_for):
    mine, _ = api_token_create(user=owner, name="mine")
    api_token_create(user=outsider, name="theirs")
    response = api_for(owner).get("/api/v1/tokens/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["mine"]
    assert rows[0]["key_start"] == mine.token_key[:6]
    assert "token" not in rows[0] and "digest" not in rows[0]


def test_an_outsider_cannot_see_or_revoke_anothers_token(owner, outsider, api_for):
    token, _ = api_token_create(user=owner, name="mine")
    client = api_for(outsider)
    assert client.get(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_owner_revokes_one_token_through_the_api(owner, api_for):
    token, _ = api_token_create(user=owner, name="mine")
    assert api_for(owner).delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()


# --- revoked with the password, or when the user leaves ----------------------------------


def test_a_password_change_revokes_every_token(owner, account):
    _, key = api_token_create(user=owner, name="one")
    api_token_create(user=owner, name="two")
    owner.set_password("a-brand-new-passphrase")
    owner.save()
    assert not ApiToken.objects.filter(user=owner).exists()
    assert signed_in_with(key).get(ACCOUNTS).status_code == 401


def test_the_admins_set_password_form_revokes_every_token(owner, admin_user, client):
    api_token_create(user=owner, name="one")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts_app/user/{owner.pk}/password/",
        {
            "password1": "a-brand-new-passphrase",
            "password2": "a-brand-new-passphrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    assert not ApiToken.objects.filter(user=owner).exists()


def test_other_changes_to_the_user_keep_the_tokens(owner, settings):
    api_token_create(user=owner, name="one")
    owner.title = "Key account lead"
    owner.save()
    # A sign-in that upgrades the password's hash does not change the password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert obtain().status_code == 200
    owner.refresh_from_db()
    assert owner.password.startswith("pbkdf2")
    assert ApiToken.objects.filter(user=owner).count() == 2


def test_deactivating_a_user_revokes_their_tokens(owner):
    api_token_create(user=owner, name="one")
    owner.is_active = False
    owner.save()
    assert not ApiToken.objects.filter(user=owner).exists()


def test_offboarding_revokes_the_leavers_tokens(owner, teammate, admin_user, account):
    api_token_create(user=owner, name="one")
    api_token_create(user=teammate, name="successor's")
    user_offboard(user=owner, successor=teammate, by=admin_user)
    assert not ApiToken.objects.filter(user=owner).exists()
    assert ApiToken.objects.filter(user=teammate).exists()


# --- the upgrade: DRF's clear keys become hashed tokens -------------------------------------


def test_the_upgrade_hashes_the_old_keys_and_drops_the_clear_ones(owner, teammate, account):
    migration = importlib.import_module("accounts_app.migrations.0015_authtoken_to_api_tokens")
    old_key, gone_key = "a" * 40, "b" * 40
    teammate.is_active = False
    teammate.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id integer)"
        )
        cursor.executemany(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [(old_key, timezone.now(), owner.pk), (gone_key, timezone.now(), teammate.pk)],
        )
    from accounts_app.models import User

    assert migration.legacy_tokens_move(connection, ApiToken, User) == 1
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get()
    assert token.user == owner and token.digest == hash_token(old_key)
    assert token.expiry > timezone.now() + timedelta(days=80)
    # The old key signs in as before, until its new expiry.
    assert signed_in_with(old_key).get(ACCOUNTS).status_code == 200
    assert signed_in_with(gone_key).get(ACCOUNTS).status_code == 401


def test_the_upgrade_does_nothing_without_the_old_table():
    migration = importlib.import_module("accounts_app.migrations.0015_authtoken_to_api_tokens")
    from accounts_app.models import User

    assert migration.legacy_tokens_move(connection, ApiToken, User) == 0
