"""Business-review packs: an account's, rendered in the request and downloaded at once
(internal or customer version); the executive portfolio pack, rendered by a job whose
progress the page shows until the download is ready; and the packs generated before,
kept with who generated them and when. An account's packs follow the account's
permissions (404 for an outsider); the portfolio pack is for executives and admins.
Rendering one counts against the person's render limit (core/throttles.py); downloading
a pack generated before does not."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from accounts_app.selectors import account_get_for_user
from core.http import wants_fragment
from core.throttles import limit_renders
from plans.models import GeneratedPack

from .. import packs
from ..selectors import pack_get_for_user, pack_with_pdf, portfolio_pack_list


@login_required
@limit_renders
def account_pack_view(request, account_id: int):
    """The account's pack as a PDF: `?variant=internal` (the default) or `customer`.
    Anyone who may see the account downloads it; outsiders get 404."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    variant = request.GET.get("variant", packs.INTERNAL)
    if variant not in packs.VARIANTS:
        return HttpResponseBadRequest("variant is internal or customer.")
    return packs.pack_response(account=account, variant=variant, user=request.user)


@login_required
def pack_download_view(request, pack_id: int):
    pack = pack_get_for_user(user=request.user, pack_id=pack_id)
    if pack.status != GeneratedPack.Status.DONE:
        raise Http404("This pack is not ready.")
    return packs.download_response(pack_with_pdf(pack=pack))


def _executives_only(request) -> None:
    if not request.user.sees_every_account:
        raise Http404("No such page.")


@login_required
def portfolio_packs_view(request):
    """The executive portfolio pack: generate one, watch its progress, download it and
    the ones generated before."""
    _executives_only(request)
    page = Paginator(portfolio_pack_list(), 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "packs/portfolio_list.html",
        {
            "nav_active": "dashboards",
            "page": page,
            "accounts": packs.portfolio_account_count(),
            "limit": settings.STRATA_PORTFOLIO_PACK_ACCOUNTS,
            "running": next((p for p in page.object_list if not p.finished), None),
        },
    )


@login_required
@require_POST
@limit_renders
def portfolio_pack_start_view(request):
    _executives_only(request)
    pack = packs.portfolio_pack_start(by=request.user)
    return redirect("packs:detail", pack_id=pack.pk)


@login_required
def pack_detail_view(request, pack_id: int):
    """A pack's status: progress while it renders (the fragment polls itself), then the
    download."""
    pack = pack_get_for_user(user=request.user, pack_id=pack_id)
    template = "packs/_status.html" if wants_fragment(request) else "packs/detail.html"
    response = TemplateResponse(request, template, {"pack": pack, "nav_active": "dashboards"})
    patch_vary_headers(response, ["HX-Request"])
    return response
