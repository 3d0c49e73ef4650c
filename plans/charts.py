"""The plan's financials as a small server-rendered SVG (the packs' chart of revenue by
quarter against the target): the colours and fonts of the other charts."""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from core.charts import BRAND, FONT_FAMILY, GRID, INK, MUTED
from core.money import compact


def revenue_bars_svg(
    quarters: Sequence[tuple[str, Decimal | None]], *, target: Decimal | None, title: str
) -> str:
    """A bar per quarter (none where the quarter has no figure yet) and the annual target
    spread evenly over the quarters as a dashed line. Empty without any figure."""
    values = [float(v) for _, v in quarters if v is not None]
    if not values:
        return ""
    per_quarter = float(target) / len(quarters) if target else None
    top_value = max(values + ([per_quarter] if per_quarter else [])) or 1.0
    width, height, left, bottom, top = 420, 200, 56, 28, 16
    plot_h = height - top - bottom
    slot = (width - left - 10) / len(quarters)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / top_value), 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-revenue" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT_FAMILY}" font-size="11" fill="{INK}">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        out.append(
            f'<line x1="{left}" y1="{y(value)}" x2="{width - 10}" y2="{y(value)}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(value) + 4}" text-anchor="end" '
            f'fill="{MUTED}">{compact(value)}</text>'
        )
    for index, (label, value) in enumerate(quarters):
        x = left + slot * index + slot * 0.2
        bar_w = slot * 0.6
        out.append(
            f'<text x="{round(x + bar_w / 2, 1)}" y="{height - 10}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
        if value is None:
            continue
        v = float(value)
        out.append(
            f'<rect x="{round(x, 1)}" y="{y(v)}" width="{round(bar_w, 1)}" '
            f'height="{round(top + plot_h - y(v), 1)}" fill="{BRAND}">'
            f"<title>{escape(label)}: {compact(v)}</title></rect>"
            f'<text x="{round(x + bar_w / 2, 1)}" y="{y(v) - 4}" text-anchor="middle">'
            f"{compact(v)}</text>"
        )
    if per_quarter:
        out.append(
            f'<line x1="{left}" y1="{y(per_quarter)}" x2="{width - 10}" y2="{y(per_quarter)}" '
            f'stroke="{INK}" stroke-dasharray="5 4" stroke-width="1.5"/>'
            f'<text x="{width - 12}" y="{y(per_quarter) - 5}" text-anchor="end" '
            f'fill="{MUTED}">target {compact(per_quarter)} a quarter</text>'
        )
    out.append("</svg>")
    return "".join(out)
