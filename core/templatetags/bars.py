"""Bar widths without style attributes: `{% load bars %}`, then
`<span class="{{ value|bar_width }}">` gives the class `bar-w37` for 37.4 (a percentage),
and static/css/bars.css sets its width. The Content-Security-Policy refuses inline
styles (`style="width: 37%"`), and a bar needs no finer step than a whole per cent."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def bar_width(value) -> str:
    """The class for a bar `value` per cent long: rounded, and held within 0–100."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "bar-w0"
    if not number.is_finite():
        return "bar-w0"
    whole = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"bar-w{min(max(whole, 0), 100)}"
