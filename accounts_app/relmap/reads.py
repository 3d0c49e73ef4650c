"""Reading the account for its map (a constant number of queries), and the map itself,
drawn only when what it shows has changed: the SVG is cached under a fingerprint of the
contacts, relationships, team and business units."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, Func, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Account, BusinessUnit, Contact, Relationship, TeamMember
from .layout import MapContact, MapUnit
from .render import PAGE_MAP_BOX, draw_map, svg_size_pt

# Bump when the drawing changes (layout, render), so maps cached by an older release
# are not served.
RENDER_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60


def map_units(*, account: Account) -> list[MapUnit]:
    return [
        MapUnit(id=pk, name=name)
        for pk, name in BusinessUnit.objects.filter(account=account, archived=False)
        .order_by("pk")
        .values_list("pk", "name")
    ]


def map_contacts(*, account: Account) -> list[MapContact]:
    """Every active contact of the account with best(c), the strongest relationship anyone
    now on the team has with them, in one query. Archived people are skipped: someone
    who reported to one is drawn at the top of their branch (the link is kept)."""
    team = TeamMember.objects.filter(account=account).values("user_id")
    rows = (
        Contact.objects.filter(account=account, archived=False)
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
