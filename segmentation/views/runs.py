"""Segmentation runs (admins only): start a dry run or an applied run, watch its
progress, read the changes it lists and apply a dry run's changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from core.http import wants_fragment

from .. import scoring, selectors, services
from ..models import SegmentationRun
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
    runs = Paginator(selectors.segmentation_runs(), 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "segmentation/runs.html", {"nav_active": "segmentation", "page": runs}
    )


@admin_required
def run_detail_view(request, run_id: int):
    run = selectors.segmentation_run_get(run_id=run_id)
    show = request.GET.get("show", "all")
    if show not in dict(SHOW):
        show = "all"
    changes = [c for c in run.changes if scoring.change_shown(c, show)]
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    names = selectors.account_names(account_ids=[c["account"] for c in page.object_list])
    rows = [{**c, "name": names.get(c["account"])} for c in page.object_list]
    context = {
        "nav_active": "segmentation",
        "run": run,
        "finished": run.status in (SegmentationRun.Status.DONE, SegmentationRun.Status.FAILED),
        "percent": round(100 * run.processed / run.total) if run.total else 0,
        "page": page,
        "rows": rows,
        "criteria": scoring.CRITERIA,
        "show": show,
        "show_choices": SHOW,
        "query_string": f"show={show}",
        "transitions": scoring.tier_transitions(run.changes),
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
