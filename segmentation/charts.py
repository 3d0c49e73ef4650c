"""Server-rendered SVG charts: pure functions over plain numbers, no ORM, no Django.

The SVG they return is self-contained so the same markup serves the pages and the
WeasyPrint PDFs: explicit width, height and viewBox; colours and fonts as presentation
attributes (font families by name only, nothing fetched); `role="img"` with a
`<title>` and `<desc>` for screen readers. CSS may add to it (charts.css makes it
fluid on screen) but need not.

Pareto (revenue concentration)
------------------------------
Given the revenues of n accounts, sorted from the largest to the smallest:

- point i (i = 0..n) of the curve is x_i = 100·i/n (% of accounts) and
  y_i = 100·(r_1 + … + r_i)/R (% of revenue), where R is the total revenue;
- k = ceil(0.2·n) is the number of "top 20 %" accounts (at least one as soon as there
  is one account; computed in integers, so 15 accounts give k = 3, not 4);
- the top-20 % share = 100·(r_1 + … + r_k)/R.

Ties do not change the share: whichever of two equal revenues falls inside the top k,
the sum is the same. The marker sits on the curve at the point (x_k, y_k): x_k is
exactly 20 % when n is a multiple of 5 and a little more otherwise (one account of one
is 100 % of the accounts), so the dot always shows a real account boundary rather than
an interpolation between two of them. With no accounts, or a total revenue of 0, there
is no curve to draw: `Pareto.chartable` is false and `pareto_svg` refuses.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from html import escape

from core.charts import BRAND, BRAND_SOFT, FONT_FAMILY, GRID, INK, MUTED, sample_indexes

TOP_PERCENT = 20
MAX_POINTS = 200


@dataclass(frozen=True)
class Pareto:
    n: int
    k: int
    total_revenue: Decimal
    top_revenue: Decimal
    top_share_pct: float | None  # None when there is nothing to share (n = 0 or R = 0)
    points: tuple[tuple[float, float], ...]  # (x %, y %), downsampled, from (0, 0) to (100, 100)
    top_percent: int = TOP_PERCENT

    @property
    def chartable(self) -> bool:
        return self.n > 0 and self.total_revenue > 0

    @property
    def marker(self) -> tuple[float, float]:
        """(x %, y %) of the top-k boundary on the curve."""
        return 100 * self.k / self.n, self.top_share_pct


def top_count(n: int, top_percent: int = TOP_PERCENT) -> int:
    """ceil(top_percent/100 · n), in exact arithmetic (0.2 · 15 is 3.0000000000000004)."""
    share = Fraction(top_percent, 100) * n
    return -(-share.numerator // share.denominator)


def pareto(
    revenues: Iterable[Decimal | int | float],
    *,
    top_percent: int = TOP_PERCENT,
    max_points: int = MAX_POINTS,
) -> Pareto:
    """The Pareto curve of `revenues` (any order; sorted here, largest first)."""
    values = sorted((_decimal(value) for value in revenues), reverse=True)
    if values and values[-1] < 0:
        raise ValueError("Revenues cannot be negative.")
    n = len(values)
    k = top_count(n, top_percent)
    total = sum(values, Decimal("0"))
    top = sum(values[:k], Decimal("0"))
    if n == 0 or total == 0:
        return Pareto(n=n, k=k, total_revenue=total, top_revenue=top, top_share_pct=None, points=())
    cumulative = [Decimal("0")]
    for value in values:
        cumulative.append(cumulative[-1] + value)
    indexes = sample_indexes(n + 1, max_points, keep=(k,))
    points = tuple((100 * i / n, float(cumulative[i] * 100 / total)) for i in indexes)
    return Pareto(
        n=n,
        k=k,
        total_revenue=total,
        top_revenue=top,
        top_share_pct=float(top * 100 / total),
        points=points,
        top_percent=top_percent,
    )


def downsample(
    points: Sequence[tuple[float, float]], max_points: int = MAX_POINTS
) -> list[tuple[float, float]]:
    """At most `max_points` of `points`, in order, with the first and the last."""
    return [points[i] for i in sample_indexes(len(points), max_points)]


def format_pct(value: float) -> str:
    """A whole percentage (halves rounded up, as people do), except where rounding would
    claim 0 % or 100 % untruly."""
    exact = Decimal(str(value))
    if 0 < value < 0.5:
        return str(exact.quantize(Decimal("0.1"), rounding=ROUND_CEILING))
    if 99.5 <= value < 100:
        return str(exact.quantize(Decimal("0.1"), rounding=ROUND_FLOOR))
    return str(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pareto_summary(result: Pareto) -> str:
    """The chart's finding as a sentence (the SVG's description and the page's text)."""
    accounts = "account" if result.n == 1 else "accounts"
    return (
        f"The top {result.top_percent}% of accounts ({result.k:,} of {result.n:,} {accounts}) "
        f"bring {format_pct(result.top_share_pct)}% of revenue."
    )


