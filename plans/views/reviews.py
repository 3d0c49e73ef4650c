"""Business reviews: the account's Reviews tab (when the next ones are due by the tier's
cadence, the reviews scheduled and held), scheduling and recording a review, its page
with the action items (added, ticked off, turned into tactics of the plan) and
deleting it. Outsiders get 404; people who may see but not change the account, 403 on
writes."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts_app.selectors import account_get_for_user, can_edit_account
from accounts_app.views.common import render_account_page
from core.http import REFUSED, saved_form, wants_fragment

from .. import reviews
from ..forms import ActionTacticForm, ReviewActionForm, ReviewForm
from ..models import BusinessReview
from ..selectors import (
    account_recent_packs,
    account_reviews,
    current_plan,
    review_action_count,
    review_action_get,
    review_actions,
    review_attendees,
    review_customer_attendees,
    review_get_for_user,
)

PER_PAGE = 20


@login_required
def reviews_view(request, account_id: int):
    """The Reviews tab: what is due, then every review, newest first."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    kind = request.GET.get("kind", "")
    rows = account_reviews(account=account, kind=kind)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render_account_page(
        request,
        account=account,
        tab="reviews",
        panel="plans/reviews/_tab.html",
        context={
            "due": reviews.reviews_due(account=account),
            "page": page,
            "kind": kind,
            "kinds": BusinessReview.Kind.choices,
            "today": timezone.localdate(),
            "query_string": params.urlencode(),
            "packs": account_recent_packs(account=account, limit=5),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    initial = {"kind": request.GET.get("kind", BusinessReview.Kind.EXTERNAL)}
    if initial["kind"] not in BusinessReview.Kind.values:
        initial["kind"] = BusinessReview.Kind.EXTERNAL
    initial["attendees"] = [request.user.pk]
    # On the day the tier's cadence makes it due, or a week ahead if that has passed.
    due = {d.kind: d.due for d in reviews.reviews_due(account=account)}.get(initial["kind"])
    if due:
        today = timezone.localdate()
        initial["scheduled_for"] = due if due >= today else today + timedelta(days=7)
    form = ReviewForm(request.POST or None, account=account, initial=initial)
    created = []
    if saved_form(
        request,
        form,
        lambda data: created.append(reviews.review_save(account=account, by=request.user, **data)),
    ):
        messages.success(request, f"“{created[0].title}” scheduled.")
        return redirect("reviews:detail", review_id=created[0].pk)
    return render_account_page(
        request,
        account=account,
        tab="reviews",
        panel="plans/reviews/_form.html",
        context={"form": form, "review": None},
    )


def _detail_context(request, review: BusinessReview, **extra) -> dict:
    account = review.account
    can_edit = can_edit_account(user=request.user, account=account)
    plan = current_plan(account=account) if can_edit else None
    return {
        "review": review,
        "actions": review_actions(review=review),
        "attendees": review_attendees(review=review),
        "customer_attendees": review_customer_attendees(review=review),
        "action_form": ReviewActionForm(account=account),
        "plan": plan,
        "tactic_form": ActionTacticForm(plan=plan) if plan and not plan.read_only else None,
        "can_edit": can_edit,
        **extra,
    }


@login_required
def review_detail_view(request, review_id: int):
    review = review_get_for_user(user=request.user, review_id=review_id)
    return render_account_page(
        request,
        account=review.account,
        tab="reviews",
        panel="plans/reviews/_detail.html",
        context=_detail_context(request, review),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit_view(request, review_id: int):
    review = review_get_for_user(user=request.user, review_id=review_id, write=True)
    account = review.account
    form = ReviewForm(request.POST or None, instance=review, account=account)
    if saved_form(
        request,
        form,
        lambda data: reviews.review_save(account=account, by=request.user, review=review, **data),
    ):
        messages.success(request, f"“{review.title}” saved.")
        return redirect("reviews:detail", review_id=review.pk)
    return render_account_page(
        request,
        account=account,
        tab="reviews",
        panel="plans/reviews/_form.html",
        context={"form": form, "review": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_delete_view(request, review_id: int):
    review = review_get_for_user(user=request.user, review_id=review_id, write=True)
    if request.method == "POST":
        reviews.review_delete(review=review, by=request.user)
        messages.success(request, f"“{review.title}” deleted.")
        return redirect("reviews:account", account_id=review.account.pk)
    return render_account_page(
        request,
        account=review.account,
        tab="reviews",
        panel="plans/reviews/_delete.html",
        context={"review": review, "actions": review_action_count(review=review)},
    )


def _actions_response(request, review: BusinessReview, status: int = 200, **extra):
    """The action items' section (for htmx) or the review page."""
    context = _detail_context(request, review, **extra)
    if wants_fragment(request):
        return TemplateResponse(request, "plans/reviews/_actions.html", context, status=status)
    if status == 200:
        return redirect("reviews:detail", review_id=review.pk)
    return render_account_page(
        request,
        account=review.account,
        tab="reviews",
        panel="plans/reviews/_detail.html",
        context=context,
        status=status,
    )


@login_required
@require_POST
def action_add_view(request, review_id: int):
    review = review_get_for_user(user=request.user, review_id=review_id, write=True)
    form = ReviewActionForm(request.POST, account=review.account)
    if saved_form(
        request, form, lambda data: reviews.action_add(review=review, by=request.user, **data)
    ):
        return _actions_response(request, review)
    return _actions_response(request, review, status=REFUSED, action_form=form)


@login_required
@require_POST
def action_view(request, review_id: int, action_id: int):
    """Tick an action item off (or not), or delete it."""
    review = review_get_for_user(user=request.user, review_id=review_id, write=True)
    item = review_action_get(review=review, action_id=action_id)
    item.review = review
    if request.POST.get("delete"):
        reviews.action_delete(item=item, by=request.user)
    else:
        reviews.action_set_done(item=item, by=request.user, done=request.POST.get("done") == "1")
    return _actions_response(request, review)


@login_required
@require_POST
def action_tactic_view(request, review_id: int, action_id: int):
    """Make the action item a tactic of this year's plan, under the chosen strategy."""
    review = review_get_for_user(user=request.user, review_id=review_id, write=True)
    item = review_action_get(review=review, action_id=action_id)
    item.review = review
    plan = current_plan(account=review.account)
    if plan is None:
        raise Http404("This account has no plan for this year.")
    form = ActionTacticForm(request.POST, plan=plan)
    if saved_form(
        request, form, lambda data: reviews.action_to_tactic(item=item, by=request.user, **data)
    ):
        messages.success(request, f"“{item.text[:60]}” is now a tactic of the {plan.label} plan.")
        return _actions_response(request, review)
    return _actions_response(request, review, status=REFUSED, tactic_form=form, tactic_for=item.pk)
