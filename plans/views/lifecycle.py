"""The plans list, starting a plan, the life cycle (submit, approve, request changes,
reopen, clone), coaching comments, what changed since the last approval, and the
in-app notifications."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseLocation

from accounts_app.selectors import account_get_for_user, can_edit_account
from core.http import wants_fragment
from plans.selectors import current_plan

from .. import services
from ..models import Notification, Plan, PlanComment
from ..quality import FRESH_DAYS
from ..selectors import (
    can_coach_plan,
    can_reopen_plan,
    can_resolve_comments,
    can_submit_plan,
    plan_approved_at,
    plan_changes_since,
    plan_get_for_user,
    plan_quality_for,
)

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
SORTS = {
    "account": ("account__name", "period"),
    "-account": ("-account__name", "-period"),
    "quality": ("quality", "account__name"),
    "-quality": ("-quality", "account__name"),
    "updated": ("updated_at",),
    "-updated": ("-updated_at",),
    "status": ("status", "account__name"),
    "tier": ("account__tier_assignment__tier__rank", "account__name"),
}


# --- The list of plans ------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Account")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Plan.Status.choices])
    tier = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Tier")
    quality = forms.ChoiceField(
        required=False,
        label="Quality",
        choices=[
            ("", "Any quality"),
            ("low", "Below 50"),
            ("mid", "50 to 79"),
            ("high", "80 or more"),
        ],
    )
    period = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Year")

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        from segmentation.models import Tier

        self.fields["tier"].choices = [("", "Any tier")] + [
            (t.pk, t.name) for t in Tier.objects.order_by("rank")
        ]
        self.fields["period"].choices = [("", "Any year")] + [(p, f"FY{p}") for p in periods]


@login_required
def plan_list_view(request):
    visible = Plan.objects.visible_to(request.user)
    periods = sorted(set(visible.values_list("period", flat=True)), reverse=True)
    form = PlanFilterForm(request.GET or None, periods=periods)
    plans = visible.select_related("account", "account__owner", "account__tier_assignment__tier")
    plans = plans.annotate(
        open_comments=Count("comments", filter=Q(comments__resolved=False), distinct=True)
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            plans = plans.filter(account__name__icontains=data["q"].strip())
        if data["status"]:
            plans = plans.filter(status=data["status"])
        if data["tier"]:
            plans = plans.filter(account__tier_assignment__tier_id=data["tier"])
        if data["period"]:
            plans = plans.filter(period=data["period"])
        bands = {
            "low": Q(quality__lt=50),
            "mid": Q(quality__gte=50, quality__lt=80),
            "high": Q(quality__gte=80),
        }
        if data["quality"]:
            plans = plans.filter(bands[data["quality"]])
    sort = request.GET.get("sort", "-updated")
    plans = plans.order_by(*SORTS.get(sort, SORTS["-updated"]), "id")
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
        "sort": sort if sort in SORTS else "-updated",
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
@require_POST
def plan_start_view(request, account_id: int):
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


class StepForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


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


class CommentForm(forms.Form):
    section = forms.ChoiceField(choices=PlanComment.Section.choices, initial="general")
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Coach, ask, answer…"}),
        error_messages={"required": "Write the comment."},
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )


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
            parent = PlanComment.objects.filter(plan=plan, pk=form.cleaned_data["parent"]).first()
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
            return _back(request, plan, "comments")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, plan, "comments")


@login_required
@require_POST
def comment_resolve_view(request, plan_id: int, comment_id: int):
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    comment = get_object_or_404(PlanComment, plan=plan, pk=comment_id)
    services.comment_resolve(
        comment=comment, by=request.user, resolved=request.POST.get("resolved", "1") != "0"
    )
    return _back(request, plan, "comments")


def plan_side_context(request, plan) -> dict:
    """What the plan page takes from the life cycle and coaching side: quality, the steps
    the user may take, the transitions, the comment threads (unresolved first), counts of
    unresolved comments per section, the forms. A fixed number of queries."""
    transitions = list(plan.transitions.select_related("by"))
    plan._prefetched_objects_cache = {
        **getattr(plan, "_prefetched_objects_cache", {}),
        "transitions": transitions,
    }
    comments = list(plan.comments.select_related("author", "resolved_by"))
    replies = defaultdict(list)
    for comment in comments:
        if comment.parent_id:
            replies[comment.parent_id].append(comment)
    threads = [c for c in comments if c.parent_id is None]
    for thread in threads:
        thread.thread_replies = replies[thread.pk]
    threads.sort(key=lambda c: (c.resolved, c.created_at))
    unresolved = [c for c in threads if not c.resolved]
    by_section = defaultdict(int)
    for comment in unresolved:
        by_section[comment.section] += 1
    return {
        "quality": plan_quality_for(plan=plan),
        "steps": allowed_steps(request.user, plan),
        "transitions": transitions,
        "comment_threads": threads,
        "unresolved_comments": unresolved,
        "comments_by_section": dict(by_section),
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
    # Only plans the user may still see: someone who left a team keeps no window on it.
    notifications = (
        Notification.objects.visible_to(request.user)
        .filter(user=request.user)
        .select_related("plan", "plan__account", "comment")
    )
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "plans/notifications.html",
        {
            "nav_active": "plans",
            "page": page,
            "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
        },
    )
