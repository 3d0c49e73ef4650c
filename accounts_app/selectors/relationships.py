"""The relationships of an account: the matrix of its contacts × its team, one cell of
it, and the Relationship Penetration Index with its coverage gaps (DESIGN §3).

The matrix costs the same number of queries whatever the number of contacts or team
members: the team, the business units, the contacts and all the relationships of the
account are read once each.
"""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils import timezone

from ..matrix import Cell, Group, matrix_groups, team_column_key
from ..models import Account, Contact, Relationship, TeamMember, User
from ..penetration import account_states
from ..rpi import Gap, Penetration, Present, present, state_penetration
from ..rpi_history import account_state_as_of, account_timelines, day_end, month_ends
from .people import account_team

# --- The matrix --------------------------------------------------------------------------


def relationship_matrix_team(*, account: Account) -> list[TeamMember]:
    """The matrix's columns: the account's team, owner first, then by role and name (one
    query)."""
    return sorted(account_team(account=account), key=team_column_key)


def relationships_by_pair(*, account: Account) -> dict[tuple[int, int], tuple[int, int | None]]:
    """Every relationship of the account as (contact, user) → (strength, target): one query."""
    return {
        (contact_id, user_id): (strength, target)
        for contact_id, user_id, strength, target in Relationship.objects.filter(
            contact__account=account
        ).values_list("contact_id", "user_id", "strength", "target_strength")
    }


def relationship_matrix(
    *, account: Account, team: list[TeamMember], editing: tuple[int, int] | None = None
) -> tuple[list[Group], dict]:
    """The matrix's rows grouped by business unit, and the cells being edited (by pair),
    if any (matrix.matrix_groups), in three queries."""
    units = list(account.business_units.filter(archived=False).order_by("name", "id"))
    pairs = relationships_by_pair(account=account)
    # Not `account.contacts`: the related manager would set each contact's account and,
    # with account_id deferred, load it contact by contact.
    contacts = Contact.objects.filter(account=account, archived=False).only(
        "id", "name", "title", "level", "buying_role", "attitude", "business_unit_id"
    )
    return matrix_groups(
        units=units,
        contacts=contacts,
        user_ids=[member.user_id for member in team],
        pairs=pairs,
        editing=editing,
    )


class PairError(Exception):
    """The URL names a contact or a team member that is not part of this account's matrix."""


def relationship_pair_get(
    *, user: User, account: Account, contact_id, user_id
) -> tuple[Contact, TeamMember]:
    """The contact and the team member of a cell, both of this account.

    A contact of an account the user cannot see is a 404, like the account itself (no
    leak of its existence); one of another account they can see, or a user who is not on
    this account's team, is a mistake in the request (PairError, with the reason).
    """
    contact = account.contacts.filter(pk=contact_id).first()
    if contact is None:
        visible_elsewhere = Contact.objects.visible_to(user).filter(pk=contact_id).exists()
        if not visible_elsewhere:
            raise Http404("No such contact.")
        raise PairError("This contact belongs to another account.")
    member = account.team_members.select_related("user").filter(user_id=user_id).first()
    if member is None:
        raise PairError("Only members of the account team can hold a relationship.")
    return contact, member


def relationship_cell(*, contact: Contact, member: TeamMember) -> Cell:
    """The matrix cell of one contact and one team member, as it is now."""
    relationship = (
        Relationship.objects.filter(contact=contact, user_id=member.user_id)
        .values_list("strength", "target_strength")
        .first()
    )
    strength, target = relationship or (None, None)
    return Cell(contact.pk, member.user_id, strength, target)


def contact_best_strength(*, contact: Contact, user_ids: list[int]) -> int:
    """The strongest relationship these users (the current team) have with the contact."""
    return max(
        Relationship.objects.filter(contact=contact, user_id__in=user_ids).values_list(
            "strength", flat=True
        ),
        default=0,
    )


