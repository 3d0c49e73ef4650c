"""API tokens: hashed, expiring, named, several per user (django-rest-knox)."""

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS


class ApiToken(AbstractAuthToken):
    """A key a script signs in to the API with. Only a SHA-512 digest of the key is kept
    (knox's), with its first characters to find the row: the key itself is shown once,
    when the token is made. knox's own table is swapped for this one (KNOX_TOKEN_MODEL)
    to give a token a name, when it was last used and an id to revoke it by."""

    # An ordinary id, not knox's digest as the primary key: pages and URLs name a token
    # by its id and never show the digest.
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=100)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.user})"

    @property
    def key_start(self) -> str:
        """The key's first characters, enough to tell which of one's tokens a script holds."""
        return self.token_key[:6]
