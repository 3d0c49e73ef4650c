"""The signed-in user's API tokens: listed, made (the key shown once), revoked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ..forms import ApiTokenForm
from ..selectors.tokens import api_token_get_for_user, api_token_list
from ..services.tokens import api_token_create, api_token_revoke, api_tokens_revoke_all


@login_required
@require_http_methods(["GET", "POST"])
def token_list_view(request):
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The key is in this response only: never in the session, a URL or the
            # database, so it is not kept anywhere to show again.
            form = ApiTokenForm()
    response = TemplateResponse(
        request,
        "accounts/api_tokens.html",
        {
            "nav_active": "settings",
            "form": form,
            "tokens": api_token_list(user=request.user),
            "created": created,
            "key": key,
            "now": timezone.now(),
        },
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = api_token_get_for_user(user=request.user, token_id=token_id)
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked: it no longer signs anything in.")
    return _back_to_the_list(request)


@login_required
@require_POST
def token_revoke_all_view(request):
    count = api_tokens_revoke_all(user=request.user)
    messages.success(
        request, f"All your tokens revoked ({count})." if count else "You had no token to revoke."
    )
    return _back_to_the_list(request)


def _back_to_the_list(request):
    # The revoke buttons post through htmx (for its confirmation), which should load the
    # list as a whole page rather than swap it into the form.
    if request.htmx:
        return HttpResponseClientRedirect(reverse("tokens:list"))
    return redirect("tokens:list")