# --- Relationship penetration -----------------------------------------------------------


@dataclass(frozen=True)
class GapLine:
    """A coverage gap as the pages and the API show it, with the matrix cell that would
    close it (`cell_user`: whose relationship with the contact to build)."""

    kind: str
    label: str
    contact_id: int
    contact_name: str
    user_id: int | None
    user_name: str | None
    strength: int
    target: int | None
    cell_user_id: int | None

    @property
    def anchor(self) -> str:
        if self.cell_user_id:
            return f"cell-{self.contact_id}-{self.cell_user_id}"
        return f"contact-{self.contact_id}"


@dataclass(frozen=True)
class RpiReport:
    penetration: Penetration
    gaps: list[GapLine]

    @property
    def rpi(self):
        return self.penetration.rpi

    @property
    def high(self):
        return self.penetration.percent("high")

    @property
    def wide(self):
        return self.penetration.percent("wide")

    @property
    def deep(self):
        return self.penetration.percent("deep")


def account_rpi(
    *, account: Account, team: list[TeamMember] | None = None, as_of: date | None = None
) -> RpiReport:
    """The account's RPI and gaps from its data as it is now, or as it stood at the end
    of the day `as_of` (rebuilt from the history, accounts_app.rpi_history): four
    queries, and one for the team (or its users then) unless given.

    Each gap names the cell that would close it: the relationship below its target; for a
    contact nobody covers well, the team member who knows them best (else the owner); for
    a single-threaded decision maker, someone other than the one thread (the owner first);
    a detractor, the contact's row.
    """
    if as_of is None:
        state = account_states([account.pk])[account.pk]
        if team is None:
            team = list(account_team(account=account))
        users = {member.user_id: member.user for member in team}
    else:
        state = account_state_as_of(account_id=account.pk, day=as_of)
        users = User.objects.in_bulk(state.team) if state.team else {}
    return _report(account, state_penetration(state), present(state), users)


def _report(account: Account, result: Penetration, there: Present, users: dict) -> RpiReport:
    owner_first = sorted(users, key=lambda pk: (pk != account.owner_id, pk))
    names = {contact.key: contact.name for contact in there.contacts}
    best_holder: dict[int, int] = {}
    for rel in sorted(there.relationships, key=lambda r: (r.contact, -r.strength, r.user)):
        best_holder.setdefault(rel.contact, rel.user)
    lines = []
    for gap in result.gaps:
        if gap.kind == "below_target":
            cell = gap.user if gap.user in users else None
        elif gap.kind == "uncovered":
            cell = best_holder.get(gap.contact) or next(iter(owner_first), None)
        elif gap.kind == "single_threaded":
            cell = next((pk for pk in owner_first if pk != gap.user), None)
        else:
            cell = None
        user = users.get(gap.user) if gap.user else None
        lines.append(
            GapLine(
                kind=gap.kind,
                label=Gap.KINDS[gap.kind],
                contact_id=gap.contact,
                contact_name=names.get(gap.contact, ""),
                user_id=gap.user,
                user_name=user.name if user else None,
                strength=gap.strength,
                target=gap.target,
                cell_user_id=cell,
            )
        )
    return RpiReport(penetration=result, gaps=lines)


TREND_MONTHS = 12


def account_rpi_trend(*, account: Account, months: int = TREND_MONTHS) -> list[tuple]:
    """(date, RPI) at the end of each of the last `months` months and today, oldest
    first, computed from the history (DESIGN §11), from the first month its records
    existed. Four queries whatever the number of points or rows."""
    timeline = account_timelines([account.pk])[account.pk]
    if timeline.first is None:
        return []
    today = timezone.localdate()
    since = timezone.localdate(timeline.first)
    days = [day for day in month_ends(today, months) if day >= since] + [today]
    states = timeline.states([day_end(day) for day in days])
    return [(day, state_penetration(state).rpi) for day, state in zip(days, states, strict=True)]
