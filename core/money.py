"""Amounts as people read and type them: the one place money is formatted and parsed.

Money is a Decimal everywhere; these only turn it into text and back. Every amount is
shown in the organisation's currency, `settings.STRATA_CURRENCY` (an ISO 4217 code):
a one-character symbol goes straight before the number ("€3,034,500", "$3.0M"); a
currency without one shows its code and a no-break space ("CHF 3,034,500"). The symbols
are Babel's (CLDR, English), the same data every browser and spreadsheet uses.

Negative amounts carry an ASCII minus before the symbol ("-€1,200"), the form a person
can type back.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

from babel.numbers import get_currency_symbol
from django.conf import settings

UNKNOWN = "—"
NO_BREAK_SPACE = "\u00a0"
AMOUNT_EXAMPLES = "Enter an amount such as 12k, 1.2M or 3,034,500."


# --- The currency -----------------------------------------------------------------------


def currency_code() -> str:
    return settings.STRATA_CURRENCY


@lru_cache(maxsize=16)
def _prefix(code: str) -> str:
    symbol = get_currency_symbol(code, locale="en")
    return symbol if len(symbol) == 1 else f"{code}{NO_BREAK_SPACE}"


def currency_prefix() -> str:
    """What goes before a number: "€", "$", or "CHF" and a no-break space."""
    return _prefix(currency_code())


def currency_label() -> str:
    """The currency as a unit beside a label or a metric: "€", "$", "CHF"."""
    return currency_prefix().strip()


def is_money_unit(unit: str | None) -> bool:
    """Whether a free-text unit (a scorecard metric's) means the organisation's currency."""
    text = (unit or "").strip()
    return bool(text) and (text == currency_label() or text.upper() == currency_code())


# --- Formatting -------------------------------------------------------------------------


def _decimal(value: Decimal | float | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _signed(number: str, negative: bool) -> str:
    return f"{'-' if negative else ''}{currency_prefix()}{number}"


def amount(value: Decimal | float | int | None) -> str:
    """The whole amount with its currency and thousands separators ("€3,034,500"), for
    tables and details; "—" when unknown."""
    if value is None:
        return UNKNOWN
    whole = _decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _signed(f"{abs(whole):,.0f}", whole < 0)


def bare(value: Decimal | float | int | None) -> str:
    """The whole amount without its currency ("3,034,500"), for a grid of amounts whose
    heading names the currency once; "" when unknown (an empty cell)."""
    if value is None:
        return ""
    whole = _decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{'-' if whole < 0 else ''}{abs(whole):,.0f}"


def compact(value: Decimal | float | int | None) -> str:
    """A short amount for tiles and charts: "€3.0M", "€450k", "€900", "€1.2bn"."""
    if value is None:
        return UNKNOWN
    number = _decimal(value)
    size = abs(number)
    index = max(i for i, (scale, _, _) in enumerate(_SCALES) if i == 0 or size >= scale)
    while True:
        scale, suffix, places = _SCALES[index]
        shown = (size / scale).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
        # 999,999 rounds to 1000k: say "€1.0M" instead.
        if shown < 1000 or index == len(_SCALES) - 1:
            return _signed(f"{shown:,.{places}f}{suffix}", number < 0 and shown > 0)
        index += 1


_SCALES = (
    (Decimal(1), "", 0),
    (Decimal(1_000), "k", 0),
    (Decimal(1_000_000), "M", 1),
    (Decimal(1_000_000_000), "bn", 1),
)


# --- Parsing ----------------------------------------------------------------------------


class AmountError(ValueError):
    """Text that is not an amount; its message says what would be."""

    def __init__(self, message: str = AMOUNT_EXAMPLES):
        super().__init__(message)
        self.message = message


MULTIPLIERS = {
    "": Decimal(1),
    "k": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "b": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
}
# Whole part: groups of three after a first of one to three digits, all separated by
# commas or all by spaces ("3,034,500", "3 034 500"), or plain digits. "1,2,3" and
# "1,5" match neither: a decimal comma is refused rather than misread.
_NUMBER = re.compile(
    r"""
    (?P<sign>[-+]?)\s*
    (?:
        (?P<whole>\d{1,3}(?:,\d{3})+|\d{1,3}(?:\ \d{3})+|\d+)(?:\.(?P<fraction>\d+))?
      | \.(?P<fraction_only>\d+)
    )
    \s*(?P<suffix>k|mn|m|bn|b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
MAX_LENGTH = 40


def _strip_currency(text: str) -> str:
    """The text without the organisation's symbol or code at either end (and a sign
    typed before the symbol kept: "-€1,200")."""
    sign = ""
    if text[:1] in "-+":
        sign, text = text[0], text[1:].lstrip()
    for mark in sorted({currency_label(), currency_code()}, key=len, reverse=True):
        if text.upper().startswith(mark.upper()):
            text = text[len(mark) :].lstrip()
            break
        if text.upper().endswith(mark.upper()):
            text = text[: -len(mark)].rstrip()
            break
    if sign and text[:1] in "-+":
        raise AmountError()
    return sign + text


def parse_amount(text: str) -> Decimal | None:
    """The amount a person typed: "12k" → 12000, "1.2M" → 1200000, "3,034,500",
    "3 034 500", "€3,034,500.50", "1.5bn". None for nothing typed; AmountError for
    anything unreadable or ambiguous ("12kk", "1,2,3", "1.2.3", "abc").

    The sign is kept: whether a negative amount is allowed is the field's rule."""
    text = _SPACES.sub(" ", text.replace("\u2212", "-")).strip()
    if not text:
        return None
    if len(text) > MAX_LENGTH:
        raise AmountError()
    match = _NUMBER.fullmatch(_strip_currency(text))
    if not match:
        raise AmountError()
    whole = (match["whole"] or "0").replace(",", "").replace(" ", "")
    fraction = match["fraction"] or match["fraction_only"] or ""
    try:
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits digits only
        raise AmountError() from exc
    # Exact at any length the text can have (MAX_LENGTH digits, times a billion): the
    # default 28 digits made quantize() raise on a longer number. Too long for its field,
    # it is refused by the field, which says how many digits it takes.
    with localcontext(prec=MAX_LENGTH + 12):
        value *= MULTIPLIERS[(match["suffix"] or "").lower()]
        if match["sign"] == "-":
            value = -value
        # 1.2 × 1,000,000 is 1200000.0: say it as 1200000, not 1.2E+6 or with a stray ".0".
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def amount_for_input(value: Decimal | float | int | None) -> str:
    """An amount as an input shows it for editing, without the currency: "3,034,500",
    "3,034,500.5" (cents kept when there are any); parse_amount reads it back."""
    if value is None or value == "":
        return ""
    number = _decimal(value)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    return f"{number:,f}"
