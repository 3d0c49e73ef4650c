"""Single sign-on by OpenID Connect (mozilla-django-oidc's authorization-code flow with
PKCE and a nonce). A person the identity provider vouches for is matched to a Strata user
by e-mail address (the provider must not say the address is unverified); someone new gets
a user when STRATA_OIDC_CREATE_USERS allows. Their role comes from STRATA_OIDC_ROLE_CLAIM
on every sign-in when the provider sends it, and is otherwise left for an admin (a new
user starts as a team member, who sees no account until put on a team)."""

import logging
import re

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ..models import SecurityEvent, User

log = logging.getLogger(__name__)

# The most senior role wins when the claim names several.
SENIORITY = [User.Role.ADMIN, User.Role.EXECUTIVE, User.Role.MANAGER, User.Role.TEAM_MEMBER]


def role_from_claims(claims: dict) -> str | None:
    """The Strata role the provider's claims give, or None (the claim is not configured,
    absent, or names no role)."""
    name = settings.STRATA_OIDC_ROLE_CLAIM
    if not name or name not in claims:
        return None
    values = claims[name]
    values = [values] if isinstance(values, str) else list(values or [])
    mapping = dict(pair.split("=", 1) for pair in settings.STRATA_OIDC_ROLE_MAP if "=" in pair)
    mapping = {k.strip(): v.strip() for k, v in mapping.items()} or {r: r for r in User.Role}
    roles = {mapping[str(v)] for v in values if str(v) in mapping}
    return next((r for r in SENIORITY if r in roles), None)


class Backend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (user info sent as a JWT carries no audience)
            audience = payload.get("aud")
            audience = [audience] if isinstance(audience, str) else list(audience or [])
            if self.OIDC_RP_CLIENT_ID not in audience:
                raise SuspiciousOperation("The ID token was issued to another client.")
        return payload

    def verify_claims(self, claims):
        if not claims.get("email"):
            return self._refuse("The identity provider sent no e-mail address for you.")
        if claims.get("email_verified") is False:
            return self._refuse("The identity provider has not verified your e-mail address.")
        return True

    def filter_users_by_claims(self, claims):
        users = User.objects.filter(email__iexact=claims["email"].strip())
        if len(users) > 1:
            self._refuse(
                "Several Strata users have your e-mail address: ask an admin to give each "
                "their own."
            )
        return users

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None and not settings.OIDC_CREATE_USER:
            self._refuse("You have no Strata user yet: ask an admin to add you.")
        return user

    @transaction.atomic
    def create_user(self, claims):
        role = role_from_claims(claims) or User.Role.TEAM_MEMBER
        user = User(
            username=self._free_username(claims),
            email=claims["email"].strip(),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            role=role,
        )
        user.set_unusable_password()
        user.save()
        SecurityEvent.objects.create(
            user=user,
            kind=SecurityEvent.Kind.SSO_USER_CREATED,
            detail=f"As {user.get_role_display()}, for {user.email}",
        )
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        role = role_from_claims(claims)
        if role and role != user.role and not user.is_superuser:
            before = user.get_role_display()
            user.role = role
            user.save(update_fields=["role"])
            SecurityEvent.objects.create(
                user=user,
                kind=SecurityEvent.Kind.SSO_ROLE_CHANGED,
                detail=f"{before} → {user.get_role_display()}",
            )
        return user

    def _free_username(self, claims) -> str:
        wanted = claims.get("preferred_username") or claims["email"].split("@")[0]
        base = re.sub(r"[^\w.@+-]", "", wanted)[:140] or "user"
        name, n = base, 1
        while User.objects.filter(username__iexact=name).exists():
            n += 1
            name = f"{base}{n}"
        return name

    def _refuse(self, reason: str):
        self.request.strata_sso_refusal = reason
        raise SuspiciousOperation(reason)


def _enabled():
    if not settings.STRATA_OIDC_ENABLED:
        raise Http404("Single sign-on is not configured.")


class StartView(OIDCAuthenticationRequestView):
    def dispatch(self, request, *args, **kwargs):
        _enabled()
        return super().dispatch(request, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        # The parent reads the provider's settings here; with sign-on off they are unset.
        if settings.STRATA_OIDC_ENABLED:
            super().__init__(*args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        _enabled()
        try:
            return super().get(request)
        except requests.RequestException as exc:
            log.warning("single sign-on: the identity provider did not answer: %s", exc)
            return self._failed("The identity provider did not answer. Try again in a moment.")
        except SuspiciousOperation as exc:
            # A replayed or foreign callback (its state is not this browser's).
            log.warning("single sign-on refused: %s", exc)
            return self._failed("That sign-in link is not valid any more: start again.")

    def login_failure(self):
        return self._failed(None)

    def _failed(self, reason):
        user = getattr(self, "user", None)
        if reason is None:
            reason = getattr(self.request, "strata_sso_refusal", None)
        if reason is None and user is not None and not user.is_active:
            reason = "Your Strata user is deactivated: ask an admin."
        if reason is None and self.request.GET.get("error"):
            reason = "The identity provider did not sign you in."
        messages.error(self.request, reason or "Single sign-on did not complete: try again.")
        return super().login_failure()