def pareto_svg(
    result: Pareto,
    *,
    width: int = 640,
    height: int = 380,
    id_prefix: str = "pareto",
    title: str = "Revenue concentration (Pareto curve)",
) -> str:
    """The Pareto curve as an SVG document fragment (inline in HTML, or in a PDF)."""
    if not result.chartable:
        raise ValueError("No Pareto chart without accounts and revenue.")
    left, right, top, bottom = 56, 20, 16, 52
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return round(left + plot_w * x / 100, 2)

    def sy(y: float) -> float:
        return round(top + plot_h * (1 - y / 100), 2)

    ticks = range(0, 101, 20)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-pareto" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="12" fill="{INK}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(_description(result))}</desc>',
    ]
    # Grid, ticks and tick labels.
    out.append(f'<g class="grid" stroke="{GRID}" stroke-width="1">')
    for t in ticks:
        out.append(f'<line x1="{sx(t)}" y1="{sy(0)}" x2="{sx(t)}" y2="{sy(100)}"/>')
        out.append(f'<line x1="{sx(0)}" y1="{sy(t)}" x2="{sx(100)}" y2="{sy(t)}"/>')
    out.append("</g>")
    out.append(f'<g class="axis" stroke="{MUTED}" stroke-width="1">')
    out.append(f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(100)}" y2="{sy(0)}"/>')
    out.append(f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(0)}" y2="{sy(100)}"/>')
    for t in ticks:
        out.append(f'<line x1="{sx(t)}" y1="{sy(0)}" x2="{sx(t)}" y2="{sy(0) + 5}"/>')
        out.append(f'<line x1="{sx(0) - 5}" y1="{sy(t)}" x2="{sx(0)}" y2="{sy(t)}"/>')
    out.append("</g>")
    out.append(f'<g class="tick-labels" fill="{MUTED}" font-size="11">')
    for t in ticks:
        out.append(f'<text x="{sx(t)}" y="{sy(0) + 18}" text-anchor="middle">{t}%</text>')
        out.append(f'<text x="{sx(0) - 8}" y="{sy(t) + 4}" text-anchor="end">{t}%</text>')
    out.append("</g>")
    out.append(
        f'<text class="axis-label" x="{sx(50)}" y="{height - 8}" text-anchor="middle" '
        f'fill="{MUTED}">Share of accounts, largest revenue first</text>'
    )
    out.append(
        f'<text class="axis-label" x="14" y="{sy(50)}" text-anchor="middle" fill="{MUTED}" '
        f'transform="rotate(-90 14 {sy(50)})">Share of revenue</text>'
    )
    # What equal revenue for every account would look like: the curve's baseline.
    out.append(
        f'<line class="equal-share" x1="{sx(0)}" y1="{sy(0)}" x2="{sx(100)}" y2="{sy(100)}" '
        f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 4"/>'
    )
    polyline = " ".join(f"{sx(x)},{sy(y)}" for x, y in result.points)
    out.append(
        f'<polygon class="area" points="{polyline} {sx(100)},{sy(0)}" '
        f'fill="{BRAND_SOFT}" fill-opacity="0.6" stroke="none"/>'
    )
    out.append(
        f'<polyline class="curve" points="{polyline}" fill="none" stroke="{BRAND}" '
        f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
    )
    # The marker: guides to both axes, the dot, the finding.
    mx, my = result.marker
    out.append(
        f'<g class="marker" stroke="{INK}" stroke-width="1" stroke-dasharray="3 3">'
        f'<line x1="{sx(mx)}" y1="{sy(0)}" x2="{sx(mx)}" y2="{sy(my)}"/>'
        f'<line x1="{sx(0)}" y1="{sy(my)}" x2="{sx(mx)}" y2="{sy(my)}"/></g>'
    )
    out.append(
        f'<circle class="marker-dot" cx="{sx(mx)}" cy="{sy(my)}" r="5" fill="{BRAND}" '
        f'stroke="#fff" stroke-width="2"/>'
    )
    label = f"Top {result.top_percent}% of accounts: {format_pct(result.top_share_pct)}% of revenue"
    # Below and to the right of the dot lies the space between the curve and the
    # diagonal; near the right edge the label turns to end at the dot instead.
    anchor, dx = ("end", -10) if mx > 55 else ("start", 10)
    label_y = min(sy(my) + 22, sy(0) - 8)
    position = f'x="{sx(mx) + dx}" y="{label_y}" text-anchor="{anchor}" font-weight="600"'
    # A white halo keeps the label legible over the curve: a copy drawn underneath, as
    # WeasyPrint ignores `paint-order`.
    out.append(
        f'<text class="marker-halo" {position} fill="#fff" stroke="#fff" stroke-width="4" '
        f'stroke-linejoin="round" aria-hidden="true">{escape(label)}</text>'
    )
    out.append(f'<text class="marker-label" {position} fill="{INK}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _description(result: Pareto) -> str:
    return (
        f"Cumulative share of revenue against cumulative share of accounts, "
        f"{result.n} accounts sorted by revenue, largest first. {pareto_summary(result)}"
    )


def _decimal(value: Decimal | int | float) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(str(value))
