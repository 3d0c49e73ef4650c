"""Small server-rendered SVG charts of scorecards: a sparkline of a metric's actuals
against its targets over past periods. Pure functions returning standalone SVG (the same
colours and fonts as the other charts), so PDFs can reuse them."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

from segmentation.charts import BRAND, FONT_FAMILY, MUTED

OK, WARN, BAD = "#15803d", "#b45309", "#b91c1c"
STATUS_COLOURS = {"on_target": OK, "near": WARN, "off": BAD}


def sparkline_svg(
    points: Sequence[tuple[date, Decimal | None, Decimal | None]],
    *,
    status: str | None = None,
    label: str = "Trend",
    unit: str = "",
    width: int = 110,
    height: int = 28,
) -> str:
    """Actuals as a line (gaps where a period has none), targets as a dashed line, the
    latest actual as a dot in its status colour. Empty string without any actual."""
    actuals = [(d, a) for d, a, _ in points if a is not None]
    if not actuals:
        return ""
    values = [float(a) for _, a in actuals] + [float(t) for _, _, t in points if t is not None]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = 3
    n = len(points)

    def sx(index: int) -> float:
        return round(pad + (width - 2 * pad) * (index / (n - 1) if n > 1 else 0.5), 1)

    def sy(value) -> float:
        return round(pad + (height - 2 * pad) * (1 - (float(value) - low) / (high - low)), 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">'
    ]
    first, last = points[0][0], points[-1][0]
    latest = actuals[-1][1]
    description = (
        f"{label}: {len(actuals)} actual{'s' if len(actuals) != 1 else ''} from "
        f"{first:%b %Y} to {last:%b %Y}; latest {latest:,.2f}{(' ' + unit) if unit else ''}"
    )
    out.append(f"<title>{escape(description)}</title>")
    targets = [(i, t) for i, (_, _, t) in enumerate(points) if t is not None]
    if len(targets) > 1:
        path = " ".join(f"{sx(i)},{sy(t)}" for i, t in targets)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{MUTED}" stroke-width="1" '
            'stroke-dasharray="3 2"/>'
        )
    segment: list[str] = []
    segments = []
    for i, (_, actual, _) in enumerate(points):
        if actual is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            segment.append(f"{sx(i)},{sy(actual)}")
    if segment:
        segments.append(segment)
    for part in segments:
        if len(part) > 1:
            out.append(
                f'<polyline points="{" ".join(part)}" fill="none" stroke="{BRAND}" '
                'stroke-width="1.5" stroke-linejoin="round"/>'
            )
    last_index = max(i for i, (_, a, _) in enumerate(points) if a is not None)
    colour = STATUS_COLOURS.get(status, BRAND)
    out.append(f'<circle cx="{sx(last_index)}" cy="{sy(latest)}" r="2.5" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)
