"""What the relationship map shows, as plain values in and Graphviz DOT source out (no
ORM, no subprocess here): the boxes, their labels and colours, the business units as
clusters, the reporting lines and how a wide org chart is folded to stay readable.
"""

import html
import re
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import graphviz

# The choices only (labels and values), never a query.
from ..models import Contact, Relationship

# `dot` measures text with this family (Debian: fonts-dejavu); the SVG names fallbacks
# for viewers without it (render.SVG_FONT_FAMILY).
FONT = "DejaVu Sans"

ATTITUDE_FILL = {
    Contact.Attitude.CHAMPION: "#86efac",
    Contact.Attitude.SUPPORTER: "#dcfce7",
    Contact.Attitude.NEUTRAL: "#e5e7eb",
    Contact.Attitude.DETRACTOR: "#fca5a5",
    Contact.Attitude.UNKNOWN: "#ffffff",
}
ATTITUDE_BORDER = {
    Contact.Attitude.CHAMPION: "#15803d",
    Contact.Attitude.SUPPORTER: "#16a34a",
    Contact.Attitude.NEUTRAL: "#6b7280",
    Contact.Attitude.DETRACTOR: "#b91c1c",
    Contact.Attitude.UNKNOWN: "#94a3b8",
}
INK = "#172033"
MUTED = "#475569"
EDGE_COLOUR = "#64748b"

# Box widths and text wrapping are fixed so a large org chart reads as a regular grid.
NODE_WIDTH_INCHES = 2.3
LABEL_WIDTH_POINTS = 154  # the node's width less its margins: the text starts at the left
NAME_CHARS = 24
TITLE_CHARS = 30
# A top-down org chart grows sideways: a rank of forty boxes is unreadable. So a
# manager's reports who have no reports of their own (leaves) hang below them in a
# column of up to this many (as Graphviz's `unflatten` staggers leaves)...
TB_COLUMN_HEIGHT = 8
# ...and on screen a chart still wider than this (in points: a window at 75 % zoom)
# is drawn left to right instead, where ranks are columns and the map scrolls down.
WIDE_POINTS = 1600
# Left to right, leaves spread over up to this many columns, this many per column.
LR_COLUMNS = 3
LR_COLUMN_HEIGHT = 4
# Contacts related to nobody on the map are chained in short stacks, not one long rank.
LONER_STACK = 4


@dataclass(frozen=True)
class MapContact:
    id: int
    name: str
    title: str
    level: str
    buying_role: str
    attitude: str
    business_unit_id: int | None
    reports_to_id: int | None
    best: int


@dataclass(frozen=True)
class MapUnit:
    id: int
    name: str


# --- Drawing (plain values in, DOT source out) ----------------------------------------


def strength_badge(best: int) -> str:
    """Best strength 0–4 as four dots, as many filled: 3 → "●●●○"."""
    best = max(0, min(4, int(best)))
    return "●" * best + "○" * (4 - best)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """One line of user text, without the control characters an XML parser rejects."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text or "")).strip()


def _lines(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(_clean(text), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _html(lines: list[str]) -> str:
    return '<BR ALIGN="LEFT"/>'.join(html.escape(line, quote=True) for line in lines)


STRENGTH_NAMES = dict(Relationship.Strength.choices)


def _choice(choices, value: str) -> str:
    return choices(value).label if value in choices else ""


def node_label(contact: MapContact) -> str:
    """The node's HTML-like label: every user-supplied string escaped."""
    level = _choice(Contact.Level, contact.level)
    role = _choice(Contact.BuyingRole, contact.buying_role)
    meta = f"{level} · {role}" if contact.buying_role != Contact.BuyingRole.NONE else level
    attitude = _choice(Contact.Attitude, contact.attitude)
    rows = [
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><B>{_html(_lines(contact.name, NAME_CHARS, 2))}'
        "</B></TD></TR>"
    ]
    if _clean(contact.title):
        rows.append(
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9">'
            f"{_html(_lines(contact.title, TITLE_CHARS, 2))}</FONT></TD></TR>"
        )
    rows.append(
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8.5" COLOR="{MUTED}">'
        f"{html.escape(meta)}</FONT></TD></TR>"
    )
    # Attitude left, strength badge right: fixed cell widths, or dot packs them together.
    rows.append(
        '<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR>'
        f'<TD ALIGN="LEFT" WIDTH="{LABEL_WIDTH_POINTS - 46}">'
        f'<FONT POINT-SIZE="8.5" COLOR="{MUTED}">{html.escape(attitude)}</FONT></TD>'
        f'<TD ALIGN="RIGHT" WIDTH="44"><FONT POINT-SIZE="9">{strength_badge(contact.best)}'
        "</FONT></TD></TR></TABLE></TD></TR>"
    )
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
        f'WIDTH="{LABEL_WIDTH_POINTS}">' + "".join(rows) + "</TABLE>>"
    )


