"""Signing in in a real browser (issue 19): through the company's identity provider (a
local one, tests/fake_idp.py); and the second factor — the admin requires it for
everyone, Alice signs in with her password, is sent to set it up, scans (reads) the key,
types the app's code, keeps her recovery codes, and is asked for a code at her next
sign-in."""

import re
import time

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts_app.models import SignInPolicy
from demo.factories import PASSWORD
from tests.fake_idp import FakeIdP

pytestmark = pytest.mark.django_db(transaction=True)


def app_code(secret: str, ahead: int = 0) -> str:
    """What an authenticator app shows for the base32 `secret` (ahead: steps later)."""
    from base64 import b32decode

    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def password_sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_setting_up_and_signing_in_with_an_authenticator_app(page: Page, live_server, alice):
    SignInPolicy.objects.update_or_create(pk=1, defaults={"second_factor": "everyone"})
    base = live_server.url
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    password_sign_in(page, base, "alice")
    # Required and not set up: every page leads to the set-up first.
    expect(page).to_have_url(re.compile(r"/settings/two-factor/\?next=%2F$"))
    expect(page.get_by_text("Your organisation requires one for you.")).to_be_visible()
    page.goto(f"{base}/accounts/")
    expect(page).to_have_url(re.compile(r"/settings/two-factor/"))
    qr = page.get_by_role("img", name="QR code of your Strata authenticator key")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    secret = page.locator(".totp-secret").get_attribute("data-secret")

    page.get_by_label("Code").fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("not the one the app shows now")).to_be_visible()

    time.sleep(1.1)  # a wrong code makes the next wait a second
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them — continue").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))  # where she was going

    page.get_by_role("button", name="Sign out").click()
    password_sign_in(page, base, "alice")
    expect(page.get_by_role("heading", name="Your second factor")).to_be_visible()
    page.get_by_label("Code").fill(app_code(secret, ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    page.goto(f"{base}/settings/two-factor/")
    expect(page.get_by_text("Second factor: On")).to_be_visible()
    assert not errors, errors


def test_single_sign_on_through_the_identity_provider(page: Page, live_server, alice):
    alice.email = "alice@acme.example"
    alice.save(update_fields=["email"])
    backends = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "accounts_app.signin.oidc.Backend",
    ]
    with (
        FakeIdP() as idp,
        override_settings(
            AUTHENTICATION_BACKENDS=backends, STRATA_OIDC_NAME="Acme ID", **idp.settings()
        ),
    ):
        idp.next_claims = {"email": "Alice@acme.example", "email_verified": True}
        page.goto(f"{live_server.url}/plans/")
        expect(page).to_have_url(re.compile(r"/login/\?next=/plans/$"))
        page.get_by_role("link", name="Sign in with Acme ID").click()
        # To the provider (which signs her in at once) and back to where she was going.
        expect(page).to_have_url(re.compile(r"/plans/$"))
        expect(page.get_by_text("Alice Archer")).to_be_visible()
        assert "/authorize" in idp.requests and "/token" in idp.requests
