"""The plans list, starting a plan, the life cycle (submit, approve, request changes,
reopen, clone), coaching comments, what changed since the last approval, and the
in-app notifications."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation

from accounts_app.selectors import account_get_for_user, can_edit_account
from core.exports import download
from core.http import wants_fragment
from core.periods import fiscal_year

from .. import services
from ..exports import plan_columns, plan_export_queryset
from ..forms import CommentForm, PlanFilterForm, StepForm
from ..models import Plan, PlanComment
from ..quality import FRESH_DAYS
from ..selectors import (
    DEFAULT_PLAN_SORT,
    PLAN_SORTS,
    can_coach_plan,
    can_reopen_plan,
    can_resolve_comments,
    can_submit_plan,
    current_plan,
    notification_list,
    plan_approved_at,
    plan_changes_since,
    plan_comment_get,
    plan_comment_threads,
    plan_get_for_user,
    plan_list,
    plan_list_tiers,
    plan_periods,
    plan_quality_for,
    plan_transitions,
    unread_notification_count,
)

# The plan page's cards a comment can be shown next to (their ids are the sections').
SECTION_CARDS = ("overview", "knowledge", "financials", "swot", "goals", "alignment")

STEPS = {
    # action: (service, label, needs a comment)
    "submit": (services.plan_submit, "Submit for approval", False),
    "approve": (services.plan_approve, "Approve", False),
    "request-changes": (services.plan_request_changes, "Request changes", True),
    "reopen": (services.plan_reopen, "Reopen the plan", False),
}
CHECK_SHORT = {
    "overview": "Overview",
    "knowledge": "Knowledge points",
    "target": "Target",
    "swot": "SWOT",
    "goals": "Goals",
    "tactics": "Tactic owners/dates",
    "decision_makers": "Decision makers",
    "fresh": "Stale",
}


# --- The list of plans ------------------------------------------------------------------


def _plans_shown(request):
    """The list's filter form, its sort and the plans it shows for this query string (the
    page and its Export links alike: filters that do not validate are left out)."""
    periods = plan_periods(user=request.user)
    form = PlanFilterForm(request.GET or None, periods=periods, tiers=plan_list_tiers())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else None
    sort = request.GET.get("sort", DEFAULT_PLAN_SORT)
    if sort not in PLAN_SORTS:
        sort = DEFAULT_PLAN_SORT
    return form, sort, plan_list(user=request.user, filters=filters, sort=sort)


@login_required
def plan_list_view(request):
    form, sort, plans = _plans_shown(request)
    page = Paginator(plans, 25).get_page(request.GET.get("page"))
    for plan in page.object_list:
        plan.failing_labels = [CHECK_SHORT.get(key, key) for key in plan.quality_failing]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    context = {
        "nav_active": "plans",
        "form": form,
        "page": page,
        "sort": sort,
        "query_string": params.urlencode(),
        "sort_query_string": sort_params.urlencode(),
        "is_filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
        "fresh_days": FRESH_DAYS,
    }
    template = "plans/list.html#results" if wants_fragment(request) else "plans/list.html"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def plan_export_view(request):
    """The plans the list shows, with its filters and sort, as CSV or XLSX."""
    _, _, plans = _plans_shown(request)
    return download(request, plan_columns(), plan_export_queryset(plans), name="plans")


@login_required
@require_http_methods(["GET", "POST"])
def plan_start_view(request, account_id: int):
    """GET: the page that offers to start this fiscal year's plan (where the servicing
    verdict's "no plan" links), or the plan if it exists; POST: start it."""
    if request.method == "GET":
        account = account_get_for_user(user=request.user, account_id=account_id)
        existing = current_plan(account=account)
        if existing:
            return redirect("plans:detail", plan_id=existing.pk)
        context = {
            "account": account,
            "year": fiscal_year(),
            "can_start": can_edit_account(user=request.user, account=account),
        }
        return TemplateResponse(request, "plans/start.html", context)
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    try:
        plan = services.plan_create(account=account, by=request.user)
    except ValidationError as exc:
        existing = current_plan(account=account)
        if existing:
            return redirect("plans:detail", plan_id=existing.pk)
        messages.error(request, " ".join(exc.messages))
        return redirect(account)
    messages.success(request, f"The {plan.label} plan of {account} is started.")
    return redirect("plans:detail", plan_id=plan.pk)


# --- The life cycle ---------------------------------------------------------------------


