"""Segmentation runs (admins only): start a dry run or an applied run, watch its
progress, read the changes it lists and apply a dry run's changes."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from accounts_app.models import Account
from core.http import wants_fragment

from .. import services
from ..models import SegmentationRun
from ..scoring import CRITERIA
from .model import admin_required

SHOW = (
    ("all", "All changes"),
    ("moves", "Tier changes"),
    ("capped", "Capped"),
    ("overridden", "Overridden"),
)


@admin_required
@require_http_methods(["GET", "POST"])
def run_list_view(request):
    if request.method == "POST":
        dry_run = request.POST.get("dry_run", "true") != "false"
        try:
            run = services.segmentation_run_start(by=request.user, dry_run=dry_run)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("segmentation:runs")
        return redirect("segmentation:run", run_id=run.pk)
    runs = Paginator(
        SegmentationRun.objects.select_related("started_by").defer("changes"), 20
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "segmentation/runs.html", {"nav_active": "segmentation", "page": runs}
    )


def _matches(change: dict, show: str) -> bool:
    if show == "moves":
        return not change["overridden"] and change["from_tier"] != change["to_tier"]
    if show == "capped":
        return change["capped"]
    if show == "overridden":
        return change["overridden"]
    return True


@admin_required
def run_detail_view(request, run_id: int):
    run = get_object_or_404(SegmentationRun.objects.select_related("started_by"), pk=run_id)
    show = request.GET.get("show", "all")
    if show not in dict(SHOW):
        show = "all"
    changes = [c for c in run.changes if _matches(c, show)]
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    names = dict(
        Account.objects.filter(pk__in=[c["account"] for c in page.object_list]).values_list(
            "pk", "name"
        )
    )
    rows = [{**c, "name": names.get(c["account"])} for c in page.object_list]
    transitions = Counter(
        (c["from_tier"] or "Not yet tiered", c["to_tier"])
        for c in run.changes
        if not c["overridden"] and c["from_tier"] != c["to_tier"]
    )
    context = {
        "nav_active": "segmentation",
        "run": run,
        "finished": run.status in (SegmentationRun.Status.DONE, SegmentationRun.Status.FAILED),
        "percent": round(100 * run.processed / run.total) if run.total else 0,
        "page": page,
        "rows": rows,
        "criteria": CRITERIA,
        "show": show,
        "show_choices": SHOW,
        "query_string": f"show={show}",
        "transitions": sorted(transitions.items(), key=lambda item: -item[1]),
        "overridden_count": sum(1 for c in run.changes if c["overridden"]),
    }
    template = (
        "segmentation/run_detail.html#runbody"
        if wants_fragment(request)
        else "segmentation/run_detail.html"
    )
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
