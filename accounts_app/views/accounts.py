"""Accounts: the list, the Overview tab, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from core.charts import trend_svg
from core.http import paginate, wants_fragment

from .. import services
from ..filters import AccountFilter
from ..forms import AccountForm
from ..models import Account
from ..selectors import (
    account_business_units,
    account_get_for_user,
    account_latest_snapshot,
    account_list,
    account_rpi,
    account_rpi_target,
    account_rpi_trend,
    can_create_account,
    mark_servicing_gaps,
    mark_visible_parents,
)
from .common import render_account_page

SORTABLE_COLUMNS = (
    ("name", "Account"),
    ("tier", "Tier"),
    ("score", "Score"),
    ("industry", "Industry"),
    ("region", "Region"),
    ("stage", "Stage"),
    ("owner", "Owner"),
    ("revenue", "Revenue (12\u00a0mo)"),
    ("rpi", "RPI"),
)


@login_required
def account_list_view(request):
    # Always bound: an unbound filterset is never valid, which would empty the plain list.
    filterset = AccountFilter(
        request.GET, queryset=account_list(user=request.user), request=request
    )
    queryset = filterset.qs if filterset.is_valid() else account_list(user=request.user).none()
    page = paginate(request, queryset, per_page=25)
    page.object_list = list(page.object_list)  # the template iterates these same objects
    mark_visible_parents(user=request.user, accounts=page.object_list)
    mark_servicing_gaps(accounts=page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    context = {
        "filter": filterset,
        "page": page,
        "columns": SORTABLE_COLUMNS,
        "current_sort": request.GET.get("sort", "name"),
        "query_string": params.urlencode(),
        "sort_query_string": sort_params.urlencode(),
        "can_create": can_create_account(user=request.user),
        "is_filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
    }
    template = "accounts/list.html#results" if wants_fragment(request) else "accounts/list.html"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def account_detail_view(request, account_id: int):
    from plans.reviews import reviews_due

    account = account_get_for_user(user=request.user, account_id=account_id)
    context = {
        "snapshot": account_latest_snapshot(account=account),
        "business_units": account_business_units(account=account),
        # Not `account.children`: the related manager would set each child's parent and,
        # with parent_id deferred, reload it row by row.
        "children": Account.objects.visible_to(request.user)
        .filter(parent=account)
        .only("id", "name"),
        "recent_interactions": account.interactions.prefetch_related("contacts", "team_users")[:5],
        "reviews_due": [d for d in reviews_due(account=account) if d.due],
        **_rpi_context(account),
    }
    return render_account_page(
        request, account=account, tab="overview", panel="accounts/_overview.html", context=context
    )


def _rpi_context(account: Account) -> dict:
    """The RPI now (from the data as it is), its target and its trend (from snapshots)."""
    report = account_rpi(account=account)
    target = account_rpi_target(account=account)
    trend = account_rpi_trend(account=account)
    return {
        "rpi": report,
        "rpi_target": target,
        "rpi_below_target": target is not None and report.rpi < target,
        "rpi_trend_svg": trend_svg(trend, target=target) if len(trend) > 1 else None,
        "rpi_trend_points": len(trend),
    }


def _account_form_page(request, *, form, account=None):
    return TemplateResponse(
        request, "accounts/account_form.html", {"form": form, "account": account}
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create_view(request):
    if not can_create_account(user=request.user):
        raise PermissionDenied("Executives read accounts; they do not create them.")
    parents = Account.objects.visible_to(request.user)
    form = AccountForm(request.POST or None, parent_choices=parents)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Account “{account.name}” created. You are its owner.")
            return redirect(account)
    return _account_form_page(request, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    parents = Account.objects.visible_to(request.user)
    form = AccountForm(request.POST or None, instance=account, parent_choices=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Account saved.")
            return redirect(account)
    return _account_form_page(request, form=form, account=account)
