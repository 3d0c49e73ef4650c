"""What the account pages share: the tabbed page that renders whole or as a fragment."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseLocation

from core.http import REFUSED, wants_fragment

from ..models import Account
from ..selectors import can_edit_account, can_manage_team

TABS = (
    ("overview", "Overview", "accounts:detail"),
    ("health", "Health", "insights:health"),
    ("plan", "Plan", "account_plan"),
    ("risks", "Risks", "account_risks"),
    ("contacts", "Contacts", "accounts:contacts"),
    ("relationships", "Relationships", "accounts:relationships"),
    ("map", "Map", "accounts:relationship_map"),
    ("interactions", "Interactions", "accounts:interactions"),
    ("opportunities", "Opportunities", "opportunities:account"),
    ("contracts", "Contracts", "opportunities:contracts"),
    ("revenue", "Revenue", "accounts:revenue"),
    ("whitespace", "Whitespace", "opportunities:whitespace"),
    ("scorecard", "Scorecard", "scorecards:account"),
    ("surveys", "Surveys", "scorecards:surveys"),
    ("reviews", "Reviews", "reviews:account"),
    ("team", "Team", "accounts:team"),
    ("tier", "Tier", "segmentation:account_tier"),
    ("activity", "Activity", "insights:activity"),
)


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
        "today": timezone.localdate(),
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


def section_form_response(
    request: HttpRequest, *, form, form_id: str, fragment: str, context: dict, whole_tab
) -> HttpResponse:
    """A tab's add-or-change form, empty or as typed: a refused save answers 422
    (core.http.REFUSED) with the form's section alone when htmx aimed at it, else the
    whole tab (`whole_tab(status)`) with the form in it."""
    status = REFUSED if form.is_bound else 200
    if wants_fragment(request) and request.htmx.target == form_id:
        context = {**context, "form": form, "form_id": form_id}
        return TemplateResponse(request, fragment, context, status=status)
    return whole_tab(status)
