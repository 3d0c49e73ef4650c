"""Single sign-on's settings (issue 19): off unless a client id is set; on, every endpoint
it needs must be set too, or Strata does not start; the OIDC backend is added only then."""

import json

from tests.config.test_settings import _settings_in_subprocess

READ = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'on': s.STRATA_OIDC_ENABLED, 'backends': s.AUTHENTICATION_BACKENDS, "
    "'algo': s.OIDC_RP_SIGN_ALGO, 'pkce': s.OIDC_USE_PKCE}))"
)
IDP = {
    "OIDC_RP_CLIENT_ID": "strata",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
}


def _read(tmp_path, env):
    return _settings_in_subprocess(
        "config.settings.local", {"STRATA_VAR_DIR": str(tmp_path), **env}, READ
    )


def test_single_sign_on_is_off_by_default(tmp_path):
    result = _read(tmp_path, {})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["on"] is False
    assert "accounts_app.signin.oidc.Backend" not in data["backends"]


def test_a_configured_provider_turns_it_on_with_pkce_and_rs256(tmp_path):
    result = _read(tmp_path, IDP)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["on"] is True and data["backends"][-1] == "accounts_app.signin.oidc.Backend"
    assert (data["algo"], data["pkce"]) == ("RS256", True)


def test_a_half_configured_provider_stops_the_start_naming_what_is_missing(tmp_path):
    env = dict(IDP)
    del env["OIDC_OP_TOKEN_ENDPOINT"], env["OIDC_OP_JWKS_ENDPOINT"]
    result = _read(tmp_path, env)
    assert result.returncode != 0
    assert "OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_JWKS_ENDPOINT" in result.stderr
    # HS256 checks the ID token with the client secret: no key endpoint needed.
    env["OIDC_OP_TOKEN_ENDPOINT"] = "https://idp.example/token"
    env["OIDC_RP_SIGN_ALGO"] = "HS256"
    assert _read(tmp_path, env).returncode == 0


def test_a_role_claim_needs_a_map_of_its_values_to_roles(tmp_path):
    refused = _read(tmp_path, IDP | {"STRATA_OIDC_ROLE_CLAIM": "groups"})
    assert refused.returncode != 0 and "needs STRATA_OIDC_ROLE_MAP" in refused.stderr
    wrong = _read(
        tmp_path, IDP | {"STRATA_OIDC_ROLE_CLAIM": "groups", "STRATA_OIDC_ROLE_MAP": "a=boss"}
    )
    assert wrong.returncode != 0
    good = {"STRATA_OIDC_ROLE_CLAIM": "groups", "STRATA_OIDC_ROLE_MAP": "kam-admins=admin"}
    assert _read(tmp_path, IDP | good).returncode == 0
