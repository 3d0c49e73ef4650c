"""The pipeline, as a list or a board of stages: across the accounts the user sees (the
portfolio, best return on effort first) and on each account's Opportunities tab; and
moving an opportunity to another stage from the board or its page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from accounts_app.selectors import (
    account_archived_count,
    account_get_for_user,
    can_edit_account,
)
from accounts_app.views.common import render_account_page
from core.http import REFUSED, wants_fragment

from .. import selectors, services
from ..filters import OpportunityFilter
from ..forms import StageMoveForm
from ..models import Opportunity

PER_PAGE = 25
SORT_CHOICES = (
    ("-roe", "Return on effort, best first"),
    ("-weighted_value", "Weighted value, largest first"),
    ("-value", "Value, largest first"),
    ("close_date", "Close date, soonest first"),
    ("-qualification_score", "Qualification, best first"),
    ("stage", "Stage"),
    ("name", "Name"),
    ("-updated", "Recently changed"),
)
DEFAULT_SORT = "-roe"
RESULTS_ID = "pipeline-results"


def _pipeline_context(
    request, *, queryset, url: str, show_account: bool, account_id: int | None = None
) -> dict:
    """Filters, summary and the list page or the board of `queryset` as the query string
    asks; the same for the portfolio and an account's tab (`account_id`)."""
    params = request.GET.copy()
    if params.get("sort") not in {key for key, _ in SORT_CHOICES}:
        params["sort"] = DEFAULT_SORT
    if "status" not in params:
        params["status"] = "open"  # what is still to win; "Any status" sends status=
    view = "board" if params.get("view") == "board" else "list"
    params["view"] = view
    filterset = OpportunityFilter(params, queryset=queryset, request=request)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else queryset.none()
    summary = selectors.pipeline_summary(queryset=rows)
    context = {
        "filter": filterset,
        "filter_errors": None if valid else filterset.errors,
        "summary": summary,
        "view": view,
        "sort": params["sort"],
        "sort_choices": SORT_CHOICES,
        "stages": selectors.stages(),
        "pipeline_url": url,
        "show_account": show_account,
        "is_filtered": any(
            value
            for key, value in request.GET.items()
            if key not in ("page", "sort", "view") and (key, value) != ("status", "open")
        ),
    }
    if view == "board":
        # Only the stages the status filter leaves (every stage, empty, for bad filters).
        outcome = params["status"] if valid else None
        context["columns"] = selectors.board_columns(queryset=rows, outcome=outcome)
        cards = [card for column in context["columns"] for card in column.cards]
        context["editable"] = selectors.editable_account_ids(
            user=request.user, account_ids={card.account_id for card in cards}
        )
        context["board_rows"] = cards
    else:
        paginator = Paginator(selectors.pipeline_rows(queryset=rows), PER_PAGE)
        paginator.count = summary["count"]  # counted with the summary already
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = selectors.mark_rows(page.object_list)
        context["page"] = page
    params.pop("page", None)
    context["query_string"] = params.urlencode()
    without_view = params.copy()
    without_view.pop("view", None)
    context["query_string_without_view"] = without_view.urlencode()
    # The Export links: the API's export of the pipeline, which reads the same filterset
    # (OpportunityFilter) over the same scope, with the filters and sort as shown here.
    if account_id is not None:
        without_view["account"] = account_id
    context["export_query"] = without_view.urlencode()
    return context


def _wants_results(request) -> bool:
    return wants_fragment(request) and request.htmx.target == RESULTS_ID


@login_required
def portfolio_view(request):
    """Every opportunity of the accounts the user sees, best return on effort first."""
    services.ensure_defaults()
    queryset = selectors.opportunity_list(user=request.user)
    context = _pipeline_context(request, queryset=queryset, url=request.path, show_account=True) | {
        "nav_active": "opportunities",
        "owners": selectors.owner_choices(queryset=queryset),
    }
    template = "opportunities/portfolio.html"
    if _wants_results(request):
        template = "opportunities/_pipeline.html#results"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
def account_opportunities_view(request, account_id: int):
    """The account's Opportunities tab: its pipeline, as a list or a board."""
    services.ensure_defaults()
    account = account_get_for_user(user=request.user, account_id=account_id)
    queryset = selectors.account_opportunities(account=account)
    context = _pipeline_context(
        request, queryset=queryset, url=request.path, show_account=False, account_id=account.pk
    ) | {
        "owners": selectors.owner_choices(queryset=queryset),
        "can_edit_opportunities": can_edit_account(user=request.user, account=account),
        "archived_count": account_archived_count(account=account, model=Opportunity),
        "showing_archived": request.GET.get("archived", "").lower() in ("true", "1"),
    }
    if _wants_results(request):
        context["account"] = account
        response = TemplateResponse(request, "opportunities/_pipeline.html#results", context)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
    return render_account_page(
        request,
        account=account,
        tab="opportunities",
        panel="opportunities/_account_tab.html",
        context=context,
    )


@login_required
@require_POST
def stage_move_view(request, opportunity_id: int):
    """Move an opportunity to another stage (the board's cards, the opportunity page).
    htmx gets no content and an event that refreshes the pipeline; a refusal comes back
    as a message, and nothing moves."""
    opportunity = selectors.opportunity_get_for_user(
        user=request.user, opportunity_id=opportunity_id
    )
    if not can_edit_account(user=request.user, account=opportunity.account):
        raise PermissionDenied("Only the account team moves its opportunities.")
    form = StageMoveForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.opportunity_update(
                opportunity=opportunity, by=request.user, stage=form.cleaned_data["stage"]
            )
        except ValidationError as exc:
            lost = hasattr(exc, "error_dict") and {"lost_to", "loss_reason"} & set(exc.error_dict)
            error = (
                f"To close “{opportunity.name}” as lost, edit it: say who it was lost to "
                "(or that nothing was decided) and why."
                if lost
                else " ".join(exc.messages)
            )
    else:
        error = " ".join(form.errors["stage"])
    if wants_fragment(request):
        response = HttpResponse(status=REFUSED if error else 204)
        if error:
            return trigger_client_event(response, "strata-flash", {"error": error})
        return trigger_client_event(
            response,
            "pipeline-changed",
            {"message": f"“{opportunity.name}” moved to {opportunity.stage.name}."},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{opportunity.name}” moved to {opportunity.stage.name}.")
    return redirect("opportunities:detail", opportunity_id=opportunity.pk)
