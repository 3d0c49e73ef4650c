"""Signing in and out through the real login form and token endpoint, with django-axes
locking a username out after repeated failures."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts_app.models import ApiToken
from accounts_app.services.tokens import api_token_create
from demo.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
TOKEN = "/api/v1/auth/token/"


def sign_in(client, username="owner", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def is_signed_in(client) -> bool:
    response = client.get(reverse("accounts:list"))
    return response.status_code == 200


def fail(client, times, username="owner"):
    return [sign_in(client, username, "wrong-password").status_code for _ in range(times)]


# --- the login form ----------------------------------------------------------------------


def test_login_page_shows_the_form(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="username"' in response.text
    assert 'name="password"' in response.text


def test_login_with_the_right_password_goes_home(client, owner):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client)


def test_login_follows_a_safe_next_url(client, owner, account):
    target = reverse("accounts:detail", args=[account.pk])
    response = sign_in(client, next=target)
    assert response["Location"] == target


def test_login_ignores_a_next_url_on_another_site(client, owner):
    response = sign_in(client, next="https://evil.example/phish")
    assert response["Location"] == "/"


def test_login_with_a_wrong_password_shows_an_error(client, owner):
    response = sign_in(client, password="wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.text
    assert not is_signed_in(client)


def test_login_of_an_unknown_user_shows_the_same_error(client, owner):
    response = sign_in(client, username="nobody")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_inactive_user_cannot_sign_in(client, owner):
    owner.is_active = False
    owner.save()
    assert sign_in(client).status_code == 200
    assert not is_signed_in(client)


def test_signed_in_user_is_sent_on_from_the_login_page(client, owner):
    client.force_login(owner)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_home_sends_anonymous_users_to_login_and_shows_others_their_day(client, owner):
    assert client.get("/")["Location"] == reverse("login") + "?next=/"
    client.force_login(owner)
    assert client.get("/").status_code == 200


# --- lockout --------------------------------------------------------------------------------


def test_five_failures_lock_the_username_out(client, owner):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = fail(client, 5)
    assert statuses == [200, 200, 200, 200, 429]
    response = sign_in(client)  # the right password, too late
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert not is_signed_in(client)


def test_four_failures_do_not_lock_and_a_success_resets_the_count(client, owner):
    assert fail(client, 4) == [200] * 4
    assert sign_in(client).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, 4) == [200] * 4
    assert sign_in(client).status_code == 302


def test_lockout_is_per_username(client, owner, teammate):
    fail(client, 5, username="owner")
    assert sign_in(client, username="teammate").status_code == 302


def test_token_endpoint_is_locked_out_after_five_failures(owner):
    api = APIClient()
    statuses = [
        api.post(TOKEN, {"username": "owner", "password": "wrong-password"}).status_code
        for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]
    response = api.post(TOKEN, {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429
    assert "token" not in response.json()
    assert "Retry-After" in response
    assert not ApiToken.objects.filter(user=owner).exists()


def test_failures_on_the_login_form_also_lock_the_token_endpoint(client, owner):
    fail(client, 5)
    response = APIClient().post(TOKEN, {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429
    assert not ApiToken.objects.filter(user=owner).exists()


def test_failures_on_the_token_endpoint_also_lock_the_login_form(client, owner):
    api = APIClient()
    for _ in range(5):
        api.post(TOKEN, {"username": "owner", "password": "wrong-password"})
    assert sign_in(client).status_code == 429
    assert not is_signed_in(client)


def test_token_endpoint_works_for_another_user_during_a_lockout(owner, teammate):
    api = APIClient()
    for _ in range(5):
        api.post(TOKEN, {"username": "owner", "password": "wrong-password"})
    response = api.post(TOKEN, {"username": "teammate", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token"]


def test_a_token_issued_before_the_lockout_keeps_working(owner, account):
    _, key = api_token_create(user=owner, name="script")
    api = APIClient()
    for _ in range(5):
        api.post(TOKEN, {"username": "owner", "password": "wrong-password"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/accounts/").status_code == 200


# --- logout -----------------------------------------------------------------------------------


def test_logout_refuses_get(client, owner):
    client.force_login(owner)
    assert client.get(reverse("logout")).status_code == 405
    assert is_signed_in(client)


def test_logout_ends_the_session(client, owner):
    sign_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not is_signed_in(client)
    assert client.get(reverse("accounts:list"))["Location"].startswith(reverse("login"))


def test_a_new_user_signs_in_with_the_factory_password(client):
    UserFactory(username="fresh")
    assert sign_in(client, username="fresh").status_code == 302


# --- the client's address, with and without a proxy in front ------------------------------


def attempt(client, password, forwarded_for, remote="10.0.0.2"):
    return client.post(
        LOGIN,
        {"username": "owner", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR=remote,
    )


def test_without_a_proxy_a_forged_forwarded_for_does_not_dodge_the_lockout(client, owner):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password", f"1.1.1.{n}")
    assert attempt(client, PASSWORD, "9.9.9.9").status_code == 429
    assert not is_signed_in(client)


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client, owner, settings):
    settings.STRATA_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker forges the left part; the proxy appends the address it saw.
        attempt(client, "wrong-password", f"1.1.1.{n}, 203.0.113.7")
    assert attempt(client, PASSWORD, "203.0.113.7").status_code == 429
    assert attempt(client, PASSWORD, "198.51.100.4").status_code == 302
    assert is_signed_in(client)


def test_behind_a_proxy_a_request_that_skipped_it_is_judged_by_its_peer(settings):
    from django.test import RequestFactory

    from config.client_ip import client_ip

    settings.STRATA_PROXY_COUNT = 2
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="5.5.5.5", REMOTE_ADDR="10.0.0.9")
    assert client_ip(request) == "10.0.0.9"
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 5.5.5.5, 10.0.0.3", REMOTE_ADDR="10.0.0.9"
    )
    assert client_ip(request) == "5.5.5.5"
