"""The account page's Risks tab: the 5 × 5 heat map of the live risks, the register
(highest score first; closed ones on request), and adding or changing a risk in place —
a refused save answers 422 with the form as typed (core.http.REFUSED)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_http_methods

from accounts_app.selectors import account_get_for_user
from accounts_app.views.common import back_to_tab, render_account_page, section_form_response
from core.http import saved_form

from .. import services
from ..forms import RiskForm
from ..models import Risk
from ..risk_register import HIGH_SCORE, band, heat_map

FORM_ID = "risk-form"
SHOWN = {"live": "Open and mitigating", "closed": "Closed", "all": "All"}


@login_required
def risk_list_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    return _tab(request, account, form=None)


def _tab(request, account, *, form, risk=None, status=200):
    shown = request.GET.get("show") if request.GET.get("show") in SHOWN else "live"
    risks = Risk.objects.filter(account=account).select_related("owner")
    live = [r for r in risks if r.status in Risk.LIVE]
    listed = {
        "live": live,
        "closed": [r for r in risks if r.status == Risk.Status.CLOSED],
        "all": list(risks),
    }[shown]
    for r in listed:
        r.band = band(r.score)
    context = {
        "risks": listed,
        "shown": shown,
        "shown_label": SHOWN[shown],
        "shown_options": SHOWN,
        "live_count": len(live),
        "closed_count": len(risks) - len(live),
        "heat_map": heat_map((r.likelihood, r.impact) for r in live),
        "high_score": HIGH_SCORE,
        "form": form,
        "risk": risk,
        "form_id": FORM_ID,
    }
    return render_account_page(
        request,
        account=account,
        tab="risks",
        panel="plans/_risks_tab.html",
        context=context,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_create_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    form = RiskForm(request.POST or None, account=account)
    save = lambda data: services.risk_create(account=account, by=request.user, **data)  # noqa: E731
    if saved_form(request, form, save):
        messages.success(request, f"Risk “{form.cleaned_data['title']}” added to the register.")
        return back_to_tab(request, account, "account_risks")
    return _form_response(request, account, form)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit_view(request, account_id: int, risk_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    risk = Risk.objects.filter(account=account, pk=risk_id).first()
    if risk is None:
        raise Http404("No such risk.")
    form = RiskForm(request.POST or None, instance=risk, account=account)
    save = lambda data: services.risk_update(risk=risk, by=request.user, **data)  # noqa: E731
    if saved_form(request, form, save):
        messages.success(request, f"Risk “{form.cleaned_data['title']}” saved.")
        return back_to_tab(request, account, "account_risks")
    return _form_response(request, account, form, risk=risk)


def _form_response(request, account, form, risk=None):
    return section_form_response(
        request,
        form=form,
        form_id=FORM_ID,
        fragment="plans/_risk_form.html",
        context={"account": account, "risk": risk, "high_score": HIGH_SCORE},
        whole_tab=lambda status: _tab(request, account, form=form, risk=risk, status=status),
    )
