"""The second factor (issue 19): setting up an authenticator app (TOTP), being asked for
it after the password, recovery codes, turning it off, the admins' policy (everyone or
per role) with their reset for a lost phone, and the API's token request."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts_app.models import SecurityEvent, SignInPolicy, User
from demo.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/settings/two-factor/"
VERIFY = "/login/verify/"
POLICY = "/settings/sign-in/"


def code_at(device, t: int) -> str:
    """The code of the 30-second step `t` (the step a code was accepted in: device.last_t)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = device.t0 + t * device.step + 1
    return f"{totp.token():06d}"


def code_for(device, ahead=0) -> str:
    """The code the user's app shows now (ahead=1: the next 30-second step's, which the
    one-step tolerance accepts after a code of this step has been used)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(client, user):
    client.logout()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up(client, user) -> list[str]:
    """Sets up the app the way the page does; returns the recovery codes shown."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 302, response.text
    return client.get(response["Location"]).context["codes"]


def test_without_a_policy_a_password_is_enough(client, owner):
    sign_in(client, owner)
    assert client.get("/").status_code == 200


def test_setting_up_an_authenticator_app(client, owner):
    sign_in(client, owner)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Set up your second factor" in page.text
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    # The QR code is an image of its own URL (no inline data); the key is on the page too.
    qr = client.get(reverse("second_factor:qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert page.context["secret"].replace(" ", "") in page.text.replace(" ", "")
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    # A reload keeps the same key: the app scanned a moment ago stays right.
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=owner, confirmed=False).key == device.key

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "not the one the app shows now" in wrong.text
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()

    time.sleep(1.1)  # django-otp's throttle: after a wrong code the next waits a second
    confirmed = client.post(SETUP, {"code": code_for(device)})
    assert confirmed["Location"] == "/settings/two-factor/codes/"
    codes = client.get(confirmed["Location"]).context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    # Shown once: a reload of that page makes nothing and sends back to the settings.
    again = client.get("/settings/two-factor/codes/")
    assert again["Location"] == SETUP
    assert StaticToken.objects.filter(device__user=owner).count() == 10
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).count() == 1
    assert SecurityEvent.objects.filter(user=owner, kind="second_factor_on").exists()
    assert client.get("/").status_code == 200  # this session has given its factor
    assert "Second factor:" in client.get(SETUP).text


