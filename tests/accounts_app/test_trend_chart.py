"""The RPI trend chart: standalone, well-formed SVG with the target line."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.charts import MAX_POINTS, trend_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def test_a_trend_with_a_target():
    points = [(date(2026, 1, 1), Decimal("40.0")), (date(2026, 7, 1), Decimal("62.5"))]
    svg = ET.fromstring(trend_svg(points, target=70))
    assert svg.get("role") == "img"
    assert svg.find("svg:title", NS).text == "Relationship Penetration Index over time"
    assert "latest 62.5; target 70" in svg.find("svg:desc", NS).text
    line = svg.find(".//svg:polyline", NS).get("points").split()
    assert len(line) == 2
    # y = top + plot_h·(1 − v/100), top 12, plot_h 160: 40 → 108.0, 62.5 → 72.0
    assert [float(p.split(",")[1]) for p in line] == [108.0, 72.0]
    assert svg.find(".//svg:text[@class='target-label']", NS).text == "Tier target 70"


def test_the_target_line_height():
    """12 + 160·(1 − 70/100) = 60.0"""
    svg = ET.fromstring(trend_svg([(date(2026, 1, 1), 50), (date(2026, 2, 1), 50)], target=70))
    assert svg.find(".//svg:line[@class='target']", NS).get("y1") == "60.0"


def test_one_point_is_a_dot_and_no_points_is_refused():
    svg = ET.fromstring(trend_svg([(date(2026, 1, 1), 10)]))
    assert svg.find(".//svg:polyline", NS) is None
    assert svg.find(".//svg:circle", NS) is not None
    with pytest.raises(ValueError):
        trend_svg([])


def test_a_long_history_is_thinned_keeping_both_ends():
    start = date(2025, 1, 1)
    points = [(start + timedelta(days=i), i % 100) for i in range(730)]
    svg = ET.fromstring(trend_svg(points))
    line = svg.find(".//svg:polyline", NS).get("points").split()
    assert len(line) <= MAX_POINTS
    assert float(line[0].split(",")[0]) == 36.0  # the left edge of the plot
    assert float(line[-1].split(",")[0]) == 560 - 16
