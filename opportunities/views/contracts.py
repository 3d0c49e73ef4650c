"""The account page's Contracts tab: each contract's term, value and notice deadline, its
renewal opportunity once Strata has opened it, and adding or changing one in place — a
refused save answers 422 with the form as typed (core.http.REFUSED)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts_app.selectors import account_get_for_user
from accounts_app.views.common import back_to_tab, render_account_page, section_form_response
from core.http import saved_form

from .. import contracts
from ..forms import ContractForm
from ..models import Contract

FORM_ID = "contract-form"


@login_required
def contract_list_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    return _tab(request, account, form=None)


def _tab(request, account, *, form, contract=None, status=200):
    today = timezone.localdate()
    rows = list(
        Contract.objects.filter(account=account).select_related("renewal_opportunity__stage")
    )
    lead = timedelta(days=settings.STRATA_RENEWAL_LEAD_DAYS)
    for row in rows:
        row.days_to_notice = (row.notice_by - today).days
        row.days_to_end = (row.end_date - today).days
        row.renewal_opens = row.end_date - lead
    active = [r for r in rows if r.status == Contract.Status.ACTIVE]
    others = [r for r in rows if r.status != Contract.Status.ACTIVE]
    context = {
        "active": active,
        "others": others,
        "contract_groups": [(active, "Active"), (others, "Renewed, ended or cancelled")],
        "lead_days": settings.STRATA_RENEWAL_LEAD_DAYS,
        "active_value": sum(r.annual_value for r in active),
        "form": form,
        "contract": contract,
        "form_id": FORM_ID,
    }
    return render_account_page(
        request,
        account=account,
        tab="contracts",
        panel="opportunities/_contracts_tab.html",
        context=context,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_create_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    form = ContractForm(request.POST or None)
    save = lambda data: contracts.contract_create(account=account, by=request.user, **data)  # noqa: E731
    if saved_form(request, form, save):
        messages.success(request, f"Contract “{form.cleaned_data['name']}” added.")
        return back_to_tab(request, account, "opportunities:contracts")
    return _form_response(request, account, form)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit_view(request, account_id: int, contract_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    contract = Contract.objects.filter(account=account, pk=contract_id).first()
    if contract is None:
        raise Http404("No such contract.")
    form = ContractForm(request.POST or None, instance=contract)
    save = lambda data: contracts.contract_update(contract=contract, by=request.user, **data)  # noqa: E731
    if saved_form(request, form, save):
        messages.success(request, f"Contract “{form.cleaned_data['name']}” saved.")
        return back_to_tab(request, account, "opportunities:contracts")
    return _form_response(request, account, form, contract=contract)


def _form_response(request, account, form, contract=None):
    return section_form_response(
        request,
        form=form,
        form_id=FORM_ID,
        fragment="opportunities/_contract_form.html",
        context={
            "account": account,
            "contract": contract,
            "lead_days": settings.STRATA_RENEWAL_LEAD_DAYS,
        },
        whole_tab=lambda status: _tab(
            request, account, form=form, contract=contract, status=status
        ),
    )
