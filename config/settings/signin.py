"""Sign-in settings: single sign-on by OpenID Connect (mozilla-django-oidc) and the second
factor (django-otp). Part of config.settings.base, which imports them after its own
authentication block and adds to INSTALLED_APPS, MIDDLEWARE and AUTHENTICATION_BACKENDS
from here."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

# --- Single sign-on (README, Sign-in) ----------------------------------------------------
# On when OIDC_RP_CLIENT_ID is set: the sign-in page then offers "Sign in with
# STRATA_OIDC_NAME" beside the password form. The identity provider's endpoints are named
# one by one (`manage.py oidc_discover <issuer>` prints them from its discovery document).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
STRATA_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
# RS256 (the providers' default: the ID token is checked against the provider's published
# keys, OIDC_OP_JWKS_ENDPOINT) or HS256 (checked with the client secret).
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
# Seconds to wait for the provider's token and user-info endpoints.
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
if STRATA_OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
        if not globals()[name]
    ]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        _missing.append("OIDC_OP_JWKS_ENDPOINT")
    if _missing:
        raise ImproperlyConfigured(
            "Single sign-on is on (OIDC_RP_CLIENT_ID is set) but these are not: "
            + ", ".join(_missing)
        )
# The provider's issuer (its discovery document's "issuer"): ID tokens from any other are
# refused. Unset, not checked (the token still comes straight from the token endpoint).
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
# Seconds of clock difference with the provider tolerated on the ID token's times.
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60)
# Only addresses in these domains sign in (e.g. "acme.com,acme.de"); empty: any. Set it
# for a provider anyone can have an account at (Google, a multi-tenant Entra app).
STRATA_OIDC_ALLOWED_DOMAINS = [
    d.lower().lstrip("@") for d in env_list("STRATA_OIDC_ALLOWED_DOMAINS", [])
]
# A first sign-in is linked to an existing user by e-mail address only when the provider
# says the address is verified (`email_verified`). Some never say (Microsoft Entra ID):
# turn this off for them, with STRATA_OIDC_ALLOWED_DOMAINS set to the company's domains.
STRATA_OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("STRATA_OIDC_REQUIRE_VERIFIED_EMAIL", True)
# The button's words: "Sign in with <name>".
STRATA_OIDC_NAME = env_str("STRATA_OIDC_NAME", "single sign-on")
# Someone the provider vouches for who has no Strata user yet gets one (matched by
# e-mail first); off: only people an admin has added may sign in through it.
OIDC_CREATE_USER = env_bool("STRATA_OIDC_CREATE_USERS", True)
# The claim that carries a person's Strata role (a string or a list, e.g. "groups"); unset,
# roles are left for an admin to give (a new user starts as a team member, who sees only
# the accounts whose team they are on: none).
STRATA_OIDC_ROLE_CLAIM = env_str("STRATA_OIDC_ROLE_CLAIM")
# The claim's values that name each role, "value=role" pairs (required with the claim, so
# no provider group merely named "admin" makes an admin by accident). With the claim set,
# it decides the role at every sign-in: a person in none of the mapped groups is a team
# member. Superusers' roles are an admin's to change.
STRATA_OIDC_ROLE_MAP = env_list("STRATA_OIDC_ROLE_MAP", [])
if STRATA_OIDC_ROLE_CLAIM:
    _roles = {"team_member", "manager", "executive", "admin"}
    _pairs = [p.split("=", 1) for p in STRATA_OIDC_ROLE_MAP]
    if not _pairs or any(len(p) != 2 or p[1].strip() not in _roles for p in _pairs):
        raise ImproperlyConfigured(
            "STRATA_OIDC_ROLE_CLAIM needs STRATA_OIDC_ROLE_MAP: comma-separated value=role "
            "pairs, each role one of team_member, manager, executive, admin."
        )
# The provider's failures and refusals come back to the sign-in page, which says why.
LOGIN_REDIRECT_URL_FAILURE = "/login/"
OIDC_AUTHENTICATE_CLASS = "accounts_app.signin.oidc.StartView"
OIDC_CALLBACK_CLASS = "accounts_app.signin.oidc.CallbackView"

# --- Second factor (README, Sign-in) ------------------------------------------------------
# Who must use one is the admins' choice in Strata (Settings → Sign-in policy); these are
# the name shown in authenticator apps and how often a signed-in session looks again.
OTP_TOTP_ISSUER = env_str("STRATA_TOTP_ISSUER", "Strata")
STRATA_SECOND_FACTOR_RECHECK_SECONDS = env_int("STRATA_SECOND_FACTOR_RECHECK_SECONDS", 300)
