"""Amounts as people read and type them (core.money): one formatter, one parser."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

from core.money import AMOUNT_EXAMPLES, AmountError, amount, amount_for_input, compact, parse_amount

NBSP = "\u00a0"


def test_the_default_currency_is_the_euro():
    assert settings.STRATA_CURRENCY == "EUR"


@pytest.mark.parametrize(
    "value,whole,short",
    [
        (3034500, "€3,034,500", "€3.0M"),
        (Decimal("3034500.00"), "€3,034,500", "€3.0M"),
        (450000, "€450,000", "€450k"),
        (950000, "€950,000", "€950k"),
        (999999, "€999,999", "€1.0M"),  # 999.999k rounds to 1000k: one million
        (900, "€900", "€900"),
        (Decimal("999.6"), "€1,000", "€1k"),
        (Decimal("0.5"), "€1", "€1"),  # halves round up, as people do
        (0, "€0", "€0"),
        (Decimal("-0.4"), "€0", "€0"),  # no "-€0"
        (-1200, "-€1,200", "-€1k"),
        (Decimal("-3034500"), "-€3,034,500", "-€3.0M"),
        (1_234_567_890, "€1,234,567,890", "€1.2bn"),
        (12.5, "€13", "€13"),
    ],
)
def test_amounts_carry_the_currency(value, whole, short):
    assert amount(value) == whole
    assert compact(value) == short


def test_unknown_amounts_read_as_a_dash():
    assert amount(None) == "—"
    assert compact(None) == "—"


@pytest.mark.parametrize(
    "code,whole,short",
    [
        ("USD", "$3,034,500", "$3.0M"),
        ("GBP", "£3,034,500", "£3.0M"),
        ("JPY", "¥3,034,500", "¥3.0M"),
        ("CHF", f"CHF{NBSP}3,034,500", f"CHF{NBSP}3.0M"),
        ("CAD", f"CAD{NBSP}3,034,500", f"CAD{NBSP}3.0M"),  # "CA$" is no one-character sign
    ],
)
def test_the_setting_chooses_the_symbol(code, whole, short):
    with override_settings(STRATA_CURRENCY=code):
        assert amount(3034500) == whole
        assert compact(3034500) == short
        assert parse_amount(whole) == Decimal(3034500)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12k", "12000"),
        ("12K", "12000"),
        ("12 k", "12000"),
        ("1.2M", "1200000"),
        ("1.2m", "1200000"),
        ("1.5bn", "1500000000"),
        ("1.5B", "1500000000"),
        ("3,034,500", "3034500"),
        ("3034500", "3034500"),
        ("3 034 500", "3034500"),
        ("3\u202f034\u202f500", "3034500"),  # narrow no-break spaces, as some locales copy
        ("€3,034,500", "3034500"),
        ("3,034,500 €", "3034500"),
        ("EUR 12k", "12000"),
        ("3,034,500.50", "3034500.50"),
        ("  12k  ", "12000"),
        ("0.5k", "500"),
        ("1.2345k", "1234.5"),
        ("1,200k", "1200000"),
        (".5", "0.5"),
        ("0", "0"),
        ("-€1,200", "-1200"),  # the sign is kept: the field's validators decide
        ("€-1,200", "-1200"),
        ("−5", "-5"),  # a typographic minus
    ],
)
def test_parse_amount_reads_what_people_type(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["12kk", "abc", "1,2,3", "1.2.3", "1,5", "12 000,5", "1e3", "--5", "-€-5", "€", "$5", "k"],
)
def test_parse_amount_refuses_the_unreadable_and_the_ambiguous(text):
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.message == AMOUNT_EXAMPLES
    assert AMOUNT_EXAMPLES == "Enter an amount such as 12k, 1.2M or 3,034,500."


def test_parse_amount_reads_nothing_as_none():
    assert parse_amount("") is None
    assert parse_amount("   ") is None


def test_parse_amount_reads_a_number_longer_than_decimals_default_precision():
    # Found beside schemathesis (issue 19): past 28 digits quantize() raised InvalidOperation.
    assert parse_amount("9" * 40) == Decimal("9" * 40)
    assert parse_amount("-" + "9" * 30 + ".5") == Decimal("-" + "9" * 30 + ".5")
    assert parse_amount("9" * 37 + "bn") == Decimal("9" * 37 + "0" * 9)


def test_parse_amount_gives_a_plain_decimal_not_an_exponent():
    assert str(parse_amount("1.2M")) == "1200000"
    assert str(parse_amount("12k")) == "12000"


@pytest.mark.parametrize(
    "value,text",
    [(Decimal("3034500.00"), "3,034,500"), (Decimal("3034500.50"), "3,034,500.50"), (None, "")],
)
def test_an_amount_shows_in_an_input_as_it_reads_back(value, text):
    assert amount_for_input(value) == text
    assert parse_amount(text) == value


def test_template_filters():
    rendered = Template(
        "{% load money %}{{ a|money }} {{ a|money_compact }} {{ none|money }} "
        "{{ text|money }} {{ '€'|is_money_unit }} {{ '%'|is_money_unit }} {% currency %}"
    ).render(Context({"a": Decimal("3034500.00"), "none": None, "text": "—"}))
    assert rendered == "€3,034,500 €3.0M — — True False €"


def test_a_bare_amount_is_whole_without_the_currency_and_empty_when_unknown():
    rendered = Template(
        "{% load money %}[{{ a|money_bare }}] [{{ zero|money_bare }}] [{{ none|money_bare }}] "
        "[{{ minus|money_bare }}]"
    ).render(
        Context(
            {"a": Decimal("3034500.50"), "zero": Decimal(0), "none": None, "minus": Decimal(-1200)}
        )
    )
    assert rendered == "[3,034,501] [0] [] [-1,200]"
