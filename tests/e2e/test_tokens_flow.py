"""A person makes an API token on a phone, copies its key, uses it, and revokes it."""

import re

import pytest
from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from accounts_app.models import ApiToken
from demo.factories import UserFactory
from tests.e2e.test_phone_and_axe import PHONE, axe_problems, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_is_made_shown_once_and_revoked_on_a_phone(page: Page, live_server):
    alice = UserFactory(username="alice", first_name="Alice")
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server.url, alice)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()

    page.get_by_label("Name").fill("Weekly export")
    page.get_by_label("Expires in (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    key_box = page.get_by_label("Key")
    expect(key_box).to_be_visible()
    key = key_box.input_value()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    expect(page.get_by_text("Copy it now")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_problems(page, "the new key at 390 px") == []

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/accounts/").status_code == 200

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke the token Weekly export").click()
    expect(page.get_by_text("Token “Weekly export” revoked")).to_be_visible()
    expect(page.get_by_label("Key")).to_have_count(0)
    assert not ApiToken.objects.exists()
    assert api.get("/api/v1/accounts/").status_code == 401
