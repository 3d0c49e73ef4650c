"""Bar widths as classes (the Content-Security-Policy refuses style attributes)."""

from decimal import Decimal

import pytest

from core.templatetags.bars import bar_width


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "bar-w0"),
        (37.4, "bar-w37"),
        (Decimal("37.5"), "bar-w38"),
        ("62", "bar-w62"),
        (100, "bar-w100"),
        (130, "bar-w100"),
        (-5, "bar-w0"),
        (None, "bar-w0"),
        ("", "bar-w0"),
        (float("nan"), "bar-w0"),
    ],
)
def test_a_bar_is_a_whole_per_cent_within_0_and_100(value, expected):
    assert bar_width(value) == expected


def test_every_class_has_its_rule():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "bars.css").read_text()
    for width in range(101):
        assert f".bar-w{width} {{ width: {width}%; }}" in css
