"""API tokens (django-rest-knox): made with a name and a lifetime, the key shown once,
revoked one by one or all at once. A password change or a deactivation revokes them all
(accounts_app.signals)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.models import get_digest_token
from knox.settings import CONSTANTS

from ..models import ApiToken, User

# last_used is written at most this often: one UPDATE per token a minute, not per request.
LAST_USED_EVERY = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`, lasting `days` (STRATA_TOKEN_TTL_DAYS if not given), and its
    key: the only time the key exists outside the caller's hands, as only its digest is
    stored."""
    if days is None:
        days = settings.STRATA_TOKEN_TTL_DAYS
    if not 1 <= days <= settings.STRATA_TOKEN_MAX_TTL_DAYS:
        raise ValidationError(
            {"days": f"A token lasts from 1 to {settings.STRATA_TOKEN_MAX_TTL_DAYS} days."}
        )
    now = timezone.now()
    # Locks the user's row: two requests at once cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    live = ApiToken.objects.filter(user=user).filter(Q(expiry__gt=now) | Q(expiry__isnull=True))
    if live.count() >= settings.STRATA_TOKEN_LIMIT_PER_USER:
        raise ValidationError(
            f"You already have {settings.STRATA_TOKEN_LIMIT_PER_USER} live tokens: "
            "reuse one, or revoke those you no longer need."
        )
    digest, key = get_digest_token()
    token = ApiToken(
        user=user,
        name=name.strip(),
        digest=digest,
        token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
        expiry=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """Every token of `user` revoked; how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def api_token_used(*, token: ApiToken) -> None:
    """Notes that `token` signed a request in (shown on the tokens page)."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
        # untracked: a usage stamp, not a change anyone makes
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
