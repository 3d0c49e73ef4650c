"""Single sign-on (issue 19) against a local identity provider (tests/fake_idp.py): the
whole authorization-code flow over real HTTP; a person found by their identity at the
provider once linked, linked the first time by a verified address in an allowed domain,
or made a user; the role from a mapped claim (up and down); every refusal back on the
sign-in page with its reason, never a 500; and the password form untouched by it."""

from urllib.parse import urlparse

import pytest
import requests
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts_app.models import SecurityEvent, SignInPolicy, SsoIdentity, User
from accounts_app.signin.second_factor import APP
from demo.factories import PASSWORD, UserFactory
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
    idp.audience, idp.token_status, idp.iat_offset, idp.omit_id_token = (
        "strata-test",
        None,
        0,
        False,
    )
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


def signed_in_as(client):
    response = client.get("/accounts/")
    return response.wsgi_request.user if response.status_code == 200 else None


def login_page(client) -> str:
    return client.get("/login/").text


def verified(email, **more):
    return {"email": email, "email_verified": True, **more}


def test_the_login_page_offers_single_sign_on_only_when_configured(client, sso, settings):
    settings.STRATA_OIDC_NAME = "Okta"
    assert "Sign in with Okta" in client.get("/login/").text
    settings.STRATA_OIDC_ENABLED = False
    page = client.get("/login/").text
    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_an_existing_user_is_linked_by_verified_email_then_found_by_identity(client, sso):
    user = UserFactory(username="olivia", email="Olivia.Owner@example.com")
    claims = verified("olivia.owner@EXAMPLE.com", sub="idp-1")
    response = sign_in_through(client, sso, claims)
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert signed_in_as(client) == user and User.objects.count() == 1
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(sso.requests)
    identity = SsoIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (user, sso.url, "idp-1")
    assert SecurityEvent.objects.get(kind="sso_linked").user == user

    # Her address changes at the provider (or someone else gets the old one): she is
    # still found by her identity there, and the old address reaches nobody.
    client.logout()
    sign_in_through(client, sso, {"email": "o.owner@example.com", "sub": "idp-1"})
    assert signed_in_as(client) == user


def test_an_unverified_or_unsaid_address_never_links_to_an_existing_user(client, sso, settings):
    admin = UserFactory(username="boss", email="boss@example.com", role="admin")
    for said in ({}, {"email_verified": False}, {"email_verified": "false"}):
        response = sign_in_through(client, sso, {"email": "boss@example.com", **said})
        assert response["Location"].startswith("/login/")
        assert "not verified your e-mail" in login_page(client)
        assert signed_in_as(client) is None
    assert not SsoIdentity.objects.exists()
    # A provider that never says (Entra ID): trusted when told, within allowed domains.
    settings.STRATA_OIDC_REQUIRE_VERIFIED_EMAIL = False
    settings.STRATA_OIDC_ALLOWED_DOMAINS = ["example.com"]
    sign_in_through(client, sso, {"email": "boss@example.com"})
    assert signed_in_as(client) == admin


def test_only_allowed_domains_sign_in(client, sso, settings):
    settings.STRATA_OIDC_ALLOWED_DOMAINS = ["acme.com"]
    sign_in_through(client, sso, verified("someone@gmail.com"))
    assert "not in a domain Strata accepts" in login_page(client)
    assert not User.objects.exists()
    sign_in_through(client, sso, verified("someone@ACME.com"))
    assert signed_in_as(client).email == "someone@ACME.com"


def test_someone_new_gets_a_user_with_the_role_their_claim_gives(client, sso, settings):
    settings.STRATA_OIDC_ROLE_CLAIM = "groups"
    settings.STRATA_OIDC_ROLE_MAP = ["kam-managers=manager", "kam-admins=admin"]
    claims = verified(
        "new.person@example.com",
        preferred_username="new.person",
        given_name="Nora",
        family_name="New",
        groups=["everyone", "kam-managers"],
    )
    assert sign_in_through(client, sso, claims).status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert (user.username, user.name, user.role) == ("new.person", "Nora New", "manager")
    assert not user.has_usable_password()
    event = SecurityEvent.objects.get(user=user, kind="sso_user_created")
    assert "Manager" in event.detail

    # Moved to the admins' group at the provider, then out of every mapped group: the
    # role follows both ways, each change recorded.
    for groups, role in (
        (["kam-admins"], "admin"),
        (["everyone"], "team_member"),
        (7, "team_member"),
    ):
        client.logout()
        sign_in_through(client, sso, claims | {"groups": groups})
        user.refresh_from_db()
        assert user.role == role
    changes = SecurityEvent.objects.filter(user=user, kind="sso_role_changed").order_by("pk")
    assert [e.detail for e in changes] == ["Manager → Admin", "Admin → Team member"]


