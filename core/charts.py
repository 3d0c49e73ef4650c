"""What every chart shares: the palette and fonts, thinning a long series, and the
trend line of a 0–100 value over time (the RPI, health).

Charts are pure functions over plain numbers returning standalone SVG: explicit width,
height and viewBox; colours and fonts as presentation attributes (font families by
name only, nothing fetched); `role="img"` with a `<title>` and `<desc>` for screen
readers. The same markup serves the pages and the WeasyPrint PDFs."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from html import escape

FONT_FAMILY = (
    "'Inter Variable', Inter, 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
)
INK = "#172033"
MUTED = "#5b6577"
GRID = "#dde2ea"
BRAND = "#1d4ed8"
BRAND_SOFT = "#e8efff"
OK = "#15803d"
WARN = "#b45309"
BAD = "#b91c1c"

MAX_POINTS = 120


def sample_indexes(length: int, max_points: int, *, keep: Iterable[int] = ()) -> list[int]:
    """At most `max_points` indexes of a sequence of `length`, evenly spread, ascending,
    always with the first, the last and those in `keep`.

    A subset of a monotonic curve's points, taken in order, is still monotonic: that is
    all the Pareto curve needs, its points being cumulative sums of sorted values.
    """
    if length <= 0:
        return []
    keep = sorted({i for i in keep if 0 <= i < length} | {0, length - 1})
    if length <= max_points:
        return list(range(length))
    if len(keep) > max_points:
        raise ValueError("More indexes to keep than points allowed.")
    # `spread` evenly spaced indexes, of which the first and last are in `keep` already:
    # at most len(keep) + spread - 2 = max_points in all.
    spread = max_points - len(keep) + 2
    chosen = set(keep)
    chosen.update(round(j * (length - 1) / (spread - 1)) for j in range(spread))
    return sorted(chosen)


def trend_svg(
    points: Sequence[tuple[date, Decimal | float]],
    *,
    target: int | None = None,
    width: int = 560,
    height: int = 200,
    id_prefix: str = "rpi-trend",
    title: str = "Relationship Penetration Index over time",
) -> str:
    """A line of 0–100 values over dates, with the target as a dashed line.

    Needs at least one point; one point is drawn as a dot. At most MAX_POINTS are drawn
    (evenly thinned, first and last kept).
    """
    if not points:
        raise ValueError("No trend without at least one value.")
    points = sorted(points)
    keep = sample_indexes(len(points), MAX_POINTS)
    points = [points[i] for i in keep]
    left, right, top, bottom = 36, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def sx(day: date) -> float:
        if first == last:
            return round(left + plot_w / 2, 2)
        return round(left + plot_w * (day - first).days / span, 2)

    def sy(value) -> float:
        return round(top + plot_h * (1 - float(value) / 100), 2)

    latest = points[-1][1]
    description = (
        f"{len(points)} value{'s' if len(points) != 1 else ''} from {first:%d %b %Y} to "
        f"{last:%d %b %Y}; latest {float(latest):.1f}"
        + (f"; target {target}" if target is not None else "")
        + "."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-trend" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="11" fill="{INK}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<g class="grid" stroke="{GRID}" stroke-width="1">',
    ]
    for t in (0, 25, 50, 75, 100):
        out.append(f'<line x1="{left}" y1="{sy(t)}" x2="{left + plot_w}" y2="{sy(t)}"/>')
    out.append("</g>")
    out.append(f'<g class="tick-labels" fill="{MUTED}">')
    for t in (0, 50, 100):
        out.append(f'<text x="{left - 6}" y="{sy(t) + 4}" text-anchor="end">{t}</text>')
    out.append(f'<text x="{left}" y="{height - 8}">{first:%d %b %Y}</text>')
    if first != last:
        out.append(
            f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end">{last:%d %b %Y}</text>'
        )
    out.append("</g>")
    if target is not None:
        out.append(
            f'<line class="target" x1="{left}" y1="{sy(target)}" x2="{left + plot_w}" '
            f'y2="{sy(target)}" stroke="{WARN}" stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        out.append(
            f'<text class="target-label" x="{left + 4}" y="{sy(target) - 4}" fill="{WARN}">'
            f"Tier target {target}</text>"
        )
    if len(points) > 1:
        line = " ".join(f"{sx(d)},{sy(v)}" for d, v in points)
        out.append(
            f'<polyline class="line" points="{line}" fill="none" stroke="{BRAND}" '
            f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    last_x, last_y = sx(last), sy(latest)
    out.append(
        f'<circle class="latest" cx="{last_x}" cy="{last_y}" r="4" fill="{BRAND}" '
        f'stroke="#fff" stroke-width="1.5"/>'
    )
    anchor, dx = ("end", -8) if last_x > left + plot_w / 2 else ("start", 8)
    out.append(
        f'<text class="latest-label" x="{last_x + dx}" y="{max(last_y - 8, top + 10)}" '
        f'text-anchor="{anchor}" font-weight="600">{float(latest):.1f}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
