"""Small server-rendered SVG charts of scorecards: a sparkline of a metric's actuals
against its targets over past periods. Pure functions returning standalone SVG (the same
colours and fonts as the other charts), so PDFs can reuse them."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from html import escape

from core.charts import BAD, BRAND, FONT_FAMILY, GRID, INK, MUTED, OK, WARN
from core.money import amount, is_money_unit

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
    if is_money_unit(unit):
        latest_text = amount(latest)
    else:
        latest_text = f"{latest:,.2f}{(' ' + unit) if unit else ''}"
    description = (
        f"{label}: {len(actuals)} actual{'s' if len(actuals) != 1 else ''} from "
        f"{first:%b %Y} to {last:%b %Y}; latest {latest_text}"
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


BAND_COLOURS = {"green": OK, "amber": "#d97706", "red": BAD, "none": "#cbd5e1"}
BAND_LABELS = {
    "green": "green (70+)",
    "amber": "amber (40–69)",
    "red": "red (<40)",
    "none": "not measured",
}


def bands_svg(rows: Sequence[tuple[str, Mapping[str, int]]], *, title: str) -> str:
    """A stacked horizontal bar per row (a tier, or the whole team) of its accounts by
    health band, each segment labelled with its count where it fits."""
    if not rows:
        return ""
    left, right, top, bar_h, gap = 130, 16, 30, 22, 12
    width = 640
    height = top + len(rows) * (bar_h + gap) + 4
    plot_w = width - left - right
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bands" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT_FAMILY}" font-size="12" fill="{INK}">',
        f"<title>{escape(title)}</title>",
    ]
    x = left
    for band in ("green", "amber", "red", "none"):
        out.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{BAND_COLOURS[band]}"/>'
            f'<text x="{x + 14}" y="15" fill="{MUTED}" font-size="11">{BAND_LABELS[band]}</text>'
        )
        x += 110
    for index, (label, counts) in enumerate(rows):
        y = top + index * (bar_h + gap)
        total = sum(counts.get(b, 0) for b in BAND_COLOURS)
        out.append(
            f'<text x="{left - 8}" y="{y + bar_h / 2 + 4}" text-anchor="end">{escape(label)}</text>'
        )
        if not total:
            out.append(
                f'<text x="{left}" y="{y + bar_h / 2 + 4}" fill="{MUTED}">no accounts</text>'
            )
            continue
        x = float(left)
        for band in ("green", "amber", "red", "none"):
            n = counts.get(band, 0)
            if not n:
                continue
            w = plot_w * n / total
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{BAND_COLOURS[band]}"><title>{escape(label)}: {n} {BAND_LABELS[band]}'
                "</title></rect>"
            )
            if w >= 28:
                colour = INK if band == "none" else "#fff"
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_h / 2 + 4}" text-anchor="middle" '
                    f'fill="{colour}" font-weight="600">{n:,}</text>'
                )
            x += w
    out.append("</svg>")
    return "".join(out)


SERIES_COLOURS = ["#1d4ed8", "#0891b2", "#7c3aed", "#64748b", "#db2777"]


def lines_svg(
    series: Sequence[tuple[str, Sequence[tuple[date, float]]]], *, title: str, height: int = 220
) -> str:
    """Several 0–100 lines over dates with a legend (the mean health per tier)."""
    points = [p for _, values in series for p in values]
    if not points:
        return ""
    width, left, right, top, bottom = 640, 36, 16, 30, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    first = min(d for d, _ in points)
    last = max(d for d, _ in points)
    span = max((last - first).days, 1)

    def sx(day):
        if first == last:
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * (day - first).days / span, 1)

    def sy(value):
        return round(top + plot_h * (1 - float(value) / 100), 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-lines" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT_FAMILY}" font-size="11" fill="{INK}">',
        f"<title>{escape(title)}</title>",
    ]
    for t in (0, 40, 70, 100):
        out.append(
            f'<line x1="{left}" y1="{sy(t)}" x2="{left + plot_w}" y2="{sy(t)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{sy(t) + 4}" text-anchor="end" fill="{MUTED}">{t}</text>'
        )
    out.append(f'<text x="{left}" y="{height - 8}" fill="{MUTED}">{first:%d %b %Y}</text>')
    if first != last:
        out.append(
            f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end" fill="{MUTED}">'
            f"{last:%d %b %Y}</text>"
        )
    x = left
    for index, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        out.append(
            f'<rect x="{x}" y="8" width="12" height="3" fill="{colour}"/>'
            f'<text x="{x + 16}" y="13" fill="{MUTED}">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
        values = sorted(values)
        if len(values) > 1:
            path = " ".join(f"{sx(d)},{sy(v)}" for d, v in values)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                'stroke-linejoin="round"/>'
            )
        if values:
            d, v = values[-1]
            out.append(
                f'<circle cx="{sx(d)}" cy="{sy(v)}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)}: {v:.1f} on {d:%d %b %Y}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)
