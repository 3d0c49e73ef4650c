"""Plans shown on other apps' pages (the account Overview's "Account plan" line)."""

from django import template

from accounts_app.selectors import can_edit_account
from core.periods import fiscal_year

from ..models import Plan

register = template.Library()


@register.inclusion_tag("plans/_plan_fact.html", takes_context=True)
def plan_fact(context, account):
    """This fiscal year's plan of the account (status, quality), or a button to start it."""
    year = fiscal_year()
    plan = (
        Plan.objects.filter(account=account, period__gte=year)
        .order_by("period")
        .only("id", "period", "status", "quality", "account_id")
        .first()
    )
    user = context["request"].user
    return {
        "account": account,
        "plan": plan,
        "year": year,
        "can_start": plan is None and can_edit_account(user=user, account=account),
        "csrf_token": context.get("csrf_token"),
    }
