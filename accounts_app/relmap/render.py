"""Running Graphviz: the DOT source of .layout through `dot -Tsvg` under a time limit,
the SVG cleaned for inline HTML and WeasyPrint PDFs, and its size on a page."""

import html
import logging
import re
import shutil
import subprocess
import time
from collections.abc import Sequence

import graphviz
from django.conf import settings

from .layout import WIDE_POINTS, MapContact, MapUnit, map_dot_source, map_titles

logger = logging.getLogger(__name__)

DOT_TIMEOUT_SECONDS = 10  # for all the runs of dot that draw one map
# The SVG names fallbacks of the font `dot` measures with (layout.FONT) for viewers
# without it. Verdana is the closest in width.
SVG_FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
# A landscape A4 page less its margins, header and legend (templates/accounts/pdf/).
PAGE_MAP_BOX = (780.0, 420.0)


class RelationshipMapUnavailable(Exception):
    """Graphviz is missing, failed or timed out: the map cannot be drawn right now."""


class GraphvizFailed(RelationshipMapUnavailable):
    """dot ran and failed (rather than being missing or too slow)."""


_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_FONT_FAMILY = re.compile(r'font-family="[^"]*"')
_TITLE = re.compile(r"<title>([^<]*)</title>")
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"')


def _dot_binary() -> str | None:
    configured = getattr(settings, "STRATA_GRAPHVIZ_DOT", "dot")
    return shutil.which(configured)


def _timeout() -> float:
    return float(getattr(settings, "STRATA_RELMAP_TIMEOUT_SECONDS", DOT_TIMEOUT_SECONDS))


def render_svg(graph: graphviz.Digraph, *, deadline: float | None = None) -> str:
    """Run `dot -Tsvg` on the graph; the `<svg>` element, ready to embed inline.

    Runs the binary directly rather than through `graph.pipe()`, which has no timeout;
    dot is stopped at `deadline` (time.monotonic()), by default after the timeout.
    """
    binary = _dot_binary()
    if binary is None:
        raise RelationshipMapUnavailable(
            "Graphviz is not installed on the server (the `dot` program is missing)."
        )
    timeout = _timeout() if deadline is None else max(0.1, deadline - time.monotonic())
    try:
        completed = subprocess.run(
            [binary, "-Tsvg"],
            input=graph.source.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        logger.error("dot took longer than %.1f s to draw a relationship map", timeout)
        raise RelationshipMapUnavailable("Graphviz took too long to draw the map.") from exc
    except OSError as exc:
        logger.exception("dot could not be started")
        raise RelationshipMapUnavailable("Graphviz could not be started.") from exc
    if completed.returncode != 0 or b"<svg" not in completed.stdout:
        logger.error(
            "dot failed (exit %s): %s",
            completed.returncode,
            completed.stderr.decode(errors="replace")[:2000],
        )
        raise GraphvizFailed("Graphviz failed to draw the map.")
    svg = completed.stdout.decode()
    svg = _COMMENT.sub("", _PROLOGUE.sub("", svg, count=1))
    # Every text element names its font (WeasyPrint falls back to a serif otherwise).
    return _FONT_FAMILY.sub(f'font-family="{SVG_FONT_FAMILY}"', svg).strip() + "\n"


def draw_map(
    *,
    contacts: Sequence[MapContact],
    units: Sequence[MapUnit],
    prefix: str = "relmap",
    fit: tuple[float, float] | None = None,
) -> str:
    """The map as SVG, top-down like an org chart; left to right when that reads better.
    On screen (no `fit`), a top-down chart wider than WIDE_POINTS would scroll sideways,
    so the narrower left-to-right drawing (which scrolls down) wins; inside a box of
    `fit` points (a PDF page) the drawing that can be shown the largest wins."""

    # One time limit for all the runs of dot below, not one each.
    deadline = time.monotonic() + _timeout()

    def draw(rankdir: str) -> str:
        layout = {"contacts": contacts, "units": units, "prefix": prefix, "rankdir": rankdir}
        try:
            return render_svg(map_dot_source(**layout), deadline=deadline)
        except GraphvizFailed:
            # dot's orthogonal router has assertion failures on some graphs (2.43).
            return render_svg(map_dot_source(**layout, splines="polyline"), deadline=deadline)

    svg = draw("TB")
    width, _ = svg_size_pt(svg)
    if width > (fit[0] if fit else WIDE_POINTS):
        turned = draw("LR")
        if fit:
            better = fit_scale(turned, fit) > fit_scale(svg, fit)
        else:
            better = svg_size_pt(turned)[0] < width
        svg = turned if better else svg
    titles = map_titles(contacts, units)

    def retitle(match: re.Match) -> str:
        name = html.unescape(match.group(1))
        return f"<title>{html.escape(titles.get(name, ''), quote=False)}</title>"

    return _TITLE.sub(retitle, svg)


def fit_scale(svg: str, box: tuple[float, float]) -> float:
    """The scale (at most 1) at which the map fits a box of `box` points."""
    width, height = svg_size_pt(svg)
    if not width or not height:
        return 1.0
    return min(1.0, box[0] / width, box[1] / height)


def svg_size_pt(svg: str) -> tuple[float, float]:
    """The natural size of a map in points, from its `<svg width=.. height=..>`."""
    match = _SIZE.search(svg)
    if not match:
        return (0.0, 0.0)
    return float(match.group(1)), float(match.group(2))