def test_the_next_sign_in_asks_for_the_code_before_anything_else(client, owner):
    sign_in(client, owner)
    set_up(client, owner)
    device = TOTPDevice.objects.get(user=owner)

    sign_in(client, owner)
    response = client.get("/accounts/?q=acme")
    assert response.status_code == 302
    assert response["Location"] == "/login/verify/?next=%2Faccounts%2F%3Fq%3Dacme"
    assert client.get("/settings/tokens/")["Location"].startswith(VERIFY)
    assert client.get("/api/v1/accounts/").status_code == 403
    fragment = client.get(
        "/accounts/1/contacts/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/plans/?x=1"},
    )
    # After the code, back to the page the fragment was asked from, not to the fragment.
    assert fragment["HX-Redirect"] == "/login/verify/?next=%2Fplans%2F%3Fx%3D1"
    key_before = client.session.session_key

    refused = client.post(VERIFY, {"code": "12 34 56", "next": "/accounts/?q=acme"})
    assert refused.status_code == 200 and "That code is not right" in refused.text
    time.sleep(1.1)
    response = client.post(VERIFY, {"code": code_for(device, ahead=1), "next": "/accounts/?q=acme"})
    assert response.status_code == 302 and response["Location"] == "/accounts/?q=acme"
    assert client.get("/accounts/").status_code == 200
    assert client.session.session_key != key_before  # a new key once the factor is given
    # An outside address in `next` is not followed: the code is taken, the home page next.
    sign_in(client, owner)
    codes_left = StaticToken.objects.filter(device__user=owner).values_list("token", flat=True)
    response = client.post(VERIFY, {"code": codes_left[0], "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_code_cannot_be_used_twice_and_guessing_is_slowed(client, owner):
    sign_in(client, owner)
    set_up(client, owner)
    device = TOTPDevice.objects.get(user=owner)
    used = code_at(device, device.last_t)  # the code the set-up just used
    sign_in(client, owner)
    assert client.post(VERIFY, {"code": used}).status_code == 200  # refused: replayed
    # Right code straight after a wrong one: refused too (throttled), then accepted.
    assert client.post(VERIFY, {"code": code_for(device, ahead=1)}).status_code == 200
    time.sleep(2.1)
    assert client.post(VERIFY, {"code": code_for(device, ahead=1)}).status_code == 302


def test_a_recovery_code_signs_in_once(client, owner):
    sign_in(client, owner)
    codes = set_up(client, owner)
    sign_in(client, owner)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=owner).count() == 9
    event = SecurityEvent.objects.get(user=owner, kind="recovery_code_used")
    assert event.detail == "9 recovery codes left"
    sign_in(client, owner)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
    # New codes replace the old ones.
    time.sleep(1.1)
    client.post(VERIFY, {"code": codes[1]})
    made = client.post(reverse("second_factor:recovery_codes"))
    new = client.get(made["Location"]).context["codes"]
    assert StaticToken.objects.filter(device__user=owner).count() == 10
    assert not set(new) & set(codes)


def test_turning_it_off_takes_a_current_code(client, owner):
    sign_in(client, owner)
    set_up(client, owner)
    device = TOTPDevice.objects.get(user=owner)
    client.post(reverse("second_factor:off"), {"code": "000000"})
    assert TOTPDevice.objects.filter(user=owner).exists()
    time.sleep(1.1)
    client.post(reverse("second_factor:off"), {"code": code_for(device, ahead=1)})
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert SecurityEvent.objects.filter(user=owner, kind="second_factor_off").exists()
    sign_in(client, owner)
    assert client.get("/").status_code == 200


def test_the_admins_policy_for_a_role_and_for_everyone(client, owner, manager, admin_user):
    sign_in(client, admin_user)
    page = client.get(POLICY)
    assert page.status_code == 200 and "A second factor is each person" in page.text
    refused = client.post(POLICY, {"second_factor": "roles"})
    assert "Choose at least one role" in refused.text
    client.post(POLICY, {"second_factor": "roles", "roles": ["manager"]})
    policy = SignInPolicy.current()
    assert (policy.second_factor, policy.second_factor_roles) == ("roles", ["manager"])
    assert policy.updated_by == admin_user
    event = SecurityEvent.objects.get(kind="policy_changed")
    assert event.by == admin_user and "Manager" in event.detail

    sign_in(client, manager)
    response = client.get("/dashboards/")
    assert response["Location"] == "/settings/two-factor/?next=%2Fdashboards%2F"
    assert "Your organisation requires one for you" in client.get(SETUP).text
    sign_in(client, owner)
    assert client.get("/").status_code == 200

    SignInPolicy.objects.filter(pk=1).update(second_factor="everyone")
    sign_in(client, owner)
    assert client.get("/")["Location"].startswith(SETUP)
    set_up(client, owner)
    # Required: the page offers a new app, not turning it off; the service refuses too.
    page = client.get(SETUP)
    assert "Turn it off" not in page.text
    device = TOTPDevice.objects.get(user=owner, confirmed=True)
    client.post(reverse("second_factor:off"), {"code": code_for(device, ahead=1)})
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_a_policy_change_reaches_people_already_signed_in(client, owner, settings):
    settings.STRATA_SECOND_FACTOR_RECHECK_SECONDS = 0
    sign_in(client, owner)
    assert client.get("/").status_code == 200
    SignInPolicy.objects.update_or_create(pk=1, defaults={"second_factor": "everyone"})
    assert client.get("/")["Location"].startswith(SETUP)


def test_only_admins_see_the_policy_and_reset_a_lost_phone(client, owner, manager, admin_user):
    sign_in(client, owner)
    set_up(client, owner)
    for user in (owner, manager):
        client.force_login(user)
        assert client.get(POLICY).status_code == 404
        assert client.post(reverse("second_factor:reset", args=[owner.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=owner).exists()

    client.force_login(admin_user)
    page = client.get(POLICY)
    row = page.text.split("Olivia Owner")[1].split("</tr>")[0]
    assert 'badge band-green">On<' in row
    assert "Olivia" not in client.get(POLICY, {"q": "nobody-matches"}).text.split("People")[1]
    response = client.post(reverse("second_factor:reset", args=[owner.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    event = SecurityEvent.objects.get(user=owner, kind="second_factor_reset")
    assert event.by == admin_user
    sign_in(client, owner)
    assert client.get("/").status_code == 200


def test_the_policy_page_lists_people_in_constant_queries(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    client.get(POLICY)
    for n in range(30):
        user = UserFactory(username=f"p{n}")
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=n % 2 == 0)
    with django_assert_max_num_queries(14):
        page = client.get(POLICY)
    assert page.text.count("Required, not set up") == 0
    assert page.context["page"].paginator.count == 31


def test_the_api_token_request_asks_for_the_code_of_a_user_who_has_one(client, owner):
    sign_in(client, owner)
    set_up(client, owner)
    device = TOTPDevice.objects.get(user=owner)
    api = APIClient()
    body = {"username": "owner", "password": PASSWORD, "name": "script"}
    refused = api.post("/api/v1/auth/token/", body)
    assert refused.status_code == 400 and "otp" in refused.json()
    ok = api.post("/api/v1/auth/token/", body | {"otp": code_for(device, ahead=1)})
    assert ok.status_code == 200 and ok.json()["token"]
    # A recovery code works there too, used up and recorded like at sign-in.
    code = StaticToken.objects.filter(device__user=owner).values_list("token", flat=True)[0]
    assert api.post("/api/v1/auth/token/", body | {"otp": code}).status_code == 200
    assert SecurityEvent.objects.get(user=owner, kind="recovery_code_used").detail == (
        "9 recovery codes left"
    )


def test_the_api_token_request_of_someone_who_must_set_one_up_first(owner):
    SignInPolicy.objects.update_or_create(pk=1, defaults={"second_factor": "everyone"})
    body = {"username": "owner", "password": PASSWORD}
    refused = APIClient().post("/api/v1/auth/token/", body)
    assert refused.status_code == 400
    assert "set it up in Strata first" in refused.json()["otp"][0]
    assert User.objects.get(username="owner").auth_token_set.count() == 0