def node_title(contact: MapContact) -> str:
    """What a pointer hovering over the box shows (plain text; escaped when inserted)."""
    parts = [_clean(contact.name)]
    if _clean(contact.title):
        parts[0] += f", {_clean(contact.title)}"
    level = _choice(Contact.Level, contact.level)
    if contact.buying_role != Contact.BuyingRole.NONE:
        level += f" · {_choice(Contact.BuyingRole, contact.buying_role)}"
    parts.append(level)
    parts.append(f"Attitude: {_choice(Contact.Attitude, contact.attitude)}")
    strength = STRENGTH_NAMES.get(contact.best, "None")
    parts.append(f"Best relationship: {strength} ({contact.best} of 4)")
    return ". ".join(parts)


def map_legend() -> dict:
    """The key to the map's colours and badges, for the tab and the PDF."""
    return {
        "attitudes": [
            {
                "label": label,
                "fill": ATTITUDE_FILL[value],
                "border": ATTITUDE_BORDER[value],
            }
            for value, label in Contact.Attitude.choices
        ],
        "strengths": [
            {"value": value, "label": label, "badge": strength_badge(value)}
            for value, label in Relationship.Strength.choices
        ],
    }


def map_titles(contacts: Sequence[MapContact], units: Sequence[MapUnit]) -> dict[str, str]:
    """dot titles each SVG group with the graph's internal names (`c12`, `c3->c12`), which
    browsers show on hover: the readable text for each of them."""
    by_id = {c.id: c for c in contacts}
    titles = {"relationship_map": "Relationship map"}
    for contact in contacts:
        titles[f"c{contact.id}"] = node_title(contact)
        manager = by_id.get(contact.reports_to_id)
        if manager is not None and manager.id != contact.id:
            titles[f"c{manager.id}->c{contact.id}"] = (
                f"{_clean(contact.name)} reports to {_clean(manager.name)}"
            )
    for unit in units:
        titles[f"cluster_bu{unit.id}"] = f"Business unit: {_clean(unit.name)}"
        titles[f"empty{unit.id}"] = f"No contacts recorded in {_clean(unit.name)}"
    return titles


def _unit_label(unit: MapUnit, count: int) -> str:
    people = f"{count} contact{'s' if count != 1 else ''}"
    return (
        f"<<B>{_html(_lines(unit.name, 40, 1))}</B>"
        f'<FONT POINT-SIZE="9" COLOR="{MUTED}">  {people}</FONT>>'
    )


