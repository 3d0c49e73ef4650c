"""How an API request signs in with a token (DEFAULT_AUTHENTICATION_CLASSES). Kept out of
accounts_app.api: DRF imports it while its own views module is still loading."""

from knox.auth import TokenAuthentication

from .services.tokens import api_token_used


class ApiTokenAuthentication(TokenAuthentication):
    """knox's check (the key's digest, the expiry, an active user), and a note of when
    the token was last used."""

    def authenticate_credentials(self, token):
        user, auth_token = super().authenticate_credentials(token)
        api_token_used(token=auth_token)
        return user, auth_token
