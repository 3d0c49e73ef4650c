"""Items of the plan edited in place: adding one, editing it, deleting it (and undoing
that), reordering a list."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.http import CONFLICT

from ... import services
from ...forms import item_form, item_initial
from ...selectors import goal_with_strategies, plan_get_for_user, strategy_with_tactics
from .common import (
    KIND_LABELS,
    PARENT,
    PRESET_LABELS,
    PRESETS,
    _after_write,
    _base_context,
    _item,
    _kind,
    _mark,
    _parent,
    _respond,
    _wants_fragment,
)
from .saving import _saved
from .sections import _container_response

# --- Adding an item -------------------------------------------------------------------------


def _add_context(request, plan, kind, parent, preset) -> dict:
    parent_pk = getattr(parent, "pk", None) if kind in PARENT else None
    add_id = f"add-{kind}-{parent_pk or preset or 'plan'}"
    query = QueryDict(mutable=True)
    if parent_pk:
        query["parent"] = parent_pk
    if preset:
        query["preset"] = preset
    url = reverse("plans:item_create", args=[plan.pk, kind])
    return {
        **_base_context(request, plan),
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "add_label": dict(PRESET_LABELS[kind])[preset].lower() if preset else KIND_LABELS[kind],
        "parent": parent if parent_pk else None,
        "preset": preset,
        "add_id": add_id,
        "form_target": add_id,
        "action": url,
        "query": query.urlencode(),
        "cancel_url": f"{url}?{query.urlencode()}&cancel=1" if query else f"{url}?cancel=1",
        "cancel_href": reverse("plans:detail", args=[plan.pk]) + f"#{_anchor(kind, parent)}",
    }


def _anchor(kind: str, parent) -> str:
    if kind in PARENT and parent is not None:
        return f"{'goal' if kind == 'strategy' else 'strategy'}-{parent.pk}"
    return {"knowledge": "knowledge", "swot": "swot"}.get(kind, "goals")


def _item_anchor(kind: str, item) -> str:
    """Where a deleted item was: its parent, or its section."""
    if kind == "strategy":
        return f"goal-{item.goal_id}"
    if kind == "tactic":
        return f"strategy-{item.strategy_id}"
    return _anchor(kind, None)


def _preset(kind: str, value: str) -> str:
    return value if value in PRESETS.get(kind, ()) else ""


@login_required
@require_http_methods(["GET", "POST"])
def item_create_view(request, plan_id: int, kind: str):
    model = _kind(kind)
    params = request.POST if request.method == "POST" else request.GET
    preset = _preset(kind, params.get("preset", ""))
    if request.method == "GET" and request.GET.get("cancel"):
        plan = plan_get_for_user(user=request.user, plan_id=plan_id)
        parent = _parent(plan, kind, params.get("parent"))
        context = _add_context(request, plan, kind, parent, preset)
        return _respond(request, "plans/_item_add.html", context)
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, write=True)
    parent = _parent(plan, kind, params.get("parent"))
    context = _add_context(request, plan, kind, parent, preset)
    if request.method == "GET":
        initial = {"kind": preset} if preset else {}
        form = item_form(model, plan, initial=initial, editing=False)
        return _respond(request, "plans/_item_form.html", {**context, "form": form})

    status, form, _ = _saved(
        request,
        lambda data: item_form(model, plan, data, editing=False),
        lambda data, version: services.item_create(
            model=model, by=request.user, parent=parent, **data
        ),
    )
    if status != 200:
        return _respond(request, "plans/_item_form.html", {**context, "form": form}, status=status)
    return _after_write(
        request,
        plan,
        _anchor(kind, parent),
        lambda: _container_response(request, plan, kind, parent, reopen=context["add_id"]),
    )


# --- Editing an item -----------------------------------------------------------------------


def _item_context(request, plan, kind, item, **extra) -> dict:
    _mark(plan, kind, [item])
    url = reverse("plans:item", args=[plan.pk, kind, item.pk])
    return {
        **_base_context(request, plan),
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "item": item,
        "form_target": f"{kind}-{item.pk}-row",
        "action": url,
        "cancel_url": f"{url}?cancel=1",
        "cancel_href": reverse("plans:detail", args=[plan.pk]) + f"#{kind}-{item.pk}",
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item_view(request, plan_id: int, kind: str, item_id: int):
    """GET: the item's form (its row with ?cancel=1); POST: save it."""
    model = _kind(kind)
    if request.method == "GET" and request.GET.get("cancel"):
        plan = plan_get_for_user(user=request.user, plan_id=plan_id)
        item = _item(plan, kind, item_id)
        return _respond(
            request, "plans/_item_node.html#row", _item_context(request, plan, kind, item)
        )
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, write=True)
    item = _item(plan, kind, item_id)
    if request.method == "GET":
        form = item_form(model, plan, initial={**item_initial(item), "version": item.version})
        return _respond(
            request, "plans/_item_form.html", _item_context(request, plan, kind, item, form=form)
        )

    old_kind = getattr(item, "kind", None)
    status, form, conflict = _saved(
        request,
        lambda data: item_form(model, plan, data),
        lambda data, version: services.item_update(
            item=item, by=request.user, version=version, **data
        ),
    )
    if status != 200:
        return _respond(
            request,
            "plans/_item_form.html",
            _item_context(request, plan, kind, item, form=form, conflict=conflict),
            status=status,
        )
    if old_kind is not None and item.kind != old_kind:
        # A knowledge point or SWOT item moved to another group: the section again.
        return _after_write(
            request,
            plan,
            f"{kind}-{item.pk}",
            lambda: _container_response(request, plan, kind, plan),
        )
    return _after_write(
        request,
        plan,
        f"{kind}-{item.pk}",
        lambda: _respond(
            request, "plans/_item_node.html#row", _item_context(request, plan, kind, item)
        ),
    )


