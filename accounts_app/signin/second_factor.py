"""The second factor: who owes one, setting it up, checking it, turning it off.

A person's authenticator is a django-otp TOTPDevice (named APP), confirmed once they
have typed a first code from it; their recovery codes are one StaticDevice (named CODES)
whose tokens are each good once. A session has given its second factor when django-otp
has recorded the device in it (`django_otp.login`), which `request.user.is_verified()`
reads.
"""

import time

import django_otp
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import SecurityEvent, SignInPolicy, User

APP = "Authenticator app"
CODES = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# What the session remembers of the last look: (what is owed, when looked).
SESSION_KEY = "strata_second_factor"
OIDC_BACKEND = "accounts_app.signin.oidc.Backend"

VERIFY = "verify"  # has a second factor: must give it
ENROL = "enrol"  # must set one up before anything else


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def owed(request) -> str | None:
    """What the signed-in user of `request` must do before using Strata: VERIFY, ENROL
    or nothing. Looked up again every STRATA_SECOND_FACTOR_RECHECK_SECONDS at most (a
    policy change reaches signed-in people within that time), otherwise read from the
    session: no query on an ordinary page."""
    user = request.user
    if user.is_verified():
        return None
    seen = request.session.get(SESSION_KEY)
    if seen and time.time() - seen[1] < settings.STRATA_SECOND_FACTOR_RECHECK_SECONDS:
        return seen[0]
    return look(request, user)


def look(request, user: User) -> str | None:
    """Works out what the session owes and keeps it there. Called at sign-in (so the
    first page after it makes no extra query) and again after the recheck interval."""
    sso = request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND
    state = owed_by(user, signed_in_with_sso=sso)
    request.session[SESSION_KEY] = (state, time.time())
    return state


def owed_by(user: User, *, signed_in_with_sso: bool = False) -> str | None:
    policy = SignInPolicy.current()
    if signed_in_with_sso and not policy.sso_needs_second_factor:
        return None
    if has_second_factor(user):
        return VERIFY
    if policy.requires_second_factor(user):
        return ENROL
    return None


def forget(request) -> None:
    """The session looks again on its next request (after a change to the user's factor)."""
    request.session.pop(SESSION_KEY, None)


def verify(request, code: str) -> bool:
    """Whether `code` (from the app, or one of the recovery codes) is good for the signed-
    in user; if so, the session has given its second factor. django-otp throttles each
    device: after a wrong code, the next is refused for 1, 2, 4… seconds."""
    user = request.user
    code = "".join(code.split())
    device = _match(user, code)
    if device is None:
        return False
    _given(request, device)
    return True


def _given(request, device) -> None:
    """The session has given its second factor: a new session key from here on (what
    was known of the key before proves nothing)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    forget(request)


def check_code(user: User, code: str) -> bool:
    """Whether `code` is good for `user` (the API's token request, turning it off): used
    up like a sign-in."""
    return _match(user, "".join((code or "").split())) is not None


def _match(user: User, code: str):
    """The device `code` is good for (a recovery code is then used up, and recorded)."""
    if not code:
        return None
    with transaction.atomic():
        for device in django_otp.devices_for_user(user, for_verify=True):
            if device.verify_token(code):
                break
        else:
            return None
    if isinstance(device, StaticDevice):
        left = StaticToken.objects.filter(device=device).count()
        SecurityEvent.objects.create(
            user=user,
            by=user,
            kind=SecurityEvent.Kind.RECOVERY_CODE_USED,
            detail=f"{left} recovery code{'s' if left != 1 else ''} left",
        )
    return device


def pending_app(user: User) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed device with a new secret, kept
    across reloads of the page until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP).first()
    return device or TOTPDevice.objects.create(user=user, name=APP, confirmed=False)


@transaction.atomic
def confirm_app(request, code: str) -> list[str]:
    """Confirms the authenticator being set up with a first code from it; the session has
    then given its second factor. Returns the new recovery codes (shown once)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=APP)
    device = device.first()
    if device is None:
        raise ValidationError("Start again: this set-up has expired or was finished elsewhere.")
    if not device.verify_token("".join(code.split())):
        raise ValidationError(
            {
                "code": "That code is not the one the app shows now. Check the phone's clock "
                "and type the six digits on screen."
            }
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # untracked: a replaced secret
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _given(request, device)
    SecurityEvent.objects.create(user=user, by=user, kind=SecurityEvent.Kind.SECOND_FACTOR_ON)
    return codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    SecurityEvent.objects.create(user=user, by=user, kind=SecurityEvent.Kind.RECOVERY_CODES)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=CODES).count()


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=CODES)
    device.token_set.all().delete()  # untracked: used-up codes are replaced, not kept
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    # untracked: one-time codes, recorded as one SecurityEvent by the caller
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def may_turn_off(user: User) -> bool:
    return not SignInPolicy.current().requires_second_factor(user)


@transaction.atomic
def turn_off(request, code: str) -> None:
    """The user turns their own second factor off, proving it with a current code."""
    user = request.user
    if not may_turn_off(user):
        raise ValidationError(
            "Your organisation requires a second factor for you: set up a new "
            "authenticator instead of turning it off."
        )
    if not check_code(user, code):
        raise ValidationError(
            {"code": "That code is not right: type the six digits the app shows."}
        )
    _remove_devices(user)
    forget(request)
    SecurityEvent.objects.create(user=user, by=user, kind=SecurityEvent.Kind.SECOND_FACTOR_OFF)


@transaction.atomic
def reset(*, user: User, by: User) -> None:
    """An admin removes a person's second factor (a lost phone): they sign in with their
    password and, if the policy requires one, set a new one up."""
    _remove_devices(user)
    SecurityEvent.objects.create(user=user, by=by, kind=SecurityEvent.Kind.SECOND_FACTOR_RESET)


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()  # untracked: SecurityEvent records it
    StaticDevice.objects.filter(user=user).delete()  # untracked: SecurityEvent records it


@transaction.atomic
def policy_update(*, by: User, second_factor: str, roles: list[str], sso: bool) -> SignInPolicy:
    policy = SignInPolicy.objects.select_for_update().get_or_create(pk=1)[0]
    if second_factor != SignInPolicy.Required.ROLES:
        roles = []
    policy.second_factor, policy.second_factor_roles = second_factor, sorted(roles)
    policy.sso_needs_second_factor, policy.updated_by = sso, by
    policy.save()
    SecurityEvent.objects.create(
        by=by, kind=SecurityEvent.Kind.POLICY_CHANGED, detail=describe(policy)
    )
    return policy


def describe(policy: SignInPolicy) -> str:
    """The policy in one sentence, as the page and the record of changes say it."""
    if policy.second_factor == SignInPolicy.Required.EVERYONE:
        who = "Everyone must use a second factor"
    elif policy.second_factor == SignInPolicy.Required.ROLES and policy.second_factor_roles:
        names = dict(User.Role.choices)
        roles = ", ".join(names.get(r, r) for r in policy.second_factor_roles)
        who = f"A second factor is required for: {roles}"
    else:
        who = "A second factor is each person's choice"
    sso = (
        "asked after single sign-on too"
        if policy.sso_needs_second_factor
        else ("single sign-on counts as both factors")
    )
    return f"{who}; {sso}."
