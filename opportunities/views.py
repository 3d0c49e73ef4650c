"""Opportunity pages: the account's pipeline tab, the portfolio pipeline sorted by ROE,
the opportunity page with its qualification questions (answers update the score and
verdict in place)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from accounts_app.models import Account
from accounts_app.selectors import account_get_for_user, can_edit_account
from accounts_app.views.common import paginate, render_account_page, wants_fragment

from . import formulas, services
from .forms import OpportunityForm
from .models import Opportunity, QualificationCriterion


def _annotate(opportunities):
    for opportunity in opportunities:
        opportunity.verdict = formulas.verdict(opportunity.qualification_score)
        opportunity.stalled = services.is_stalled(opportunity)
    return opportunities


def opportunity_get_for_user(*, user, opportunity_id) -> Opportunity:
    try:
        return Opportunity.objects.select_related(
            "account", "stage", "owner", "product_line", "business_unit"
        ).get(pk=opportunity_id, account__in=Account.objects.visible_to(user))
    except (Opportunity.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such opportunity.") from exc


@login_required
def portfolio_view(request):
    """Every opportunity of the accounts the user sees, best return on effort first."""
    services.ensure_defaults()
    rows = (
        Opportunity.objects.filter(account__in=Account.objects.visible_to(request.user))
        .select_related("account", "stage", "owner")
        .order_by(F("roe").desc(nulls_last=True), "-weighted_value", "id")
    )
    stage = request.GET.get("stage", "")
    if stage.isdigit() and len(stage) < 19:
        rows = rows.filter(stage_id=int(stage))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    _annotate(page.object_list)
    context = {
        "nav_active": "opportunities",
        "page": page,
        "stages": services.Stage.objects.order_by("position"),
        "stage": stage,
        "query_string": f"stage={stage}" if stage else "",
    }
    template = (
        "opportunities/portfolio.html#results"
        if wants_fragment(request)
        else "opportunities/portfolio.html"
    )
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_opportunities_view(request, account_id: int):
    """The account's Opportunities tab: its pipeline and a form to add one."""
    services.ensure_defaults()
    account = account_get_for_user(user=request.user, account_id=account_id)
    can_edit = can_edit_account(user=request.user, account=account)
    initial = {
        key: request.GET[key]
        for key in ("product_line", "business_unit", "name")
        if request.GET.get(key, "").isdigit() or key == "name" and request.GET.get(key)
    }
    form = OpportunityForm(request.POST or None, account=account, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the account team adds opportunities.")
        if form.is_valid():
            try:
                opportunity = services.opportunity_create(
                    account=account, by=request.user, **form.data_for_service()
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Opportunity “{opportunity.name}” added.")
                return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    rows = account.opportunities.select_related("stage", "owner").order_by(
        "stage__position", "-weighted_value", "id"
    )
    page = paginate(request, rows, per_page=25)
    _annotate(page.object_list)
    return render_account_page(
        request,
        account=account,
        tab="opportunities",
        panel="opportunities/_account_tab.html",
        context={
            "page": page,
            "form": form,
            "can_edit_opportunities": can_edit,
            "open_form": request.method == "POST" or bool(initial),
        },
    )


def _detail_context(request, opportunity):
    criteria = list(QualificationCriterion.objects.filter(active=True).order_by("position", "id"))
    answers = dict(opportunity.answers.values_list("criterion_id", "answer"))
    for criterion in criteria:
        criterion.current = answers.get(criterion.pk)
    score = opportunity.qualification_score
    return {
        "nav_active": "opportunities",
        "opportunity": opportunity,
        "account": opportunity.account,
        "criteria": criteria,
        "score": score,
        "verdict": formulas.verdict(score),
        "roi_pct": formulas.customer_roi_pct(
            opportunity.customer_annual_benefit,
            opportunity.horizon_years,
            opportunity.customer_investment,
        ),
        "payback": formulas.payback_months(
            opportunity.customer_annual_benefit, opportunity.customer_investment
        ),
        "stalled": services.is_stalled(opportunity),
        "can_edit": can_edit_account(user=request.user, account=opportunity.account),
        "stage_history": opportunity.stage_history.select_related("from_stage", "to_stage", "by")[
            :20
        ],
        "score_history": opportunity.score_history.select_related("by")[:20],
    }


@login_required
def opportunity_detail_view(request, opportunity_id: int):
    opportunity = opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    return TemplateResponse(
        request, "opportunities/detail.html", _detail_context(request, opportunity)
    )


@login_required
@require_POST
def qualification_view(request, opportunity_id: int):
    """Save one or more answers (answer_<criterion id> = 0, 1 or 2); htmx gets the score
    panel back, a plain POST a redirect."""
    opportunity = opportunity_get_for_user(user=request.user, opportunity_id=opportunity_id)
    if not can_edit_account(user=request.user, account=opportunity.account):
        raise PermissionDenied("Only the account team qualifies its opportunities.")
    answers = {}
    for key, value in request.POST.items():
        if key.startswith("answer_"):
            answers[key.removeprefix("answer_")] = int(value) if value in ("0", "1", "2") else value
    error = None
    try:
        services.qualification_set(opportunity=opportunity, by=request.user, answers=answers)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if wants_fragment(request):
        context = _detail_context(request, opportunity)
        context["qualification_error"] = error
        return TemplateResponse(
            request,
            "opportunities/detail.html#qualification",
            context,
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("opportunities:detail", opportunity_id=opportunity.pk)
