"""The account page's Tier tab: tier, score breakdown, servicing model, history, and
the override (pin a tier with a reason; remove the pin). Whether the account meets
its servicing model comes from insights (its template tag `servicing`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.views.decorators.http import require_POST

from accounts_app.selectors import account_get_for_user
from accounts_app.views.common import back_to_tab, render_account_page
from core.http import paginate

from .. import services
from ..forms import OverrideForm
from ..selectors import (
    account_tier_assignment,
    account_tier_history,
    can_override_tier,
    score_breakdown,
)


def _tier_tab(request, account, *, form=None, status=200):
    assignment = account_tier_assignment(account=account)
    may_override = can_override_tier(user=request.user, account=account)
    if may_override and form is None:
        form = OverrideForm(initial={"tier": assignment.tier if assignment else None})
    context = {
        "assignment": assignment,
        "breakdown": score_breakdown(assignment=assignment),
        "history": paginate(request, account_tier_history(account=account), per_page=20),
        "may_override": may_override,
        "override_form": form,
    }
    return render_account_page(
        request,
        account=account,
        tab="tier",
        panel="segmentation/_account_tier.html",
        context=context,
        status=status,
    )


@login_required
def account_tier_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    return _tier_tab(request, account)


@login_required
@require_POST
def tier_override_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    if not can_override_tier(user=request.user, account=account):
        raise PermissionDenied("Only the account's managers and admins override its tier.")
    if request.POST.get("action") == "unpin":
        services.tier_unpin(account=account, by=request.user)
        messages.success(
            request, "Override removed: the next run places the account by its scores."
        )
        return back_to_tab(request, account, "segmentation:account_tier")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.tier_pin(
                account=account,
                tier=form.cleaned_data["tier"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(request, f"Tier set to “{form.cleaned_data['tier']}” by override.")
            return back_to_tab(request, account, "segmentation:account_tier")
    return _tier_tab(request, account, form=form)
