"""Segmentation shown on other apps' pages (the account Overview's "Tier" line)."""

from django import template

from ..selectors import account_tier_panel

register = template.Library()


@register.inclusion_tag("segmentation/_tier_fact.html")
def tier_fact(account):
    """The account's tier, pin and servicing gaps, linking to its Tier tab (two queries)."""
    return {"account": account, "panel": account_tier_panel(account=account)}