def map_dot_source(
    *,
    contacts: Sequence[MapContact],
    units: Sequence[MapUnit],
    prefix: str = "relmap",
    rankdir: str = "TB",
    splines: str = "ortho",
) -> graphviz.Digraph:
    """The org chart as a Graphviz graph, everything sorted by id so equal data gives
    equal output. `prefix` starts every SVG id (several maps may share a page)."""
    contacts = sorted(contacts, key=lambda c: c.id)
    known = {c.id for c in contacts}
    unit_ids = {u.id for u in units}
    reports: dict[int, list[int]] = defaultdict(list)
    for contact in contacts:
        if contact.reports_to_id in known and contact.reports_to_id != contact.id:
            reports[contact.reports_to_id].append(contact.id)
    by_unit: dict[int | None, list[MapContact]] = defaultdict(list)
    for contact in contacts:
        unit = contact.business_unit_id if contact.business_unit_id in unit_ids else None
        by_unit[unit].append(contact)

    # Reporting lines, leaves stacked (minlen), and invisible chains of loners.
    lines: list[tuple[int, int, int]] = []  # (manager, report, minlen)
    for manager_id in sorted(reports):
        direct = sorted(reports[manager_id])
        leaves = [r for r in direct if r not in reports]
        depth = _leaf_depth(len(leaves), rankdir)
        leaf_rank = {leaf: 1 + index % depth for index, leaf in enumerate(leaves)}
        lines += [(manager_id, r, leaf_rank.get(r, 1)) for r in direct]
    chains = {unit: _loner_chains(members, reports, known) for unit, members in by_unit.items()}

    graph = graphviz.Digraph(
        name="relationship_map",
        graph_attr={
            "id": prefix,
            "rankdir": rankdir,
            # Ranks shared across the clusters: a level reads as one row (or column).
            "newrank": "true",
            # Right-angled lines read as an org chart's; polyline if ortho fails.
            "splines": splines,
            "nodesep": "0.22",
            "ranksep": "0.45",
            "pad": "0.25",
            "outputorder": "edgesfirst",
            "bgcolor": "white",
            "fontname": FONT,
            "fontsize": "11",
            "fontcolor": INK,
            "labeljust": "l",
            "style": "rounded",
        },
        node_attr={
            "shape": "box",
            "style": "rounded,filled",
            "fontname": FONT,
            "fontsize": "10",
            "fontcolor": INK,
            "width": str(NODE_WIDTH_INCHES),
            "margin": "0.08,0.05",
            "penwidth": "1",
        },
        edge_attr={"arrowhead": "none", "color": EDGE_COLOUR, "penwidth": "1.2"},
    )

    def add_contact(subgraph, contact: MapContact) -> None:
        decision_maker = contact.buying_role == Contact.BuyingRole.DECISION_MAKER
        attitude = contact.attitude if contact.attitude in ATTITUDE_FILL else "unknown"
        subgraph.node(
            f"c{contact.id}",
            label=node_label(contact),
            id=f"{prefix}_c{contact.id}",
            fillcolor=ATTITUDE_FILL[attitude],
            color=ATTITUDE_BORDER[attitude] if not decision_maker else INK,
            penwidth="1.6" if decision_maker else "1",
            peripheries="2" if decision_maker else "1",
        )

    def add_chains(subgraph, unit) -> None:
        for upper, lower in chains.get(unit, []):
            subgraph.edge(f"c{upper}", f"c{lower}", style="invis")

    for contact in by_unit.get(None, []):
        add_contact(graph, contact)
    add_chains(graph, None)
    for unit in sorted(units, key=lambda u: u.id):
        members = by_unit.get(unit.id, [])
        with graph.subgraph(name=f"cluster_bu{unit.id}") as cluster:
            cluster.attr(
                id=f"{prefix}_bu{unit.id}",
                label=_unit_label(unit, len(members)),
                color="#94a3b8",
                fillcolor="#f8fafc",
                style="rounded,filled",
                penwidth="1",
                margin="10",
            )
            for contact in members:
                add_contact(cluster, contact)
            if not members:
                # dot draws no empty cluster, and a unit nobody is known in is a gap.
                cluster.node(
                    f"empty{unit.id}",
                    label="No contacts yet",
                    id=f"{prefix}_empty{unit.id}",
                    style="rounded,dashed",
                    color="#94a3b8",
                    fontcolor=MUTED,
                    fontsize="9",
                    width="1.6",
                    height="0.4",
                )
            add_chains(cluster, unit.id)

    for manager_id, report_id, minlen in lines:
        graph.edge(
            f"c{manager_id}",
            f"c{report_id}",
            id=f"{prefix}_e{manager_id}_{report_id}",
            minlen=str(minlen),
        )
    return graph


def _leaf_depth(leaves: int, rankdir: str) -> int:
    """Over how many ranks a manager's `leaves` spread."""
    if rankdir == "TB":
        return 1 if leaves < 3 else -(-leaves // -(-leaves // TB_COLUMN_HEIGHT))
    return 1 if leaves <= LR_COLUMN_HEIGHT else min(LR_COLUMNS, -(-leaves // LR_COLUMN_HEIGHT))


def _loner_chains(members, reports, known) -> list[tuple[int, int]]:
    """Contacts with neither a manager nor reports on the map would all sit in the top
    rank, side by side; chain them (invisibly, no edge is drawn) into short stacks."""
    loners = [
        c.id
        for c in members
        if c.id not in reports and (c.reports_to_id not in known or c.reports_to_id == c.id)
    ]
    chains = []
    for start in range(0, len(loners), LONER_STACK):
        stack = loners[start : start + LONER_STACK]
        chains += list(zip(stack, stack[1:], strict=False))
    return chains
