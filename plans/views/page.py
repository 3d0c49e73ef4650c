"""The plan page (DESIGN §2, plans) and its editing in place.

The page renders every section of the plan in a fixed number of queries. Each editable
part answers a fragment to htmx and a redirect (or a page of its own, for a form with
errors) to a plain POST:

- plans:fields — the overview or the financials card, as text or as its form;
- plans:item_create — an "Add …" button or its form; a save answers the whole list;
- plans:item — an item's row, or its form; a save answers the row;
- plans:item_delete / plans:item_restore — "Deleted — Undo" and back;
- plans:items_reorder — the full new order of one list; answers the list.

A save names the `version` its form read; when someone saved in between the service
raises StaleVersion and the form comes back with 409, both versions side by side, what
the user typed kept, and the newer version in the form so that saving again overwrites
deliberately. Validation errors come back with 400. Who may do what is plans.selectors':
outsiders get 404 everywhere, read-only users 403 on every write.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from accounts_app.models import Relationship
from accounts_app.selectors import account_team

from .. import services
from ..forms import PLAN_FORMS, item_form, item_initial, plan_initial
from ..models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic
from ..selectors import can_edit_plan, plan_get_for_user
from .lifecycle import plan_side_context

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
# How an item of each kind reaches its plan, and its parent when it is not the plan.
PLAN_PATH = {
    KnowledgePoint: "plan",
    SwotItem: "plan",
    Goal: "plan",
    Strategy: "goal__plan",
    Tactic: "strategy__goal__plan",
}
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
CONFLICT_MESSAGE = "Someone else changed this while you were editing."
PLAN_CHANGED = "strata:plan-changed"  # an htmx event after each save: the life cycle bar listens

LIVE = {"deleted_at": None}


# --- Loading ------------------------------------------------------------------------------


def _kind(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404("No such kind of plan item.") from None


def _plan(request, plan_id, *, write: bool = False) -> Plan:
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    if write and not can_edit_plan(user=request.user, plan=plan):
        if plan.read_only:
            raise PermissionDenied("The plan is approved: reopen it to change it.")
        raise PermissionDenied("Only the account team changes its plan.")
    return plan


def _item(plan: Plan, kind: str, item_id):
    """An item of `plan` (deleted ones too: they can be restored), or 404."""
    model = _kind(kind)
    queryset = model.objects.filter(**{PLAN_PATH[model]: plan})
    if model is Tactic:
        queryset = queryset.select_related("owner")
    elif model is Goal:
        queryset = queryset.select_related("customer_goal")
    item = queryset.filter(pk=item_id).first()
    if item is None:
        raise Http404("No such item in this plan.")
    _attach_plan(item, plan)
    return item


def _attach_plan(item, plan: Plan) -> None:
    """Let the services find the plan without loading the chain again."""
    if isinstance(item, Tactic):
        item.strategy.goal.plan = plan
    elif isinstance(item, Strategy):
        item.goal.plan = plan
    else:
        item.plan = plan


def _parent(plan: Plan, kind: str, parent_id):
    """The plan, or the live goal (of a strategy) / strategy (of a tactic) named."""
    model = PARENT.get(kind)
    if model is None:
        return plan
    if not str(parent_id or "").isdigit() or len(str(parent_id)) > 18:
        raise Http404("No such parent item.")
    live_parents = {"deleted_at": None}
    if model is Strategy:  # a strategy of a deleted goal is gone from the plan too
        live_parents["goal__deleted_at"] = None
    parent = model.objects.filter(
        **{PLAN_PATH[model]: plan, "pk": parent_id}, **live_parents
    ).first()
    if parent is None:
        raise Http404("No such parent item.")
    _attach_plan(parent, plan)
    return parent


def _live_tactics():
    return Tactic.objects.filter(**LIVE).select_related("owner")


def _live_strategies():
    return Strategy.objects.filter(**LIVE).prefetch_related(
        Prefetch("tactics", queryset=_live_tactics())
    )


def _goals(plan: Plan) -> list[Goal]:
    goals = (
        Goal.objects.filter(plan=plan, **LIVE)
        .select_related("customer_goal")
        .prefetch_related(Prefetch("strategies", queryset=_live_strategies()))
    )
    return _mark(plan, "goal", list(goals))


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


def _knowledge_groups(plan: Plan) -> list[dict]:
    points = defaultdict(list)
    for point in _mark(plan, "knowledge", KnowledgePoint.objects.filter(plan=plan, **LIVE)):
        points[point.kind].append(point)
    plural = {"goal": "Customer goals", "initiative": "Initiatives", "challenge": "Challenges"}
    return [
        {"kind": kind, "label": plural[kind], "singular": label.lower(), "items": points[kind]}
        for kind, label in KnowledgePoint.Kind.choices
    ]


def _swot_quadrants(plan: Plan) -> list[dict]:
    items = defaultdict(list)
    for item in _mark(plan, "swot", SwotItem.objects.filter(plan=plan, **LIVE)):
        items[item.kind].append(item)
    plural = {
        "strength": "Strengths",
        "weakness": "Weaknesses",
        "opportunity": "Opportunities",
        "threat": "Threats",
    }
    return [
        {"kind": kind, "label": plural[kind], "singular": label.lower(), "items": items[kind]}
        for kind, label in SwotItem.Kind.choices
    ]


def _financials(plan: Plan) -> dict:
    quarters = [plan.revenue_q1, plan.revenue_q2, plan.revenue_q3, plan.revenue_q4]
    known = [q for q in quarters if q is not None]
    actual = sum(known, Decimal(0)) if known else None

    def pct(part, whole):
        if part is None or not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"))

    progress = pct(actual, plan.revenue_target)
    return {
        "quarters": list(zip(("Q1", "Q2", "Q3", "Q4"), quarters, strict=True)),
        "actual": actual,
        "target": plan.revenue_target,
        "progress_pct": progress,
        "progress_bar": min(progress, Decimal(100)) if progress is not None else None,
        "wallet": plan.wallet_estimate,
        "share_pct": pct(actual, plan.wallet_estimate),
        "margin_pct": plan.margin_target_pct,
        # No actuals and no target: the card invites to add them (a new plan has the
        # account's wallet and margin already).
        "empty": not known and plan.revenue_target is None,
        "blank": not known
        and all(
            v is None for v in (plan.revenue_target, plan.wallet_estimate, plan.margin_target_pct)
        ),
    }


def _alignment(plan: Plan) -> list[dict]:
    """Who on the team covers which business units and decision makers: their
    relationships of strength ≥ 2 with the account's contacts. Two queries."""
    team = list(account_team(account=plan.account))
    covered = defaultdict(lambda: {"units": set(), "decision_makers": []})
    relationships = (
        Relationship.objects.filter(
            contact__account=plan.account,
            strength__gte=2,
            user__team_memberships__account=plan.account,
        )
        .select_related("contact", "contact__business_unit")
        .order_by("-strength", "contact__name")
    )
    for relationship in relationships:
        contact = relationship.contact
        mine = covered[relationship.user_id]
        if contact.business_unit is not None:
            mine["units"].add(contact.business_unit.name)
        if contact.buying_role == contact.BuyingRole.DECISION_MAKER:
            mine["decision_makers"].append(relationship)
    return [
        {
            "member": member,
            "units": sorted(covered[member.user_id]["units"]),
            "decision_makers": covered[member.user_id]["decision_makers"],
        }
        for member in team
    ]


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


