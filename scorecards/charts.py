"""Small server-rendered SVG charts of scorecards: a sparkline of a metric's actuals
against its targets over past periods. Pure functions returning standalone SVG (the same
colours and fonts as the other charts), so PDFs can reuse them."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

from segmentation.charts import BRAND, FONT_FAMILY, GRID, INK, MUTED

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


def perception_svg(rows: Sequence[tuple[str, Decimal | None, Decimal | None, bool]]) -> str:
    """Per survey dimension, the customers' mean and the team's on the 1–5 scale, joined
    by a line (red where the gap is a blind spot). rows: (name, customer, internal, blind)."""
    if not rows:
        return ""
    left, right, top, row_h = 170, 24, 50, 30
    width = 640
    height = top + row_h * len(rows) + 10
    plot_w = width - left - right

    def sx(value) -> float:
        return round(left + plot_w * (float(value) - 1) / 4, 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-perception" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT_FAMILY}" font-size="12" fill="{INK}">',
        "<title>The customers' answers against the team's predictions, 1 to 5</title>",
    ]
    for tick in range(1, 6):
        x = sx(tick)
        out.append(
            f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{height - 10}" stroke="{GRID}"/>'
            f'<text x="{x}" y="{top - 12}" text-anchor="middle" fill="{MUTED}">{tick}</text>'
        )
    out.append(
        f'<circle cx="{left}" cy="9" r="5" fill="{BRAND}"/>'
        f'<text x="{left + 9}" y="13" fill="{MUTED}">customers</text>'
        f'<circle cx="{left + 95}" cy="9" r="5" fill="#fff" stroke="{INK}" stroke-width="2"/>'
        f'<text x="{left + 104}" y="13" fill="{MUTED}">our team</text>'
    )
    for index, (name, customer, internal, blind) in enumerate(rows):
        y = top + row_h * index + row_h / 2
        weight = ' font-weight="700"' if blind else ""
        out.append(
            f'<text x="{left - 10}" y="{y + 4}" text-anchor="end"{weight}>{escape(name)}</text>'
        )
        if customer is not None and internal is not None:
            colour = BAD if blind else MUTED
            out.append(
                f'<line x1="{sx(customer)}" y1="{y}" x2="{sx(internal)}" y2="{y}" '
                f'stroke="{colour}" stroke-width="{3 if blind else 2}"/>'
            )
        if customer is not None:
            out.append(
                f'<circle cx="{sx(customer)}" cy="{y}" r="6" fill="{BRAND}">'
                f"<title>{escape(name)}: customers {customer}</title></circle>"
            )
        if internal is not None:
            out.append(
                f'<circle cx="{sx(internal)}" cy="{y}" r="6" fill="#fff" stroke="{INK}" '
                f'stroke-width="2"><title>{escape(name)}: our team {internal}</title></circle>'
            )
    out.append("</svg>")
    return "".join(out)
