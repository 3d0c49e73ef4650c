"""Single sign-on (issue 19) against a local identity provider (tests/fake_idp.py): the
whole authorization-code flow over real HTTP, users matched or made by e-mail, the role
from a claim, and every refusal back on the sign-in page with its reason."""

from urllib.parse import urlparse

import pytest
import requests
from django.test import override_settings

from accounts_app.models import SecurityEvent, User
from accounts_app.signin.second_factor import APP
from demo.factories import UserFactory
from tests.fake_idp import FakeIdP

pytestmark = pytest.mark.django_db

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts_app.signin.oidc.Backend",
]


@pytest.fixture(scope="module")
def idp():
    with FakeIdP() as provider:
        yield provider


@pytest.fixture
def sso(idp):
    with override_settings(AUTHENTICATION_BACKENDS=BACKENDS, **idp.settings()):
        yield idp


def sign_in_through(client, idp, claims, next_url="/accounts/"):
    """The browser's round trip: Strata → the provider → Strata's callback."""
    idp.next_claims = claims
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{idp.url}/authorize?")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    assert callback.path == "/oidc/callback/"
    return client.get(callback.path + "?" + callback.query)


def messages_on_login_page(client) -> str:
    return client.get("/login/").text


def test_the_login_page_offers_single_sign_on_only_when_configured(client, sso, settings):
    settings.STRATA_OIDC_NAME = "Okta"
    assert "Sign in with Okta" in client.get("/login/").text
    settings.STRATA_OIDC_ENABLED = False
    page = client.get("/login/").text
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_an_existing_user_is_matched_by_email_and_lands_where_they_were_going(client, sso):
    user = UserFactory(username="olivia", email="Olivia.Owner@example.com")
    response = sign_in_through(client, sso, {"email": "olivia.owner@EXAMPLE.com", "sub": "1"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.get("/accounts/").wsgi_request.user == user
    assert User.objects.count() == 1
    # The provider was asked with PKCE and a nonce, and the token checked against its keys.
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(sso.requests)


def test_someone_new_gets_a_user_with_the_role_their_claim_gives(client, sso, settings):
    settings.STRATA_OIDC_ROLE_CLAIM = "groups"
    settings.STRATA_OIDC_ROLE_MAP = ["kam-managers=manager", "kam-admins=admin"]
    claims = {
        "email": "new.person@example.com",
        "email_verified": True,
        "preferred_username": "new.person",
        "given_name": "Nora",
        "family_name": "New",
        "groups": ["everyone", "kam-managers"],
    }
    assert sign_in_through(client, sso, claims).status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert (user.username, user.name, user.role) == ("new.person", "Nora New", "manager")
    assert not user.has_usable_password()
    event = SecurityEvent.objects.get(user=user)
    assert event.kind == "sso_user_created" and "Manager" in event.detail

    # Moved to the admins' group at the provider: the next sign-in says so.
    client.logout()
    claims["groups"] = ["kam-admins"]
    sign_in_through(client, sso, claims)
    user.refresh_from_db()
    assert user.role == "admin"
    assert SecurityEvent.objects.filter(user=user, kind="sso_role_changed").get().detail == (
        "Manager → Admin"
    )


def test_without_a_role_claim_a_new_user_starts_as_a_team_member_and_sees_nothing(
    client, sso, account
):
    sign_in_through(client, sso, {"email": "plain@example.com", "groups": ["admin"]})
    user = User.objects.get(email="plain@example.com")
    assert user.role == User.Role.TEAM_MEMBER  # no STRATA_OIDC_ROLE_CLAIM: left for an admin
    assert client.get(f"/accounts/{account.pk}/").status_code == 404


def test_refusals_come_back_to_the_sign_in_page_with_their_reason(client, sso, settings):
    cases = [
        ({"email": "x@example.com", "email_verified": False}, "not verified your e-mail"),
        ({"sub": "no-email"}, "sent no e-mail address"),
    ]
    UserFactory(username="a1", email="twin@example.com")
    UserFactory(username="a2", email="TWIN@example.com")
    cases.append(({"email": "twin@example.com"}, "Several Strata users have your e-mail"))
    UserFactory(username="gone", email="gone@example.com", is_active=False)
    cases.append(({"email": "gone@example.com"}, "deactivated"))
    for claims, reason in cases:
        response = sign_in_through(client, sso, claims)
        assert response.status_code == 302 and response["Location"] == "/login/"
        assert reason in messages_on_login_page(client), reason
        assert client.get("/accounts/").status_code == 302  # not signed in

    settings.OIDC_CREATE_USER = False
    sign_in_through(client, sso, {"email": "stranger@example.com"})
    assert "ask an admin to add you" in messages_on_login_page(client)
    assert not User.objects.filter(email="stranger@example.com").exists()


def test_a_token_for_another_client_a_replayed_callback_and_a_provider_down_are_refused(
    client, sso
):
    UserFactory(username="olivia", email="olivia@example.com")
    sso.audience = "another-app"
    try:
        sign_in_through(client, sso, {"email": "olivia@example.com"})
    finally:
        sso.audience = "strata-test"
    assert "not valid any more" in messages_on_login_page(client)

    # A callback whose state this browser never started.
    response = client.get("/oidc/callback/?code=abc&state=forged")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/accounts/").status_code == 302

    sso.token_status = 503
    try:
        sign_in_through(client, sso, {"email": "olivia@example.com"})
    finally:
        sso.token_status = None
    assert "did not answer" in messages_on_login_page(client)


def test_a_single_sign_on_session_skips_strata_s_second_factor_unless_the_policy_asks(client, sso):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts_app.models import SignInPolicy

    user = UserFactory(username="olivia", email="olivia@example.com")
    TOTPDevice.objects.create(user=user, name=APP, confirmed=True)
    sign_in_through(client, sso, {"email": "olivia@example.com"})
    assert client.get("/accounts/").status_code == 200

    SignInPolicy.objects.update_or_create(pk=1, defaults={"sso_needs_second_factor": True})
    client.logout()
    sign_in_through(client, sso, {"email": "olivia@example.com"})
    response = client.get("/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/login/verify/")


def test_oidc_discover_prints_the_provider_s_endpoints(idp):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("oidc_discover", idp.url, stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert lines["OIDC_OP_TOKEN_ENDPOINT"] == f"{idp.url}/token"
    assert lines["OIDC_OP_JWKS_ENDPOINT"] == f"{idp.url}/jwks"
    assert lines["OIDC_RP_SIGN_ALGO"] == "RS256"