# --- Delete, undo --------------------------------------------------------------------------


@login_required
@require_POST
def item_delete_view(request, plan_id: int, kind: str, item_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, write=True)
    item = _item(plan, kind, item_id)
    services.item_delete(item=item, by=request.user)
    return _after_write(
        request,
        plan,
        _item_anchor(kind, item),
        lambda: _respond(
            request, "plans/_item_deleted.html", _item_context(request, plan, kind, item)
        ),
    )


def _node(plan, kind, item):
    """The item again with its live children, as the page shows it."""
    if kind == "goal":
        return goal_with_strategies(goal_id=item.pk)
    if kind == "strategy":
        return strategy_with_tactics(strategy_id=item.pk)
    return item


@login_required
@require_POST
def item_restore_view(request, plan_id: int, kind: str, item_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, write=True)
    item = _item(plan, kind, item_id)
    services.item_restore(item=item, by=request.user)
    return _after_write(
        request,
        plan,
        f"{kind}-{item.pk}",
        lambda: _respond(
            request,
            "plans/_item_node.html",
            _item_context(request, plan, kind, _node(plan, kind, item)),
        ),
    )


# --- Reorder -------------------------------------------------------------------------------


def _ids(request) -> list[int]:
    values = []
    for raw in request.POST.getlist("ids"):
        values.extend(part for part in raw.split(",") if part.strip())
    try:
        return [int(value) for value in values]
    except ValueError:
        return []


@login_required
@require_POST
def items_reorder_view(request, plan_id: int, kind: str):
    model = _kind(kind)
    plan = plan_get_for_user(user=request.user, plan_id=plan_id, write=True)
    parent = _parent(plan, kind, request.POST.get("parent"))
    try:
        services.items_reorder(model=model, by=request.user, parent=parent, ids=_ids(request))
    except ValidationError:
        # Most likely someone added or deleted an item meanwhile: show the list as it is.
        notice = "The list changed while you were moving items; here it is as it is now."
        if not _wants_fragment(request):
            return HttpResponse(notice, status=CONFLICT, content_type="text/plain; charset=utf-8")
        return _container_response(request, plan, kind, parent, notice=notice, status=CONFLICT)
    return _after_write(
        request,
        plan,
        _anchor(kind, parent),
        lambda: _container_response(request, plan, kind, parent),
    )