@login_required
@require_GET
def plan_detail_view(request, plan_id: int):
    plan = _plan(request, plan_id)
    context = _base_context(request, plan)
    alignment = _alignment(plan)
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


# --- Conflicts ----------------------------------------------------------------------------


def _shown(value, field=None) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "name") and hasattr(value, "username"):
        return value.name
    if field is not None and getattr(field, "choices", None) and not hasattr(value, "pk"):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d %b %Y")
    return str(value)


def _conflict(request, form, make_form, current) -> tuple[object, dict]:
    """The form again with what was typed and the newer version's number, and what the
    newer version holds, by whom and when (its latest history record)."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    fresh = make_form(data)
    fresh.is_valid()
    latest = (
        current.history.order_by("-history_date", "-history_id")
        .select_related("history_user")
        .first()
    )
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        theirs = getattr(current, name)
        yours = form.cleaned_data.get(name)
        rows.append(
            {
                "label": field.label or name,
                "theirs": _shown(theirs, field),
                "yours": _shown(yours, field),
                "differs": _shown(theirs, field) != _shown(yours, field),
                "long": name in ("text", "overview"),
            }
        )
    return fresh, {
        "message": CONFLICT_MESSAGE,
        "by": latest.history_user if latest else None,
        "at": latest.history_date if latest else current.updated_at,
        "version": current.version,
        "rows": rows,
    }


def _saved(request, make_form, save) -> tuple[int, object, dict | None]:
    """Validate the posted form and save it through `save(data, version)`: the status to
    answer (200, 400, 409), the form to show again and the conflict, if any."""
    form = make_form(request.POST)
    if not form.is_valid():
        return 400, form, None
    try:
        save(form.service_data(), form.cleaned_data.get("version"))
    except services.StaleVersion as stale:
        fresh, conflict = _conflict(request, form, make_form, stale.current)
        return 409, fresh, conflict
    except ValidationError as exc:
        _add_errors(form, exc)
        return 400, form, None
    return 200, form, None


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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
        return _fields_response(request, _plan(request, plan_id), section)
    plan = _plan(request, plan_id, write=True)
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


# --- Lists: rendering one list again after an add, a reorder, a kind changed ---------------


def _container_id(kind: str, parent) -> str:
    if kind == "strategy":
        return f"goal-{parent.pk}-strategies"
    if kind == "tactic":
        return f"strategy-{parent.pk}-tactics"
    return {"knowledge": "knowledge-body", "swot": "swot-body", "goal": "goals-body"}[kind]


def _container_response(request, plan, kind, parent, *, notice="", status=200, reopen=""):
    context = {**_base_context(request, plan), "notice": notice}
    if kind == "knowledge":
        template = "plans/_page_knowledge.html"
        context["knowledge_groups"] = _knowledge_groups(plan)
    elif kind == "swot":
        template = "plans/_page_swot.html"
        context["swot_quadrants"] = _swot_quadrants(plan)
    elif kind == "goal":
        template = "plans/_page_goals.html"
        context["goals"] = _goals(plan)
    elif kind == "strategy":
        template = "plans/_page_strategies.html"
        goal = (
            Goal.objects.filter(pk=parent.pk)
            .prefetch_related(Prefetch("strategies", queryset=_live_strategies()))
            .get()
        )
        context["goal"] = _mark(plan, "goal", [goal])[0]
    else:
        template = "plans/_page_tactics.html"
        strategy = (
            Strategy.objects.filter(pk=parent.pk)
            .prefetch_related(Prefetch("tactics", queryset=_live_tactics()))
            .get()
        )
        context["strategy"] = _mark(plan, "strategy", [strategy])[0]
    response = _respond(request, template, context, status=status)
    if _wants_fragment(request):
        retarget(response, f"#{_container_id(kind, parent)}")
        reswap(response, "outerHTML")
        if reopen:
            # The add form opens again, empty, for the next item.
            trigger_client_event(response, "strata:reopen-add", {"id": reopen}, after="settle")
    return response


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
        plan = _plan(request, plan_id)
        parent = _parent(plan, kind, params.get("parent"))
        context = _add_context(request, plan, kind, parent, preset)
        return _respond(request, "plans/_item_add.html", context)
    plan = _plan(request, plan_id, write=True)
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
        plan = _plan(request, plan_id)
        item = _item(plan, kind, item_id)
        return _respond(
            request, "plans/_item_node.html#row", _item_context(request, plan, kind, item)
        )
    plan = _plan(request, plan_id, write=True)
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
    plan = _plan(request, plan_id, write=True)
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
        return (
            Goal.objects.filter(pk=item.pk)
            .select_related("customer_goal")
            .prefetch_related(Prefetch("strategies", queryset=_live_strategies()))
            .get()
        )
    if kind == "strategy":
        return (
            Strategy.objects.filter(pk=item.pk)
            .prefetch_related(Prefetch("tactics", queryset=_live_tactics()))
            .get()
        )
    return item


@login_required
@require_POST
def item_restore_view(request, plan_id: int, kind: str, item_id: int):
    plan = _plan(request, plan_id, write=True)
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
    plan = _plan(request, plan_id, write=True)
    parent = _parent(plan, kind, request.POST.get("parent"))
    try:
        services.items_reorder(model=model, by=request.user, parent=parent, ids=_ids(request))
    except ValidationError:
        # Most likely someone added or deleted an item meanwhile: show the list as it is.
        notice = "The list changed while you were moving items; here it is as it is now."
        if not _wants_fragment(request):
            return HttpResponse(notice, status=400, content_type="text/plain; charset=utf-8")
        return _container_response(request, plan, kind, parent, notice=notice, status=400)
    return _after_write(
        request,
        plan,
        _anchor(kind, parent),
        lambda: _container_response(request, plan, kind, parent),
    )
