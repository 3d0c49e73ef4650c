"""Insights shown on other apps' pages: the servicing verdict on the Tier tab, and on an
alert's page the requirement the alert is about, as it stands now."""

from django import template

from ..servicing import account_servicing

register = template.Library()


@register.simple_tag
def servicing(account):
    """`{% servicing account as verdict %}`: whether the account meets its tier's
    servicing model (insights.servicing, a fixed number of queries)."""
    return account_servicing(account=account)


@register.simple_tag
def alert_requirement(alert):
    """`{% alert_requirement alert as requirement %}`: the servicing requirement an alert
    of the plan or review rules is about (its subject "plan:<year>" or "review:<kind>"),
    as the verdict judges it now; None for the other alerts."""
    kind, _, rest = alert.subject_key.partition(":")
    if kind not in ("plan", "review"):
        return None
    verdict = account_servicing(account=alert.account)
    requirement = verdict.requirement(alert.subject_key if kind == "review" else "plan")
    if requirement and kind == "plan" and str(requirement.facts["year"]) != rest:
        return None  # an alert about a past fiscal year
    return requirement
