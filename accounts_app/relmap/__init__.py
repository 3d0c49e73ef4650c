"""The relationship map: the customer's org chart from `Contact.reports_to`, laid out by
Graphviz's `dot` and returned as SVG markup for the Map tab, its downloads and PDF packs.

Each contact is a box with their name, title, level and buying role; the fill colour is
their attitude, a badge of four dots is the best strength anyone on the team has with
them (DESIGN §3's best(c)), and decision makers have a double border. Business units are
clusters; contacts without one sit outside every cluster. A reporting line is an edge
from the manager down to the report, across clusters where it crosses a unit.

`dot` runs only when what the map shows has changed: the SVG is cached under a
fingerprint of the contacts, relationships, team and business units.

The package: `layout` (pure: what the map shows, as DOT source), `render` (running dot,
the SVG and its size on a PDF page), `reads` (the account's data and the cached map).
"""

from .layout import (
    ATTITUDE_BORDER,
    ATTITUDE_FILL,
    EDGE_COLOUR,
    FONT,
    INK,
    LABEL_WIDTH_POINTS,
    LONER_STACK,
    LR_COLUMN_HEIGHT,
    LR_COLUMNS,
    MUTED,
    NAME_CHARS,
    NODE_WIDTH_INCHES,
    STRENGTH_NAMES,
    TB_COLUMN_HEIGHT,
    TITLE_CHARS,
    WIDE_POINTS,
    MapContact,
    MapUnit,
    map_dot_source,
    map_legend,
    map_titles,
    node_label,
    node_title,
    strength_badge,
)
from .reads import (
    CACHE_SECONDS,
    RENDER_VERSION,
    RelationshipMap,
    map_contacts,
    map_fingerprint,
    map_units,
    relationship_map,
    relationship_map_svg,
)
from .render import (
    DOT_TIMEOUT_SECONDS,
    PAGE_MAP_BOX,
    SVG_FONT_FAMILY,
    GraphvizFailed,
    RelationshipMapUnavailable,
    draw_map,
    fit_scale,
    render_svg,
    svg_size_pt,
)

__all__ = [
    "ATTITUDE_BORDER",
    "ATTITUDE_FILL",
    "CACHE_SECONDS",
    "DOT_TIMEOUT_SECONDS",
    "EDGE_COLOUR",
    "FONT",
    "GraphvizFailed",
    "INK",
    "LABEL_WIDTH_POINTS",
    "LONER_STACK",
    "LR_COLUMNS",
    "LR_COLUMN_HEIGHT",
    "MUTED",
    "MapContact",
    "MapUnit",
    "NAME_CHARS",
    "NODE_WIDTH_INCHES",
    "PAGE_MAP_BOX",
    "RENDER_VERSION",
    "RelationshipMap",
    "RelationshipMapUnavailable",
    "STRENGTH_NAMES",
    "SVG_FONT_FAMILY",
    "TB_COLUMN_HEIGHT",
    "TITLE_CHARS",
    "WIDE_POINTS",
    "draw_map",
    "fit_scale",
    "map_contacts",
    "map_dot_source",
    "map_fingerprint",
    "map_legend",
    "map_titles",
    "map_units",
    "node_label",
    "node_title",
    "relationship_map",
    "relationship_map_svg",
    "render_svg",
    "strength_badge",
    "svg_size_pt",
]
