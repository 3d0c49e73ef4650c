"""The account page's Plan tab: this fiscal year's plan at a glance (status, quality and
what it lacks, its tactics: overdue, next due, done), the way to it, and the past plans;
or, without one, the way to start it."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from accounts_app.selectors import account_get_for_user, can_edit_account
from accounts_app.views.common import render_account_page
from core.periods import fiscal_year

from ..models import Plan, Tactic
from ..selectors import plan_quality_for

NEXT_SHOWN = 5


@login_required
def account_plan_view(request, account_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    today = timezone.localdate()
    period = fiscal_year()
    plans = list(Plan.objects.filter(account=account).order_by("-period"))
    plan = next((p for p in plans if p.period == period), None)
    context = {
        "period": period,
        "plan": plan,
        "past_plans": [p for p in plans if p is not plan],
        "may_start": plan is None and can_edit_account(user=request.user, account=account),
    }
    if plan is not None:
        tactics = Tactic.objects.filter(
            strategy__goal__plan=plan,
            deleted_at__isnull=True,
            strategy__deleted_at__isnull=True,
            strategy__goal__deleted_at__isnull=True,
        )
        live = tactics.filter(status__in=Tactic.OPEN_STATUSES)
        context |= {
            "quality": plan_quality_for(plan=plan, today=today),
            "tactic_counts": {
                "open": live.count(),
                "overdue": live.filter(due_date__lt=today).count(),
                "done": tactics.filter(status=Tactic.Status.DONE).count(),
            },
            "next_tactics": list(
                live.filter(due_date__isnull=False)
                .select_related("owner")
                .order_by("due_date", "pk")[:NEXT_SHOWN]
            ),
            "soon": today + timedelta(days=14),
            "today": today,
        }
    return render_account_page(
        request, account=account, tab="plan", panel="plans/_account_tab.html", context=context
    )
