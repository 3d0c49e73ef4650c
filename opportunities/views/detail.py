"""One opportunity: adding it (from the account or a whitespace cell, prefilled), its
page with the qualification questions (answers update the score and verdict in place)
and its value, editing and deleting it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts_app.selectors import account_get_for_user, can_edit_account
from accounts_app.views.common import render_account_page
from core.http import REFUSED, deleted_with_undo, saved_form, wants_fragment

from .. import formulas, selectors, services
from ..forms import OpportunityForm

PREFILL = ("product_line", "business_unit", "stage")


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create_view(request, account_id: int):
    """The form for a new opportunity of the account, prefilled from the query string
    (a whitespace cell passes its product line and business unit)."""
    services.ensure_defaults()
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    initial = {
        key: request.GET[key]
        for key in PREFILL
        if request.GET.get(key, "").isdigit() and len(request.GET[key]) < 19
    }
    if selectors.on_account_team(user=request.user, account=account):
        initial["owner"] = request.user.pk
    if "name" in request.GET:
        initial["name"] = request.GET["name"][:200]
    if "product_line" in initial and "name" not in initial:
        line = selectors.product_line_find(product_line_id=initial["product_line"])
        if line:
            initial["name"] = f"{line.name} for {account.name}"[:200]
    form = OpportunityForm(request.POST or None, account=account, initial=initial)
    created = []
    if saved_form(
        request,
        form,
        lambda data: created.append(
            services.opportunity_create(account=account, by=request.user, **data)
        ),
    ):
        messages.success(request, f"Opportunity “{created[0].name}” added.")
        return redirect("opportunities:detail", opportunity_id=created[0].pk)
    return render_account_page(
        request,
        account=account,
        tab="opportunities",
        panel="opportunities/_create.html",
        context={"form": form, "stages": selectors.stages()},
    )


def _detail_context(request, opportunity):
    criteria = selectors.qualification_questions(opportunity=opportunity)
    score = opportunity.qualification_score
    return {
        "nav_active": "opportunities",
        "opportunity": opportunity,
        "account": opportunity.account,
        "criteria": criteria,
        "answered": sum(1 for c in criteria if c.current is not None),
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
        "stalled": selectors.is_stalled(opportunity),
        "can_edit": can_edit_account(user=request.user, account=opportunity.account),
        "stages": selectors.stages(),
        "stage_history": selectors.stage_history(opportunity=opportunity),
        "score_history": selectors.score_history(opportunity=opportunity),
    }


@login_required
def opportunity_detail_view(request, opportunity_id: int):
    opportunity = selectors.opportunity_get_for_user(
        user=request.user, opportunity_id=opportunity_id
    )
    return TemplateResponse(
        request, "opportunities/detail.html", _detail_context(request, opportunity)
    )


def _editable(request, opportunity_id: int):
    opportunity = selectors.opportunity_get_for_user(
        user=request.user, opportunity_id=opportunity_id
    )
    if not can_edit_account(user=request.user, account=opportunity.account):
        raise PermissionDenied("Only the account team changes its opportunities.")
    return opportunity


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit_view(request, opportunity_id: int):
    opportunity = _editable(request, opportunity_id)
    form = OpportunityForm(request.POST or None, account=opportunity.account, instance=opportunity)
    form.fields["stage"].required = True
    if saved_form(
        request,
        form,
        lambda data: services.opportunity_update(opportunity=opportunity, by=request.user, **data),
    ):
        messages.success(request, f"Opportunity “{opportunity.name}” saved.")
        return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    if request.method == "POST":
        opportunity.refresh_from_db()  # the heading shows what is saved, not what was typed
    return TemplateResponse(
        request,
        "opportunities/edit.html",
        {
            "nav_active": "opportunities",
            "opportunity": opportunity,
            "account": opportunity.account,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_delete_view(request, opportunity_id: int):
    """Ask, then archive (DESIGN §11): its answers and histories are kept."""
    opportunity = _editable(request, opportunity_id)
    if request.method == "POST":
        services.opportunity_archive(opportunity=opportunity, by=request.user)
        deleted_with_undo(
            request,
            f"Opportunity “{opportunity.name}” archived; its answers and history are kept.",
            reverse("opportunities:restore", args=[opportunity.pk]),
        )
        return redirect("opportunities:account", account_id=opportunity.account_id)
    return TemplateResponse(
        request,
        "opportunities/delete.html",
        {
            "nav_active": "opportunities",
            "opportunity": opportunity,
            "account": opportunity.account,
            "answers": selectors.answer_count(opportunity=opportunity),
        },
    )


@login_required
@require_POST
def opportunity_restore_view(request, opportunity_id: int):
    """Back in the pipeline, with its answers and histories as they were."""
    opportunity = _editable(request, opportunity_id)
    services.opportunity_restore(opportunity=opportunity, by=request.user)
    messages.success(request, f"Opportunity “{opportunity.name}” is back in the pipeline.")
    return redirect("opportunities:detail", opportunity_id=opportunity.pk)


@login_required
@require_POST
def qualification_view(request, opportunity_id: int):
    """Save one or more answers (answer_<criterion id> = 0, 1 or 2); htmx gets the score
    panel back, a plain POST a redirect."""
    opportunity = _editable(request, opportunity_id)
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
            status=REFUSED if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("opportunities:detail", opportunity_id=opportunity.pk)
