"""The accounts list (tier, servicing gaps, RPI and its change) and an account's
Overview tab: pages that read every app, so they live above them all."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers

from accounts_app.models import Account
from accounts_app.selectors import (
    account_business_units,
    account_get_for_user,
    account_latest_snapshot,
    account_rpi,
    account_rpi_trend,
    can_create_account,
    mark_visible_parents,
)
from accounts_app.views.common import render_account_page
from core.charts import trend_svg
from core.http import paginate, wants_fragment
from plans.reviews import reviews_due
from segmentation.filters import TieredAccountFilter

from ..selectors import portfolio_account_list, visible_children
from ..servicing import account_servicing, mark_servicing

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
    filterset = TieredAccountFilter(
        request.GET, queryset=portfolio_account_list(user=request.user), request=request
    )
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, queryset, per_page=25)
    page.object_list = list(page.object_list)  # the template iterates these same objects
    mark_visible_parents(user=request.user, accounts=page.object_list)
    mark_servicing(accounts=page.object_list)
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
    """The Overview tab: key facts (tier and servicing verdict, plan, reviews due,
    financials), coverage, recent interactions, the RPI with its target and trend."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    servicing = account_servicing(account=account)
    context = {
        "snapshot": account_latest_snapshot(account=account),
        "business_units": account_business_units(account=account),
        # Listed under "Show archived (N)", each with Restore.
        "archived_business_units": account_business_units(account=account, archived=True),
        "children": visible_children(user=request.user, account=account),
        "recent_interactions": account.interactions.prefetch_related("contacts", "team_users")[:5],
        "reviews_due": [d for d in reviews_due(account=account) if d.due],
        "servicing": servicing,
        **_rpi_context(account, target=servicing.tier.rpi_target if servicing.tier else None),
    }
    return render_account_page(
        request, account=account, tab="overview", panel="accounts/_overview.html", context=context
    )


def _rpi_context(account: Account, *, target: int | None) -> dict:
    """The RPI now (from the data as it is), its target and its trend (from the history)."""
    report = account_rpi(account=account)
    trend = account_rpi_trend(account=account)
    return {
        "rpi": report,
        "rpi_target": target,
        "rpi_below_target": target is not None and report.rpi < target,
        "rpi_trend_svg": trend_svg(trend, target=target) if len(trend) > 1 else None,
        "rpi_trend_points": len(trend),
    }
