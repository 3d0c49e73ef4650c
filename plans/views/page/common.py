"""What the plan page's views share: the kinds of items, loading an item or parent
named in the URL, giving items their DOM ids and URLs, and answering htmx or a plain
request."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django_htmx.http import trigger_client_event

from ...models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from ...selectors import can_edit_plan, plan_item_get, plan_item_parent_get

KINDS = {
    "knowledge": KnowledgePoint,
    "swot": SwotItem,
    "goal": Goal,
    "strategy": Strategy,
    "tactic": Tactic,
}
KIND_LABELS = {
    "knowledge": "knowledge point",
    "swot": "SWOT item",
    "goal": "goal",
    "strategy": "strategy",
    "tactic": "tactic",
}
# The parent of an item, when it is not the plan.
PARENT = {"strategy": Goal, "tactic": Strategy}
# The kinds a knowledge point or SWOT item may be "added as" from its group's button.
PRESETS = {"knowledge": KnowledgePoint.Kind.values, "swot": SwotItem.Kind.values}
PRESET_LABELS = {"knowledge": KnowledgePoint.Kind.choices, "swot": SwotItem.Kind.choices}
SECTIONS = (
    ("overview", "Overview"),
    ("knowledge", "Knowledge points"),
    ("financials", "Financials"),
    ("swot", "SWOT"),
    ("goals", "Goals, strategies and tactics"),
    ("alignment", "Team alignment"),
)
PLAN_CHANGED = "strata:plan-changed"  # an htmx event after each save: the life cycle bar listens


# --- Loading ------------------------------------------------------------------------------


def _kind(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404("No such kind of plan item.") from None


def _item(plan: Plan, kind: str, item_id):
    """An item of `plan` (deleted ones too: they can be restored), or 404."""
    return plan_item_get(plan=plan, model=_kind(kind), item_id=item_id)


def _parent(plan: Plan, kind: str, parent_id):
    """The plan, or the live goal (of a strategy) / strategy (of a tactic) named."""
    model = PARENT.get(kind)
    if model is None:
        return plan
    return plan_item_parent_get(plan=plan, model=model, parent_id=parent_id)


def _items_url(plan: Plan) -> str:
    return reverse("plans:detail", args=[plan.pk]) + "items/"


def _mark(plan: Plan, kind: str, items):
    """Give each item, and its prefetched children, its DOM id and URL (items/<kind>/<id>/)
    here, once: formatting them in the templates, several times for each of hundreds of
    items, took most of the render of a big plan."""
    base = _items_url(plan)
    children = {"goal": ("strategies", "strategy"), "strategy": ("tactics", "tactic")}
    for item in items:
        item.dom = f"{kind}-{item.pk}"
        item.url = f"{base}{kind}/{item.pk}/"
        if kind in children:
            name, child_kind = children[kind]
            if name in getattr(item, "_prefetched_objects_cache", {}):
                _mark(plan, child_kind, getattr(item, name).all())
    return items


# --- Rendering ------------------------------------------------------------------------------


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def _base_context(request, plan: Plan, *, can_edit: bool | None = None) -> dict:
    if can_edit is None:
        can_edit = can_edit_plan(user=request.user, plan=plan)
    return {
        "nav_active": "plans",
        "plan": plan,
        "account": plan.account,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        # Item URLs are built in the templates from this prefix (items/<kind>/<id>/…):
        # reversing three URLs for each of hundreds of items would dominate the render.
        "items_url": _items_url(plan),
    }


def _respond(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A fragment for htmx; for a plain request, the fragment on a page of its own."""
    if not _wants_fragment(request):
        context = {**context, "fragment": template}
        template = "plans/_page_standalone.html"
    response = TemplateResponse(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _after_write(request, plan: Plan, anchor: str, render) -> HttpResponse:
    """A plain POST goes back to the page (at the part changed); htmx gets `render()`."""
    if not _wants_fragment(request):
        return redirect(reverse("plans:detail", args=[plan.pk]) + f"#{anchor}")
    response = render()
    trigger_client_event(response, PLAN_CHANGED, {"plan": plan.pk})
    return response
