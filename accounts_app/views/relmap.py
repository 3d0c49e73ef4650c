"""The Map tab: the account's relationship map (accounts_app/relmap/), and the same
map downloaded as SVG or as a one-page PDF. Everyone who may see the account may view
it; when Graphviz cannot draw it, the tab says so and the downloads answer 503. The
downloads count against the person's render limit (core/throttles.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from core.pdf import render_pdf
from core.throttles import limit_renders

from ..relmap import (
    PAGE_MAP_BOX,
    RelationshipMapUnavailable,
    fit_scale,
    map_legend,
    relationship_map,
)
from ..selectors import account_get_for_user
from .common import render_account_page

UNAVAILABLE = (
    "The relationship map cannot be drawn right now: {reason} "
    "Ask an administrator to check that Graphviz is installed (apt-get install graphviz)."
)


def _filename(account, extension: str) -> str:
    return f"{slugify(account.name) or 'account'}-relationship-map.{extension}"


def _unavailable(exc: RelationshipMapUnavailable) -> HttpResponse:
    response = HttpResponse(
        UNAVAILABLE.format(reason=exc), status=503, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = "300"
    return response


@login_required
@require_GET
def relationship_map_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    context = {"legend": map_legend(), "relmap": None, "relmap_error": None}
    try:
        context["relmap"] = relationship_map(account, draw_empty=False)
    except RelationshipMapUnavailable as exc:
        context["relmap_error"] = UNAVAILABLE.format(reason=exc)
    return render_account_page(
        request,
        account=account,
        tab="map",
        panel="accounts/_relationship_map.html",
        context=context,
    )


@login_required
@require_GET
@limit_renders
def relationship_map_svg_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    try:
        svg = relationship_map(account).svg
    except RelationshipMapUnavailable as exc:
        return _unavailable(exc)
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(account, "svg")}"'
    return response


@login_required
@require_GET
@limit_renders
def relationship_map_pdf_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    try:
        relmap = relationship_map(account, for_page=True)
    except RelationshipMapUnavailable as exc:
        return _unavailable(exc)
    width, height = relmap.size_pt
    scale = fit_scale(relmap.svg, PAGE_MAP_BOX)
    pdf = render_pdf(
        "accounts/pdf/relationship_map.html",
        {
            "account": account,
            "relmap": relmap,
            "map_width_pt": f"{width * scale:.1f}",
            "map_height_pt": f"{height * scale:.1f}",
            "map_scale_pct": round(scale * 100),
            "legend": map_legend(),
            "generated_at": timezone.now(),
            "generated_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(account, "pdf")}"'
    return response