def allowed_steps(user, plan) -> list[tuple[str, str, bool]]:
    """(action, label, needs a comment) of the steps `user` may take on `plan` now."""
    S = Plan.Status
    steps = []
    if plan.status in (S.DRAFT, S.CHANGES_REQUESTED) and can_submit_plan(user=user, plan=plan):
        steps.append("submit")
    if plan.status == S.SUBMITTED and can_coach_plan(user=user, plan=plan):
        submitted_by = next(
            (t.by_id for t in plan.transitions.all() if t.to_status == S.SUBMITTED), None
        )
        if submitted_by != user.pk or user.is_admin_role:
            steps += ["approve", "request-changes"]
    if plan.status == S.APPROVED and can_reopen_plan(user=user, plan=plan):
        steps.append("reopen")
    return [(action, STEPS[action][1], STEPS[action][2]) for action in steps]


def _back(request, plan, anchor: str = ""):
    url = reverse("plans:detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")
    if wants_fragment(request):
        return HttpResponseLocation(url)
    return redirect(url)


@login_required
@require_POST
def plan_step_view(request, plan_id: int, action: str):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    if action not in STEPS:
        return HttpResponse("Unknown step.", status=404)
    service, label, _ = STEPS[action]
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, plan)
    try:
        service(
            plan=plan,
            by=request.user,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except services.StaleVersion:
        messages.error(
            request,
            "The plan changed since you opened it. Look at it again (or at its changes) "
            "before you take this step.",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{label}: done. The plan is now {plan.get_status_display().lower()}."
        )
    return _back(request, plan)


@login_required
@require_POST
def plan_clone_view(request, plan_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    try:
        new = services.plan_clone(plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, plan)
    messages.success(
        request, f"The {new.label} plan starts from this one: open items carried over."
    )
    return redirect("plans:detail", plan_id=new.pk)


# --- Comments ---------------------------------------------------------------------------


@login_required
@require_POST
def comment_add_view(request, plan_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    if not can_resolve_comments(user=request.user, plan=plan):
        raise PermissionDenied("The account team and its coaches comment on the plan.")
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = plan_comment_get(plan=plan, comment_id=form.cleaned_data["parent"])
            if parent is None:
                messages.error(request, "That comment is not on this plan any more.")
                return _back(request, plan, "comments")
        try:
            services.comment_add(
                plan=plan,
                by=request.user,
                text=form.cleaned_data["text"],
                section=form.cleaned_data["section"],
                parent=parent,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            section = form.cleaned_data["section"]
            # Back where it was written: next to its section, or the list of comments.
            beside = request.POST.get("beside") == "1" and section in SECTION_CARDS
            return _back(request, plan, f"{section}-comments" if beside else "comments")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, plan, "comments")


@login_required
@require_POST
def comment_resolve_view(request, plan_id: int, comment_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    comment = plan_comment_get(plan=plan, comment_id=comment_id)
    if comment is None:
        raise Http404("No such comment on this plan.")
    services.comment_resolve(
        comment=comment, by=request.user, resolved=request.POST.get("resolved", "1") != "0"
    )
    return _back(request, plan, "comments")


def plan_side_context(request, plan) -> dict:
    """What the plan page takes from the life cycle and coaching side: quality, the steps
    the user may take, the transitions, the comment threads (unresolved first), counts of
    unresolved comments per section, the forms. A fixed number of queries."""
    transitions = plan_transitions(plan=plan)
    threads = plan_comment_threads(plan=plan)
    unresolved = [c for c in threads if not c.resolved]
    by_section = defaultdict(int)
    section_comments = defaultdict(list)
    for comment in unresolved:
        by_section[comment.section] += 1
        section_comments[comment.section].append(comment)
    return {
        "quality": plan_quality_for(plan=plan),
        "steps": allowed_steps(request.user, plan),
        "transitions": transitions,
        "comment_threads": threads,
        "unresolved_comments": unresolved,
        "comments_by_section": dict(by_section),
        # The unresolved threads shown next to the section they are about.
        "section_comments": dict(section_comments),
        "comment_form": CommentForm(),
        "step_form": StepForm(),
        "can_resolve": can_resolve_comments(user=request.user, plan=plan),
        "can_clone": can_edit_account(user=request.user, account=plan.account),
        "can_comment": can_resolve_comments(user=request.user, plan=plan),
        "sections": PlanComment.Section.choices,
    }


# --- What changed since the last approval -----------------------------------------------


@login_required
def plan_changes_view(request, plan_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    approved = plan_approved_at(plan=plan)
    changes = plan_changes_since(plan=plan, since=approved)
    return TemplateResponse(
        request,
        "plans/changes.html",
        {"nav_active": "plans", "plan": plan, "since": approved, "changes": changes[:500]},
    )


# --- Notifications --------------------------------------------------------------------


@login_required
def notification_list_view(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("plans:notifications")
    page = Paginator(notification_list(user=request.user), 30).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "plans/notifications.html",
        {
            "nav_active": "plans",
            "page": page,
            "unread": unread_notification_count(user=request.user),
        },
    )
