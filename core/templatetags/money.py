"""Amounts in templates, through core.money: `{% load money %}`, then
`{{ value|money }}` ("€3,034,500", tables and details) and `{{ value|money_compact }}`
("€3.0M", tiles and charts). Both show "—" for None, and for anything that is not a
number (a template's `default_if_none:"—"` upstream stays harmless). In a grid whose
heading names the currency, `{{ value|money_bare }}` ("3,034,500"; nothing for None)."""

from decimal import Decimal, InvalidOperation

from django import template

from core import money as formats

register = template.Library()


def _number(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@register.filter
def money(value) -> str:
    return formats.amount(_number(value))


@register.filter
def money_bare(value) -> str:
    return formats.bare(_number(value))


@register.filter
def money_compact(value) -> str:
    return formats.compact(_number(value))


@register.filter
def is_money_unit(unit) -> bool:
    """Whether a scorecard metric's unit is the organisation's currency ("€", "EUR")."""
    return formats.is_money_unit(unit)


@register.simple_tag
def currency() -> str:
    """The currency as a unit beside a label: "€", "$", "CHF"."""
    return formats.currency_label()
