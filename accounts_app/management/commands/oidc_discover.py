"""Prints the single sign-on settings of an identity provider from its discovery
document (`<issuer>/.well-known/openid-configuration`), ready for the environment."""

import requests
from django.core.management.base import BaseCommand, CommandError

SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Print the OIDC_OP_* settings of an identity provider, read from its discovery document."

    def add_arguments(self, parser):
        parser.add_argument("issuer", help="e.g. https://login.example.com/realms/acme")

    def handle(self, *args, **options):
        url = options["issuer"].rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise CommandError(f"Could not read {url}: {exc}") from exc
        missing = [key for key in SETTINGS.values() if not document.get(key)]
        if missing:
            raise CommandError(f"{url} does not name: {', '.join(missing)}")
        for name, key in SETTINGS.items():
            self.stdout.write(f"{name}={document[key]}")
        if document.get("issuer"):
            self.stdout.write(f"OIDC_OP_ISSUER={document['issuer']}")
        algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithm = "RS256" if "RS256" in algorithms else algorithms[0]
        self.stdout.write(f"OIDC_RP_SIGN_ALGO={algorithm}")
