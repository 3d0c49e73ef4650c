"""The Pareto curve and its SVG: pure functions, checked against hand-worked numbers."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from segmentation.charts import (
    MAX_POINTS,
    downsample,
    format_pct,
    pareto,
    pareto_summary,
    pareto_svg,
    sample_indexes,
    top_count,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("n", "k"), [(0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (15, 3), (16, 4), (10_000, 2000)]
)
def test_top_count_is_the_ceiling_of_a_fifth(n, k):
    assert top_count(n) == k


def test_one_big_account_of_four_brings_half_the_revenue():
    result = pareto([Decimal(50), Decimal(30), Decimal(10), Decimal(10)])
    assert (result.n, result.k) == (4, 1)
    assert result.total_revenue == 100
    assert result.top_revenue == 50
    assert result.top_share_pct == 50.0
    assert result.points == ((0, 0), (25, 50), (50, 80), (75, 90), (100, 100))
    assert result.marker == (25, 50)


def test_revenues_are_sorted_largest_first_whatever_their_order():
    assert pareto([10, 50, 10, 30]).points == pareto([50, 30, 10, 10]).points


def test_ten_equal_accounts_bring_their_fair_share():
    result = pareto([Decimal("1000.00")] * 10)
    assert result.k == 2
    assert result.top_share_pct == pytest.approx(20.0)
    assert all(x == pytest.approx(y) for x, y in result.points)


def test_fifteen_accounts_give_three_not_four_top_accounts():
    result = pareto([100] + [10] * 14)
    assert result.k == 3
    assert result.top_revenue == 120
    assert result.top_share_pct == pytest.approx(120 / 240 * 100)


def test_ties_at_the_boundary_do_not_change_the_share():
    # Six accounts, k = 2: the second place is shared by three accounts of 20.
    result = pareto([40, 20, 20, 20, 0, 0])
    assert result.k == 2
    assert result.top_share_pct == pytest.approx(60 / 100 * 100)


def test_one_account_is_the_whole_top_and_the_whole_revenue():
    result = pareto([Decimal("12345.67")])
    assert (result.n, result.k, result.top_share_pct) == (1, 1, 100.0)
    assert result.points == ((0, 0), (100, 100))
    assert result.marker == (100, 100)
    assert pareto_summary(result) == (
        "The top 20% of accounts (1 of 1 account) bring 100% of revenue."
    )


def test_zero_revenue_has_no_share_and_no_chart():
    result = pareto([0, 0, 0])
    assert (result.n, result.k) == (3, 1)
    assert result.top_share_pct is None
    assert not result.chartable
    with pytest.raises(ValueError):
        pareto_svg(result)


def test_no_accounts_have_no_share_and_no_chart():
    result = pareto([])
    assert (result.n, result.k, result.top_share_pct, result.points) == (0, 0, None, ())
    assert not result.chartable


def test_negative_revenue_is_refused():
    with pytest.raises(ValueError):
        pareto([10, -1])


def test_ten_thousand_accounts_are_drawn_with_at_most_the_cap_of_points():
    revenues = [Decimal(10_000 - i) for i in range(10_000)]
    result = pareto(revenues)
    assert len(result.points) <= MAX_POINTS
    assert result.points[0] == (0, 0)
    assert result.points[-1] == (100, pytest.approx(100))
    xs = [x for x, _ in result.points]
    ys = [y for _, y in result.points]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert ys == sorted(ys)
    # The top-20 % boundary is a real point of the curve, so the marker sits on it.
    assert result.marker in result.points
    assert result.marker[0] == 20
    assert "(2,000 of 10,000 accounts)" in pareto_summary(result)


def test_the_share_is_computed_from_every_account_not_the_drawn_points():
    revenues = [1_000_000] + [1] * 9_999
    result = pareto(revenues)
    assert result.k == 2000
    assert result.top_revenue == 1_000_000 + 1999
    assert result.top_share_pct == pytest.approx((1_000_000 + 1999) / (1_000_000 + 9_999) * 100)


@pytest.mark.parametrize("length", [0, 1, 2, 199, 200, 201, 1000, 10_001])
def test_sample_indexes_keep_endpoints_and_order_under_the_cap(length):
    indexes = sample_indexes(length, 200, keep=(length // 5,))
    assert len(indexes) <= 200
    assert indexes == sorted(set(indexes))
    if length:
        assert indexes[0] == 0 and indexes[-1] == length - 1
        assert length // 5 in indexes
    if length <= 200:
        assert indexes == list(range(length))


def test_downsample_keeps_first_and_last_points():
    points = [(i / 10, (i / 10) ** 0.5) for i in range(1001)]
    kept = downsample(points, 50)
    assert len(kept) <= 50
    assert kept[0] == points[0] and kept[-1] == points[-1]
    assert kept == sorted(kept)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (50.0, "50"),
        (62.5, "63"),
        (62.4, "62"),
        (99.7, "99.7"),
        (100.0, "100"),
        (0.2, "0.2"),
        (0.01, "0.1"),
        (99.99, "99.9"),
    ],
)
def test_percentages_never_round_to_a_false_zero_or_hundred(value, text):
    assert format_pct(value) == text


def test_svg_is_well_formed_and_self_contained():
    svg = pareto_svg(pareto([50, 30, 10, 10]), width=600, height=360)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "600",
        "360",
        "0 0 600 360",
    )
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert "1 of 4 accounts" in root.find(f"{SVG}desc").text
    assert root.get("aria-labelledby") == "pareto-title pareto-desc"
    # Nothing to fetch: no links, images, stylesheets or url(...) references.
    assert "href" not in svg and "url(" not in svg and "<image" not in svg
    assert "<style" not in svg and "@import" not in svg


def test_svg_states_the_top_twenty_percent_share_at_the_marker():
    root = ET.fromstring(pareto_svg(pareto([50, 30, 10, 10])))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "Top 20% of accounts: 50% of revenue" in texts
    assert {"0%", "20%", "40%", "60%", "80%", "100%"} <= set(texts)
    assert root.find(f"{SVG}circle[@class='marker-dot']") is not None


def test_svg_curve_has_one_vertex_per_drawn_point():
    result = pareto(list(range(1, 5001)))
    root = ET.fromstring(pareto_svg(result))
    curve = root.find(f"{SVG}polyline[@class='curve']")
    assert len(curve.get("points").split()) == len(result.points) <= MAX_POINTS


def test_svg_escapes_its_title():
    svg = pareto_svg(pareto([1, 2]), title="R&D <accounts>", id_prefix="p2")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "R&D <accounts>"
    assert root.find(f"{SVG}title").get("id") == "p2-title"


class RecordingFetcher(URLFetcher):
    def __init__(self):
        super().__init__()
        self.urls = []

    def fetch(self, url, headers=None):
        self.urls.append(url)
        raise ValueError(f"The chart must not fetch {url}")


def test_svg_renders_in_a_pdf_without_fetching_anything():
    fetcher = RecordingFetcher()
    svg = pareto_svg(pareto([50, 30, 10, 10]))
    pdf = HTML(string=f"<html><body>{svg}</body></html>", url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert fetcher.urls == []