def test_without_a_role_claim_a_new_user_starts_as_a_team_member_and_sees_nothing(
    client, sso, account
):
    sign_in_through(client, sso, verified("plain@example.com", groups=["admin"]))
    user = User.objects.get(email="plain@example.com")
    assert user.role == User.Role.TEAM_MEMBER  # no STRATA_OIDC_ROLE_CLAIM: left for an admin
    assert client.get(f"/accounts/{account.pk}/").status_code == 404


def test_refusals_come_back_to_the_sign_in_page_with_their_reason(client, sso, settings):
    UserFactory(username="a1", email="twin@example.com")
    UserFactory(username="a2", email="TWIN@example.com")
    UserFactory(username="gone", email="gone@example.com", is_active=False)
    UserFactory(username="root", email="root@example.com", is_superuser=True, is_staff=True)
    cases = [
        ({"sub": "no-email"}, "sent no e-mail address"),
        ({"email": 12345}, "sent no e-mail address"),
        (verified("twin@example.com"), "Several Strata users have your e-mail"),
        (verified("gone@example.com"), "deactivated"),
        (verified("root@example.com"), "A superuser signs in with their password"),
        (verified("x@example.com", sub="a", token_sub="b"), "name two different people"),
    ]
    for claims, reason in cases:
        response = sign_in_through(client, sso, claims, next_url="/plans/")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=%2Fplans%2F"  # where they were going
        assert reason in login_page(client), reason
        assert signed_in_as(client) is None

    settings.OIDC_CREATE_USER = False
    sign_in_through(client, sso, verified("stranger@example.com"))
    assert "ask an admin to add you" in login_page(client)
    assert not User.objects.filter(email="stranger@example.com").exists()


def test_a_faulty_token_or_provider_is_a_refusal_never_a_500(client, sso):
    UserFactory(username="olivia", email="olivia@example.com")
    claims = verified("olivia@example.com")
    faults = [
        ("audience", "another-app", "not valid any more"),
        ("iat_offset", 600, "not valid any more"),  # its clock ten minutes ahead
        ("omit_id_token", True, "not valid any more"),
        ("token_status", 503, "did not answer"),
    ]
    for attribute, value, said in faults:
        normal = getattr(sso, attribute)
        setattr(sso, attribute, value)
        try:
            response = sign_in_through(client, sso, claims)
        finally:
            setattr(sso, attribute, normal)
        assert response.status_code == 302, attribute
        assert said in login_page(client), attribute
        assert signed_in_as(client) is None
    # Thirty seconds of clock difference is within the leeway.
    sso.iat_offset = 30
    try:
        sign_in_through(client, sso, claims)
    finally:
        sso.iat_offset = 0
    assert signed_in_as(client) is not None


def test_a_forged_callback_neither_signs_in_nor_signs_out(client, sso, owner):
    response = client.get("/oidc/callback/?code=abc&state=forged")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert signed_in_as(client) is None
    client.force_login(owner)
    client.get("/oidc/callback/?error=access_denied&state=forged")  # e.g. an <img> elsewhere
    assert signed_in_as(client) == owner


def test_the_password_form_and_token_endpoint_never_reach_the_provider(client, sso, owner):
    """A wrong password sent with ?code=&state= is counted by the lockout like any other,
    and the provider never hears of it."""
    sso.requests.clear()
    statuses = [
        client.post(
            "/login/?code=x&state=y", {"username": "owner", "password": "wrong"}
        ).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4 and statuses[4] == 429  # locked by django-axes
    api = client.post(
        "/api/v1/auth/token/?code=x&state=y", {"username": "owner", "password": PASSWORD}
    )
    assert api.status_code == 429
    assert "/token" not in sso.requests


def test_a_single_sign_on_session_skips_strata_s_second_factor_unless_the_policy_asks(client, sso):
    user = UserFactory(username="olivia", email="olivia@example.com")
    TOTPDevice.objects.create(user=user, name=APP, confirmed=True)
    sign_in_through(client, sso, verified("olivia@example.com"))
    assert client.get("/accounts/").status_code == 200

    SignInPolicy.objects.update_or_create(pk=1, defaults={"sso_needs_second_factor": True})
    client.logout()
    sign_in_through(client, sso, verified("olivia@example.com"))
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
    assert lines["OIDC_OP_ISSUER"] == idp.url
    assert lines["OIDC_RP_SIGN_ALGO"] == "RS256"
