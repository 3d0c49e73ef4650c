"""Segmentation shown on other apps' pages: the RPI target of the account's tier."""

from django import template

from ..selectors import tier_rpi_target as _tier_rpi_target

register = template.Library()


@register.simple_tag
def tier_rpi_target(account):
    """`{% tier_rpi_target account as rpi_target %}`: the target, or None (one query)."""
    return _tier_rpi_target(account=account)
