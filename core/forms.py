"""Form fields every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError

from .money import AmountError, amount_for_input, parse_amount


class AmountInput(forms.TextInput):
    """A text input, not `type=number`: a browser's number input drops what it cannot
    read ("12k" arrived as "12", or as nothing) before the server can say anything.
    A saved amount shows with thousands separators ("3,034,500"), which reads back."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str) or value is None:
            return super().format_value(value)
        return amount_for_input(value)


class AmountField(forms.DecimalField):
    """An amount of money as people type it: "12k", "1.2M", "3,034,500", "€3,034,500.50"
    (core.money.parse_amount). Anything else is refused with examples of what works;
    digits, places and minimum are checked as for any DecimalField."""

    widget = AmountInput
    default_error_messages = {"invalid": AmountError().message}

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return parse_amount(value)
            except AmountError as exc:
                raise ValidationError(exc.message, code="invalid") from exc
        return super().to_python(value)
