"""Insights shown on other apps' pages: the servicing verdict on the Tier tab."""

from django import template

from ..servicing import account_servicing

register = template.Library()


@register.simple_tag
def servicing(account):
    """`{% servicing account as verdict %}`: whether the account meets its tier's
    servicing model (insights.servicing, a fixed number of queries)."""
    return account_servicing(account=account)
