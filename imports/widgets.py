"""How a cell becomes a value: django-import-export widgets that read what people type
in spreadsheets (labels or values of a choice in any case, "12k", 2026-03, 31.12.2026)
and raise ValueError with a message the row report shows as it is."""

import re
from datetime import date, datetime
from decimal import Decimal

from import_export import widgets

from core.money import AmountError, parse_amount


def _norm(text) -> str:
    return re.sub(r"[\s\-_/]+", "_", str(text).strip().casefold())


class ChoiceWidget(widgets.Widget):
    """A choice given by its value or its label, in any case ("Decision maker",
    `decision_maker`); empty gives the default (None: the model's own default)."""

    def __init__(self, choices, *, default=None, integer=False):
        super().__init__()
        self.choices = list(choices)
        self.default = default
        self.integer = integer
        self.lookup = {}
        for value, label in self.choices:
            self.lookup[_norm(value)] = value
            self.lookup[_norm(label)] = value

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return self.default
        found = self.lookup.get(_norm(value))
        if found is None:
            labels = ", ".join(str(label) for _, label in self.choices)
            raise ValueError(f"“{value}” is not one of: {labels}.")
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def parse_number(value, *, what="a number") -> Decimal | None:
    """A plain number as spreadsheets write it ("3,034,500", "3034500.50", "12,5"). Empty
    is None; anything else unreadable is a ValueError. Amounts read as typed into forms
    (core.money.parse_amount): "12k", "1.2M"."""
    if value is None:
        return None
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None
    negative = text.startswith("-")
    text = text.lstrip("-").strip()
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text) or re.fullmatch(
        r"[0-9]{1,3}( [0-9]{3})+(\.[0-9]+)?", text
    ):
        text = text.replace(",", "").replace(" ", "")
    elif re.fullmatch(r"[0-9]+,[0-9]{1,2}", text):
        text = text.replace(",", ".")  # 12,5 (a decimal comma)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        raise ValueError(f"“{value}” is not {what} (write it like 42 or 3.5).")
    number = Decimal(text)
    return -number if negative else number


class AmountWidget(widgets.Widget):
    def __init__(self, *, places=2):
        super().__init__()
        self.places = Decimal(1).scaleb(-places)

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if re.fullmatch(r"-?[0-9]+,[0-9]{1,2}", text):
            text = text.replace(",", ".")  # 3,5: a decimal comma, as ;-separated files have
        try:
            number = parse_amount(text)
        except AmountError:
            raise ValueError(
                f"“{value}” is not an amount (write it like 12k, 1.2M or 3,034,500)."
            ) from None
        return None if number is None else number.quantize(self.places)


class NumberWidget(widgets.Widget):
    """A decimal (percentages, hours) or, with `integer`, a whole number."""

    def __init__(self, *, integer=False, places=2):
        super().__init__()
        self.integer = integer
        self.places = Decimal(1).scaleb(-places)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().rstrip("%").strip()
        number = parse_number(text, what="a whole number" if self.integer else "a number")
        if number is None:
            return None
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(f"“{value}” is not a whole number.")
            return int(number)
        return number.quantize(self.places)


def parse_date(value) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    readings = set()
    for pattern in ("%d/%m/%Y", "%m/%d/%Y"):
        try:
            readings.add(datetime.strptime(text, pattern).date())
        except ValueError:
            continue
    if len(readings) == 1:
        return readings.pop()
    if readings:
        raise ValueError(f"“{value}” could be two dates: write it as YYYY-MM-DD.")
    raise ValueError(f"“{value}” is not a date (write it as YYYY-MM-DD).")


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)


class MonthWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        for pattern in ("%Y-%m", "%Y/%m", "%m/%Y", "%m.%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        try:
            return parse_date(text).replace(day=1)
        except ValueError:
            raise ValueError(f"“{value}” is not a month (write it as YYYY-MM).") from None


class TextWidget(widgets.Widget):
    def __init__(self, *, max_length=None):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"Longer than {self.max_length} characters.")
        return text


class LookupWidget(widgets.Widget):
    """A reference resolved by the resource (`resolve(value)` returns the object or
    raises ValueError): accounts, users, stages, list entries..."""

    def __init__(self, resolve, *, optional=True):
        super().__init__()
        self.resolve = resolve
        self.optional = optional

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        return self.resolve(str(value).strip())
