"""A user's own API tokens: nobody else's are ever listed or found (another's is a 404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def api_token_get_for_user(*, user: User, token_id: int) -> ApiToken:
    return get_object_or_404(ApiToken, user=user, pk=token_id)
