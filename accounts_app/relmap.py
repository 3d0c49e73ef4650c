"""The relationship map: the customer's org chart from `Contact.reports_to`, laid out by
Graphviz's `dot` and returned as SVG markup for the Map tab, its downloads and PDF packs.

Each contact is a box with their name, title, level and buying role; the fill colour is
their attitude, a badge of four dots is the best strength anyone on the team has with
them (DESIGN §3's best(c)), and decision makers have a double border. Business units are
clusters; contacts without one sit outside every cluster. A reporting line is an edge
from the manager down to the report, across clusters where it crosses a unit.

`dot` runs only when what the map shows has changed: the SVG is cached under a
fingerprint of the contacts, relationships, team and business units.
"""

import hashlib
import html
import logging
import re
import shutil
import subprocess
import textwrap
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import graphviz
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Account, BusinessUnit, Contact, Relationship, TeamMember

logger = logging.getLogger(__name__)

# Bump when the drawing changes, so maps cached by an older release are not served.
RENDER_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60
DOT_TIMEOUT_SECONDS = 10  # for all the runs of dot that draw one map

# `dot` measures text with this family (Debian: fonts-dejavu); the SVG names fallbacks
# for viewers without it. Verdana is the closest in width.
FONT = "DejaVu Sans"
SVG_FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"

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


class RelationshipMapUnavailable(Exception):
    """Graphviz is missing, failed or timed out: the map cannot be drawn right now."""


class GraphvizFailed(RelationshipMapUnavailable):
    """dot ran and failed (rather than being missing or too slow)."""


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


# --- Running dot ----------------------------------------------------------------------

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


# --- Reading the account (a constant number of queries) -------------------------------


def map_units(*, account: Account) -> list[MapUnit]:
    return [
        MapUnit(id=pk, name=name)
        for pk, name in BusinessUnit.objects.filter(account=account)
        .order_by("pk")
        .values_list("pk", "name")
    ]


def map_contacts(*, account: Account) -> list[MapContact]:
    """Every contact of the account with best(c), the strongest relationship anyone now on
    the team has with them, in one query."""
    team = TeamMember.objects.filter(account=account).values("user_id")
    rows = (
        Contact.objects.filter(account=account)
        .annotate(
            best=Coalesce(
                Max("relationships__strength", filter=Q(relationships__user_id__in=team)),
                Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("pk")
        .values(
            "pk",
            "name",
            "title",
            "level",
            "buying_role",
            "attitude",
            "business_unit_id",
            "reports_to_id",
            "best",
        )
    )
    return [
        MapContact(
            id=row["pk"],
            name=row["name"],
            title=row["title"],
            level=row["level"],
            buying_role=row["buying_role"],
            attitude=row["attitude"],
            business_unit_id=row["business_unit_id"],
            reports_to_id=row["reports_to_id"],
            best=row["best"] or 0,
        )
        for row in rows
    ]


def _scalar(queryset, function: str, field: str) -> Subquery:
    # Func, not an aggregate: no GROUP BY, one row per subquery.
    return Subquery(
        queryset.order_by().annotate(value=Func(F(field), function=function)).values("value")[:1]
    )


def _map_stats(*, account: Account) -> tuple:
    """What the map shows changes when any of these does, read in one query: the count
    and the latest change of the contacts, their relationships and the team (whose
    members' relationships make best(c)). Deleting a row changes a count."""
    contacts = Contact.objects.filter(account=OuterRef("pk"))
    relationships = Relationship.objects.filter(contact__account=OuterRef("pk"))
    team = TeamMember.objects.filter(account=OuterRef("pk"))
    return (
        Account.objects.filter(pk=account.pk)
        .annotate(
            contact_count=_scalar(contacts, "COUNT", "pk"),
            contact_changed=_scalar(contacts, "MAX", "updated_at"),
            relationship_count=_scalar(relationships, "COUNT", "pk"),
            relationship_changed=_scalar(relationships, "MAX", "updated_at"),
            team_count=_scalar(team, "COUNT", "pk"),
            team_changed=_scalar(team, "MAX", "joined_at"),
        )
        .values_list(
            "contact_count",
            "contact_changed",
            "relationship_count",
            "relationship_changed",
            "team_count",
            "team_changed",
        )
        .get()
    )


def map_fingerprint(*, account: Account, stats: tuple, units: Sequence[MapUnit]) -> str:
    parts = [str(RENDER_VERSION), str(account.pk), *map(str, stats)]
    parts += [f"{unit.id}:{unit.name}" for unit in units]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# A landscape A4 page less its margins, header and legend (templates/accounts/pdf/).
PAGE_MAP_BOX = (780.0, 420.0)


@dataclass(frozen=True)
class RelationshipMap:
    contact_count: int
    business_unit_count: int
    svg: str  # empty when not drawn (no contacts and `draw_empty` off)

    @property
    def size_pt(self) -> tuple[float, float]:
        return svg_size_pt(self.svg)


def relationship_map(
    account: Account, *, for_page: bool = False, draw_empty: bool = True
) -> RelationshipMap:
    """The account's relationship map and what it counts, in three queries (two when
    cached). `for_page` lays it out for a landscape page rather than a scrolling screen.
    Raises RelationshipMapUnavailable when Graphviz cannot draw it."""
    units = map_units(account=account)
    stats = _map_stats(account=account)
    contact_count = stats[0] or 0
    if not contact_count and not draw_empty:
        return RelationshipMap(0, len(units), "")
    fingerprint = map_fingerprint(account=account, stats=stats, units=units)
    key = f"relmap:{'page' if for_page else 'screen'}:{account.pk}:{fingerprint}"
    svg = cache.get(key)
    if svg is None:
        svg = draw_map(
            contacts=map_contacts(account=account),
            units=units,
            prefix=f"relmap{account.pk}",
            fit=PAGE_MAP_BOX if for_page else None,
        )
        cache.set(key, svg, CACHE_SECONDS)
    return RelationshipMap(contact_count, len(units), svg)


def relationship_map_svg(account: Account, *, for_page: bool = False) -> str:
    """The account's relationship map as standalone `<svg>` markup (no XML prologue),
    safe to embed inline in HTML and in WeasyPrint documents (PDF packs: `for_page`).
    Cached under a fingerprint of what it shows; raises RelationshipMapUnavailable when
    Graphviz is missing, fails or times out."""
    return relationship_map(account, for_page=for_page).svg
