"""The Interactions tab: the log of meetings, calls, emails and events with contacts."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation

from core.http import REFUSED, paginate, saved_form, wants_fragment

from .. import services
from ..forms import InteractionFilterForm, InteractionForm
from ..models import Interaction
from ..selectors import (
    account_get_for_user,
    account_interactions,
    can_edit_account,
    interaction_get,
)
from .common import back_to_tab, render_account_page

# The list below the filters: the filters and the pages swap only this part.
RESULTS_ID = "interaction-results"
# The log form's section: a refused save swaps only it, keeping the page around it.
FORM_ID = "interaction-form"
FILTER_PARAMS = ("kind", "contact")


def _filter_params(params) -> list[tuple[str, str]]:
    """The filters given in a request (no page): what the list's links and forms keep."""
    return [(key, params[key]) for key in FILTER_PARAMS if params.get(key)]


@login_required
def interaction_list_view(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, account_id=account_id)
    filters = InteractionFilterForm(request.GET, account=account, auto_id="filter_%s")
    if filters.is_valid():
        interactions = account_interactions(
            account=account,
            kind=filters.cleaned_data["kind"],
            contact=filters.cleaned_data["contact"],
        )
    else:
        interactions = account_interactions(account=account).none()
    filter_params = _filter_params(request.GET)
    context = {
        "filters": filters,
        "page": paginate(request, interactions, per_page=25),
        "is_filtered": bool(filter_params),
        "filter_params": filter_params,
        "query_string": urlencode(filter_params),
        "results_id": RESULTS_ID,
    }
    if wants_fragment(request) and request.htmx.target == RESULTS_ID:
        context.update(
            account=account, can_edit=can_edit_account(user=request.user, account=account)
        )
        response = TemplateResponse(request, "accounts/_interactions.html#results", context)
    else:
        response = render_account_page(
            request,
            account=account,
            tab="interactions",
            panel="accounts/_interactions.html",
            context=context,
        )
    # The same URL answers the page, the tab area or only the list.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _logged_message(interaction: Interaction, contacts) -> str:
    names = [contact.name for contact in contacts]
    who = names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"
    return f"{interaction.get_kind_display()} with {who} logged."


def _label(interaction: Interaction) -> str:
    return f"{interaction.get_kind_display()} of {date_format(interaction.date, 'j M Y')}"


def _form_response(
    request: HttpRequest,
    account,
    form: InteractionForm,
    *,
    interaction=None,
    editing="",
    filter_params=(),
) -> HttpResponse:
    """The log form (empty, pre-filled or as typed with its errors). A refused save
    answers 422 (core.http.REFUSED): htmx swaps only the form's section, the page
    without JavaScript shows the whole tab with it."""
    status = REFUSED if form.is_bound else 200
    context = {
        "back_url": _list_url(account, filter_params),
        "form": form,
        "interaction": interaction,
        "editing": editing,
        "query_string": urlencode(filter_params),
        "form_id": FORM_ID,
    }
    if wants_fragment(request) and request.htmx.target == FORM_ID:
        context["account"] = account
        return TemplateResponse(request, "accounts/_interaction_form.html", context, status=status)
    return render_account_page(
        request,
        account=account,
        tab="interactions",
        panel="accounts/_interaction_form.html",
        context=context,
        status=status,
    )


def _list_url(account, filter_params) -> str:
    url = reverse("accounts:interactions", args=[account.pk])
    return f"{url}?{urlencode(filter_params)}" if filter_params else url


def _back_to_list(request: HttpRequest, account, filter_params) -> HttpResponse:
    """After a write, the list again as it was filtered (the form carries the filters)."""
    if not filter_params:
        return back_to_tab(request, account, "accounts:interactions")
    url = _list_url(account, filter_params)
    if wants_fragment(request):
        return HttpResponseLocation(url, target="#account-tabs", swap="outerHTML")
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_create_view(request: HttpRequest, account_id: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    # Bound on every POST, even an empty one: a POST without data must show its errors.
    data = request.POST if request.method == "POST" else None
    form = InteractionForm(data, account=account, user=request.user)

    def save(data):
        interaction = services.interaction_record(account=account, by=request.user, **data)
        messages.success(request, _logged_message(interaction, data["contacts"]))

    if saved_form(request, form, save):
        return back_to_tab(request, account, "accounts:interactions")
    return _form_response(request, account, form)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit_view(
    request: HttpRequest, account_id: int, interaction_id: int
) -> HttpResponse:
    """The log form filled with the interaction; saving returns to the list as it was
    filtered when Edit was clicked (the form carries the filters along)."""
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    interaction = interaction_get(account=account, interaction_id=interaction_id)
    # As saved: the heading keeps it while the form shows what was typed.
    editing = (
        f"Edit the {interaction.get_kind_display().lower()} of "
        f"{date_format(interaction.date, 'j M Y')}"
    )
    data = request.POST if request.method == "POST" else None
    form = InteractionForm(data, account=account, user=request.user, interaction=interaction)
    # The list's filters ride in the query string, of the Edit link and then of the form.
    filter_params = _filter_params(request.GET)

    def save(data):
        services.interaction_update(interaction=interaction, by=request.user, **data)
        messages.success(request, f"{_label(interaction)} saved.")

    if saved_form(request, form, save):
        return _back_to_list(request, account, filter_params)
    return _form_response(
        request,
        account,
        form,
        interaction=interaction,
        editing=editing,
        filter_params=filter_params,
    )


@login_required
@require_POST
def interaction_delete_view(
    request: HttpRequest, account_id: int, interaction_id: int
) -> HttpResponse:
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    interaction = interaction_get(account=account, interaction_id=interaction_id)
    label = _label(interaction)
    services.interaction_delete(interaction=interaction, by=request.user)
    messages.success(request, f"{label} deleted.")
    # Back to the list as it was filtered: the delete form carries the filters along.
    return _back_to_list(request, account, _filter_params(request.POST))
