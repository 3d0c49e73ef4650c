"""The account's whitespace matrix: our product lines × the customer's business units,
each cell sold, open, not applicable or whitespace, with totals; the team records what
is sold and what does not apply, and starts an opportunity from a whitespace cell."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from accounts_app.selectors import account_get_for_user, business_unit_get, can_edit_account
from accounts_app.views.common import back_to_tab, render_account_page
from core.http import wants_fragment

from .. import formulas, selectors, services
from ..forms import WhitespaceCellForm


@login_required
def whitespace_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    return render_account_page(
        request,
        account=account,
        tab="whitespace",
        panel="opportunities/_whitespace.html",
        context={"matrix": selectors.whitespace_matrix(account=account)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def whitespace_cell_view(request, account_id: int, product_line_id: int, business_unit_id: int):
    """A cell's editor (htmx: in place of the cell; else a page of its own); saving
    brings the whole matrix back, since its totals change too."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    unit = business_unit_get(account=account, business_unit_id=business_unit_id)
    line = selectors.product_line_get(product_line_id=product_line_id)
    if not can_edit_account(user=request.user, account=account):
        raise PermissionDenied("Only the account team changes the whitespace matrix.")
    matrix = selectors.whitespace_matrix(account=account)
    cell = matrix.cell(line.pk, unit.pk)
    if cell is None:  # an inactive line the account has nothing on
        raise Http404("No such cell.")
    recorded = cell.state if cell.state in formulas.RECORDED_STATES else formulas.WHITESPACE
    form = WhitespaceCellForm(
        request.POST or None, initial={"state": recorded, "revenue": cell.revenue}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.whitespace_cell_set(
                account=account,
                product_line=line,
                business_unit=unit,
                state=form.cleaned_data["state"],
                revenue=form.cleaned_data["revenue"],
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return back_to_tab(request, account, "opportunities:whitespace")
    context = {"account": account, "cell": cell, "form": form}
    if wants_fragment(request):
        # Errors answer 200, as every form does, so that htmx swaps them in.
        return TemplateResponse(request, "opportunities/_whitespace_cell_form.html", context)
    return render_account_page(
        request,
        account=account,
        tab="whitespace",
        panel="opportunities/_whitespace_cell_page.html",
        context=context,
    )
