"""The plan page, and its overview and financials cards edited in place."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from ... import services
from ...forms import PLAN_FORMS, plan_initial
from ...selectors import plan_alignment, plan_get_for_user
from ..lifecycle import plan_side_context
from .common import SECTIONS, _after_write, _base_context, _respond
from .saving import _saved
from .sections import _financials, _goals, _knowledge_groups, _swot_quadrants


@login_required
@require_GET
def plan_detail_view(request, plan_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    context = _base_context(request, plan)
    alignment = plan_alignment(plan=plan)
    side = plan_side_context(request, plan)
    counts = side.get("comments_by_section") or {}
    context.update(
        {
            # The section keys are PlanComment.Section's: unresolved comments per card.
            "page_sections": [
                {"id": key, "label": label, "comments": counts.get(key, 0)}
                for key, label in SECTIONS
            ],
            "knowledge_groups": _knowledge_groups(plan),
            "financials": _financials(plan),
            "swot_quadrants": _swot_quadrants(plan),
            "goals": _goals(plan),
            "alignment": alignment,
            "alignment_covers": any(row["units"] or row["decision_makers"] for row in alignment),
            **side,
        }
    )
    response = TemplateResponse(request, "plans/plan.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Overview and financials ----------------------------------------------------------------


def _fields_response(request, plan, section, *, form=None, conflict=None, status=200):
    context = _base_context(request, plan)
    if form is None:
        template = f"plans/_page_{section}.html"
        if section == "financials":
            context["financials"] = _financials(plan)
    else:
        template = "plans/_page_fields_form.html"
        context.update({"form": form, "conflict": conflict, "section": section})
    context["section_title"] = dict(SECTIONS)[section]
    return _respond(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_fields_view(request, plan_id: int, section: str):
    if section not in PLAN_FORMS:
        raise Http404("No such section.")
    form_class = PLAN_FORMS[section]
    if request.method == "GET" and request.GET.get("cancel"):
        return _fields_response(
            request, plan_get_for_user(user=request.user, plan_id=plan_id), section
        )
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, write=True)
    if request.method == "GET":
        form = form_class(initial={**plan_initial(plan, section), "version": plan.version})
        return _fields_response(request, plan, section, form=form)

    status, form, conflict = _saved(
        request,
        form_class,
        lambda data, version: services.plan_update(
            plan=plan, by=request.user, version=version, **data
        ),
    )
    if status != 200:
        return _fields_response(request, plan, section, form=form, conflict=conflict, status=status)
    return _after_write(request, plan, section, lambda: _fields_response(request, plan, section))
