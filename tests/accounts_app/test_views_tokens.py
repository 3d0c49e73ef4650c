"""The API tokens page (/settings/tokens/): the signed-in user's own tokens, a new one with
its key shown once, revoking one or all; nobody else's tokens are ever reachable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token

from accounts_app.models import ApiToken
from accounts_app.services.tokens import api_token_create

pytestmark = pytest.mark.django_db

PAGE = "/settings/tokens/"


def test_it_requires_a_signed_in_user(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_user_menu_links_to_it(client_for, owner):
    assert f'href="{PAGE}"' in client_for(owner).get(reverse("accounts:list")).text


def test_it_lists_the_users_own_tokens_only(client_for, owner, outsider):
    mine, _ = api_token_create(user=owner, name="Nightly CRM sync")
    api_token_create(user=outsider, name="Outsider's script")
    response = client_for(owner).get(PAGE)
    assert response.status_code == 200
    assert "Nightly CRM sync" in response.text
    assert f"{mine.token_key[:6]}…" in response.text
    assert mine.digest not in response.text
    assert "Outsider&#x27;s script" not in response.text


def test_it_marks_an_expired_token(client_for, owner):
    token, _ = api_token_create(user=owner, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(days=1))
    assert "Expired" in client_for(owner).get(PAGE).text


def test_creating_a_token_shows_its_key_once(client_for, owner, settings):
    settings.STRATA_TOKEN_TTL_DAYS = 30
    client = client_for(owner)
    assert 'value="30"' in client.get(PAGE).text
    response = client.post(PAGE, {"name": "Board report", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=owner)
    assert token.name == "Board report"
    assert abs(token.expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    key = response.context["key"]
    assert token.digest == hash_token(key)
    assert f'value="{key}"' in response.text
    assert "Copy it now" in response.text
    assert "no-store" in response["Cache-Control"]
    # Not shown again: the next visit has the token listed, and no key.
    again = client.get(PAGE)
    assert "Board report" in again.text and key not in again.text


def test_the_expiry_is_at_most_the_maximum(client_for, owner, settings):
    settings.STRATA_TOKEN_MAX_TTL_DAYS = 365
    response = client_for(owner).post(PAGE, {"name": "Forever", "days": "366"})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert response.context["key"] is None
    assert not ApiToken.objects.exists()


def test_a_name_is_required(client_for, owner):
    response = client_for(owner).post(PAGE, {"name": " ", "days": "30"})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_limit_on_live_tokens_is_explained(client_for, owner, settings):
    settings.STRATA_TOKEN_LIMIT_PER_USER = 1
    api_token_create(user=owner, name="one")
    response = client_for(owner).post(PAGE, {"name": "two", "days": "30"})
    assert "already have 1 live tokens" in response.text
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_the_user_revokes_a_token(client_for, owner):
    token, _ = api_token_create(user=owner, name="script")
    kept, _ = api_token_create(user=owner, name="kept")
    response = client_for(owner).post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert list(ApiToken.objects.filter(user=owner)) == [kept]


def test_revoking_through_htmx_reloads_the_page(client_for, owner):
    token, _ = api_token_create(user=owner, name="script")
    response = client_for(owner).post(
        reverse("tokens:revoke", args=[token.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == PAGE
    assert not ApiToken.objects.exists()


def test_revoke_refuses_get(client_for, owner):
    token, _ = api_token_create(user=owner, name="script")
    assert client_for(owner).get(reverse("tokens:revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.exists()


def test_an_outsider_cannot_revoke_anothers_token(client_for, owner, outsider):
    token, _ = api_token_create(user=owner, name="script")
    response = client_for(outsider).post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_all_revokes_only_the_users_own(client_for, owner, outsider):
    api_token_create(user=owner, name="one")
    api_token_create(user=owner, name="two")
    api_token_create(user=outsider, name="theirs")
    response = client_for(owner).post(reverse("tokens:revoke_all"), follow=True)
    assert "All your tokens revoked (2)" in response.text
    assert not ApiToken.objects.filter(user=owner).exists()
    assert ApiToken.objects.filter(user=outsider).count() == 1


def test_an_admin_sees_and_revokes_tokens_in_the_admin_but_never_a_key(
    client_for, owner, admin_user
):
    token, key = api_token_create(user=owner, name="script")
    client = client_for(admin_user)
    listing = client.get("/admin/accounts_app/apitoken/")
    assert listing.status_code == 200
    assert "script" in listing.text and key not in listing.text
    assert client.get("/admin/accounts_app/apitoken/add/").status_code == 403
    response = client.post(f"/admin/accounts_app/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
