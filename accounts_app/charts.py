"""The RPI trend chart: a pure function over (date, value) pairs returning standalone
SVG, like segmentation/charts.py (same colours and fonts), so PDFs can reuse it."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

from segmentation.charts import BRAND, FONT_FAMILY, GRID, INK, MUTED, sample_indexes

WARN = "#b45309"
MAX_POINTS = 120


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
