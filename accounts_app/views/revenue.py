"""The account page's Revenue tab: the monthly revenue history as a grid (years as rows,
January to December, each year's total), the trailing-twelve-month revenue and its growth
as the recompute works them out, and entering or correcting a whole year in place — a
refused save answers 422 with every typed value kept (core.http.REFUSED)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.http import saved_form

from .. import services
from ..forms import RevenueYearForm
from ..revenue import MONTHS_SHOWN, grid, headline
from ..selectors import account_get_for_user, account_revenue_by_month
from .common import back_to_tab, render_account_page, section_form_response

FORM_ID = "revenue-form"
FIRST_YEAR = 1900  # as revenue-entries/ reads a month


@login_required
def revenue_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    return _tab(request, account, form=None)


def _tab(request, account, *, form, status=200):
    today = timezone.localdate()
    amounts = account_revenue_by_month(account=account)
    context = {
        "years": grid(amounts, today),
        "headline": headline(amounts, today),
        "has_history": bool(amounts),
        "months_shown": MONTHS_SHOWN,
        "form": form,
        "form_id": FORM_ID,
        "editing_year": form.year if form else None,
    }
    return render_account_page(
        request,
        account=account,
        tab="revenue",
        panel="accounts/_revenue_tab.html",
        context=context,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def revenue_year_view(request, account_id: int, year: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise Http404("No such year to record.")
    recorded = account_revenue_by_month(account=account, year=year)
    form = RevenueYearForm(request.POST or None, year=year, today=today, recorded=recorded)
    done = []

    def save(data):
        done.append(services.revenue_months_record(account=account, by=request.user, **data))

    if saved_form(request, form, save):
        messages.success(request, _saved_message(year, done[0]))
        return back_to_tab(request, account, "accounts:revenue")
    form.focus_first_error()
    return section_form_response(
        request,
        form=form,
        form_id=FORM_ID,
        fragment="accounts/_revenue_form.html",
        context={"account": account},
        whole_tab=lambda status: _tab(request, account, form=form, status=status),
    )


def _saved_message(year: int, recorded) -> str:
    parts = []
    if recorded.created:
        parts.append(f"{recorded.created} month{'s' if recorded.created != 1 else ''} recorded")
    if recorded.corrected:
        parts.append(
            f"{recorded.corrected} month{'s' if recorded.corrected != 1 else ''} corrected"
        )
    if not parts:
        return f"Revenue {year}: nothing changed."
    return f"Revenue {year} saved: {' and '.join(parts)}."
