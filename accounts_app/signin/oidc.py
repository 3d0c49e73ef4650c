"""Single sign-on by OpenID Connect (mozilla-django-oidc's authorization-code flow with
PKCE and a nonce). A person the identity provider vouches for is found by their identity
there (issuer and subject) once linked; the first time, by a verified e-mail address in
an allowed domain, or made a user when STRATA_OIDC_CREATE_USERS allows. Their role comes
from STRATA_OIDC_ROLE_CLAIM through STRATA_OIDC_ROLE_MAP at every sign-in when the claim
is configured, and is otherwise left for an admin (a new user starts as a team member,
who sees no account until put on a team). Superusers sign in with their password."""

import logging
import re
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ..models import SecurityEvent, SsoIdentity, User

log = logging.getLogger(__name__)

# The most senior role wins when the claim names several.
SENIORITY = [User.Role.ADMIN, User.Role.EXECUTIVE, User.Role.MANAGER, User.Role.TEAM_MEMBER]


def role_from_claims(claims: dict) -> str | None:
    """The Strata role the provider's claims give: None when no role claim is configured;
    otherwise the most senior mapped role among the claim's values, or a team member when
    none is mapped (or the claim is missing)."""
    name = settings.STRATA_OIDC_ROLE_CLAIM
    if not name:
        return None
    values = claims.get(name)
    values = list(values) if isinstance(values, list | tuple) else [values]
    mapping = {
        key.strip(): role.strip()
        for key, role in (pair.split("=", 1) for pair in settings.STRATA_OIDC_ROLE_MAP)
    }
    roles = {mapping[str(v)] for v in values if v is not None and str(v) in mapping}
    return next((r for r in SENIORITY if r in roles), User.Role.TEAM_MEMBER)


def _verified(claims: dict) -> bool:
    return claims.get("email_verified") in (True, "true", "True")


class Backend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the provider's callback signs in through here. Called from the password
        # form or the token endpoint it would send their credentials' request on to the
        # provider, and its failure would escape django-axes' count of failed sign-ins.
        if request is None or "nonce" not in kwargs:
            return None
        if request.path != reverse("oidc_authentication_callback"):
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The ID token's signature and times (with OIDC_CLOCK_SKEW_SECONDS of leeway);
        any fault is a refusal, never an error."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"The ID token is signed {algorithm!r}.")
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                options={"verify_aud": False},
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"The ID token is not valid: {exc}") from exc

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (user info sent as a JWT is checked as one)
            audience = payload.get("aud")
            audience = [audience] if isinstance(audience, str) else list(audience or [])
            if self.OIDC_RP_CLIENT_ID not in audience:
                raise SuspiciousOperation("The ID token was issued to another client.")
            issuer = settings.OIDC_OP_ISSUER
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation("The ID token comes from another issuer.")
            if not payload.get("sub") or not payload.get("iss"):
                raise SuspiciousOperation("The ID token names no issuer or subject.")
        return payload

    def verify_claims(self, claims):
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            return self._refuse("The identity provider sent no e-mail address for you.")
        domains = settings.STRATA_OIDC_ALLOWED_DOMAINS
        if domains and email.rsplit("@", 1)[1].strip().lower() not in domains:
            return self._refuse("Your e-mail address is not in a domain Strata accepts.")
        return True

    @transaction.atomic
    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") not in (None, payload["sub"]):
            self._refuse("The identity provider's answers name two different people.")
        self.verify_claims(claims)
        identity = (
            SsoIdentity.objects.select_related("user")
            .filter(issuer=payload["iss"], subject=payload["sub"])
            .first()
        )
        if identity is not None:
            identity.save(update_fields=["last_used_at"])
            return self._signed_in(identity.user, claims)
        user = self._first_sign_in(claims)
        SsoIdentity.objects.create(user=user, issuer=payload["iss"], subject=payload["sub"])
        return self._signed_in(user, claims)

    def _first_sign_in(self, claims) -> User:
        """The user a first sign-in is linked to: the one with this verified address, or
        a new one."""
        email = claims["email"].strip()
        users = list(User.objects.filter(email__iexact=email))
        if len(users) > 1:
            self._refuse(
                "Several Strata users have your e-mail address: ask an admin to give each "
                "their own."
            )
        if users:
            if settings.STRATA_OIDC_REQUIRE_VERIFIED_EMAIL and not _verified(claims):
                self._refuse("The identity provider has not verified your e-mail address.")
            user = users[0]
            SecurityEvent.objects.create(
                user=user, kind=SecurityEvent.Kind.SSO_LINKED, detail=f"As {email}"
            )
            return user
        if not settings.OIDC_CREATE_USER:
            self._refuse("You have no Strata user yet: ask an admin to add you.")
        return self.create_user(claims)

    def _signed_in(self, user: User, claims) -> User:
        if user.is_superuser:
            self._refuse("A superuser signs in with their password (and second factor).")
        if user.is_active:
            self.update_user(user, claims)
        return user

    def create_user(self, claims):
        role = role_from_claims(claims) or User.Role.TEAM_MEMBER
        user = User(
            username=self._free_username(claims),
            email=claims["email"].strip(),
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
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
        wanted = str(claims.get("preferred_username") or claims["email"].split("@")[0])
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
    def __init__(self, *args, **kwargs):
        # The parent reads the provider's settings here; with sign-on off they are unset.
        if settings.STRATA_OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        _enabled()
        return super().dispatch(request, *args, **kwargs)


# What a provider or a token may get wrong: each a refusal on the sign-in page, not a 500.
REFUSED = (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError, TypeError, AttributeError)


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        _enabled()
        if request.GET.get("error") and request.GET.get("state") not in request.session.get(
            "oidc_states", {}
        ):
            # Not an answer to a sign-in this browser started: it signs nobody out.
            return self._failed("The identity provider did not sign you in.")
        try:
            return super().get(request)
        except requests.RequestException as exc:
            log.warning("single sign-on: the identity provider did not answer: %s", exc)
            return self._failed("The identity provider did not answer. Try again in a moment.")
        except REFUSED as exc:
            reason = getattr(request, "strata_sso_refusal", None)
            log.warning("single sign-on refused: %r", exc, exc_info=reason is None)
            return self._failed(reason or "That sign-in link is not valid any more: start again.")

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
        url = reverse("login")
        # Where they were going, as the sign-in page had it (checked when it was stored).
        going = self.request.session.get("oidc_login_next")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': going})}" if going else url)
