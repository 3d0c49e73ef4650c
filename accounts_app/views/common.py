"""What the account pages share: the tabbed page that renders whole or as a fragment."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseLocation

from ..models import Account
from ..selectors import can_edit_account, can_manage_team

TABS = (
    ("overview", "Overview", "accounts:detail"),
    ("health", "Health", "scorecards:health"),
    ("contacts", "Contacts", "accounts:contacts"),
    ("relationships", "Relationships", "accounts:relationships"),
    ("map", "Map", "accounts:relationship_map"),
    ("interactions", "Interactions", "accounts:interactions"),
    ("opportunities", "Opportunities", "opportunities:account"),
    ("whitespace", "Whitespace", "opportunities:whitespace"),
    ("scorecard", "Scorecard", "scorecards:account"),
    ("surveys", "Surveys", "scorecards:surveys"),
    ("reviews", "Reviews", "reviews:account"),
    ("team", "Team", "accounts:team"),
    ("tier", "Tier", "segmentation:account_tier"),
)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a part of the page; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render_account_page(
    request: HttpRequest,
    *,
    account: Account,
    tab: str,
    panel: str,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The account page with `panel` in its tab area; only the tab area for htmx."""
    context = {
        "account": account,
        "tabs": TABS,
        "active_tab": tab,
        "panel_template": panel,
        "can_edit": can_edit_account(user=request.user, account=account),
        "can_manage_team": can_manage_team(user=request.user, account=account),
        **(context or {}),
    }
    template = "accounts/detail.html#tabs" if wants_fragment(request) else "accounts/detail.html"
    response = TemplateResponse(request, template, context, status=status)
    # One URL answers a fragment or the whole page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def back_to_tab(request: HttpRequest, account: Account, url_name: str) -> HttpResponse:
    """After a successful write: redirect a plain POST; for htmx, have it load the tab."""
    url = reverse(url_name, args=[account.pk])
    if wants_fragment(request):
        return HttpResponseLocation(url, target="#account-tabs", swap="outerHTML")
    return redirect(url)


def saved_form(request: HttpRequest, form, save: Callable[[dict], object]) -> bool:
    """On a POST, validate `form` and hand its data (`form.data_for_service()` where the
    form has it, else its cleaned data) to `save` (which calls a service).

    False when there is nothing to save or it failed: a service's ValidationError lands
    on the form, which the caller re-renders with what was typed.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.data_for_service() if hasattr(form, "data_for_service") else form.cleaned_data
    try:
        save(data)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, messages in errors.items():
            form.add_error(field if field in form.fields else None, messages)
        return False
    return True


def paginate(request: HttpRequest, queryset, per_page: int = 25):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
