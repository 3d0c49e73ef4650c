"""Our side of an account: the team, its relationships with the customer's people, and
the interactions between them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from core import history
from core.history import records_actor
from core.jobs import recompute_later

from ..models import (
    Account,
    Contact,
    Interaction,
    Relationship,
    TeamMember,
    User,
)
from .common import _apply


@records_actor
@transaction.atomic
def team_member_add(*, account: Account, user: User, role: str, by: User) -> TeamMember:
    if role == TeamMember.Role.OWNER:
        raise ValidationError({"role": "Use “Make owner” to hand the account to someone else."})
    member = TeamMember(account=account, user=user, role=role)
    member.full_clean()
    member.save()
    recompute_later(account.pk)
    return member


@records_actor
@transaction.atomic
def team_member_change_role(*, member: TeamMember, role: str, by: User) -> TeamMember:
    if member.role == TeamMember.Role.OWNER and role != TeamMember.Role.OWNER:
        raise ValidationError(
            {"role": "An account needs an owner: make someone else the owner first."}
        )
    if role == TeamMember.Role.OWNER and member.role != TeamMember.Role.OWNER:
        return team_member_make_owner(member=member, by=by)
    member.role = role
    member.full_clean()
    member.save()
    return member


@records_actor
@transaction.atomic
def team_member_make_owner(*, member: TeamMember, by: User) -> TeamMember:
    """Hand the account to `member`; the previous owner stays on the team as sales."""
    account = Account.objects.select_for_update().get(pk=member.account_id)
    history.update(
        account.team_members.filter(role=TeamMember.Role.OWNER).exclude(pk=member.pk),
        by=by,
        role=TeamMember.Role.SALES,
    )
    member.role = TeamMember.Role.OWNER
    member.save(update_fields=["role"])
    account.owner_id = member.user_id
    account.save(update_fields=["owner", "updated_at"])
    return member


def account_owner_sync(*, account: Account) -> None:
    """Make `Account.owner` the user of the account's owner team member (or nobody).

    The services keep the two in step; this repairs them after writes that bypass the
    services, such as the admin site's team inlines.
    """
    owner_id = (
        account.team_members.filter(role=TeamMember.Role.OWNER)
        .values_list("user_id", flat=True)
        .first()
    )
    if account.owner_id != owner_id:
        account.owner_id = owner_id
        account.save(update_fields=["owner", "updated_at"])


@records_actor
@transaction.atomic
def team_member_remove(*, member: TeamMember, by: User) -> None:
    if member.role == TeamMember.Role.OWNER:
        raise ValidationError(
            "The account owner cannot be removed: make someone else the owner first."
        )
    account_id = member.account_id
    member.delete()
    recompute_later(account_id)


RELATIONSHIP_FIELDS = ("strength", "target_strength", "last_interaction")


@records_actor
@transaction.atomic
def relationship_create(*, contact: Contact, user: User, by: User, **data) -> Relationship:
    relationship = _apply(Relationship(contact=contact, user=user), data, RELATIONSHIP_FIELDS)
    relationship.full_clean()
    relationship.save()
    recompute_later(contact.account_id)
    return relationship


@records_actor
@transaction.atomic
def relationship_update(*, relationship: Relationship, by: User, **data) -> Relationship:
    _apply(relationship, data, RELATIONSHIP_FIELDS)
    relationship.full_clean()
    relationship.save()
    recompute_later(relationship.contact.account_id)
    return relationship


@records_actor
@transaction.atomic
def relationship_delete(*, relationship: Relationship, by: User) -> None:
    account_id = relationship.contact.account_id
    relationship.delete()
    recompute_later(account_id)


@records_actor
@transaction.atomic
def relationship_set(
    *, contact: Contact, user: User, strength: int, target: int | None, by: User
) -> Relationship | None:
    """Make the relationship of `user` with `contact` what a matrix cell says.

    Strength 0 with no target means "no relationship": an existing one is deleted and
    None returned. Otherwise the relationship is created or updated (validated: only a
    member of the account team may hold one). Saving what is already there changes
    nothing and queues no snapshot.
    """
    existing = (
        Relationship.objects.select_for_update()
        .select_related("contact")
        .filter(contact=contact, user=user)
        .first()
    )
    if strength == 0 and target is None:
        if existing is not None:
            relationship_delete(relationship=existing, by=by)
        return None
    if existing is None:
        return relationship_create(
            contact=contact, user=user, by=by, strength=strength, target_strength=target
        )
    if existing.strength == strength and existing.target_strength == target:
        return existing
    return relationship_update(
        relationship=existing, by=by, strength=strength, target_strength=target
    )


def _check_participants(
    *, account: Account, contacts: list[Contact], team_users: list[User], kept=None
) -> None:
    """The contacts are the account's and the people from our side are on its team; an
    edit (`kept`: the interaction as it was) may keep a participant who has since left
    the team: who took part stays true."""
    errors = {}
    if not contacts:
        errors["contacts"] = "Choose at least one contact."
    elif any(c.account_id != account.pk for c in contacts):
        errors["contacts"] = "Choose contacts of this account."
    allowed = set(account.team_members.values_list("user_id", flat=True))
    if kept is not None:
        allowed |= set(kept.team_users.values_list("pk", flat=True))
    if any(u.pk not in allowed for u in team_users):
        errors["team_users"] = "Choose members of the account team."
    if errors:
        raise ValidationError(errors)


def _move_last_interaction_forward(
    *, contacts: list[Contact], team_users: list[User], on: date
) -> None:
    """Each pair (contact, team member) of an interaction on `on` last met on that day at
    the earliest."""
    pairs = Relationship.objects.filter(contact__in=contacts, user__in=team_users)
    for relationship in pairs:
        if relationship.last_interaction is None or relationship.last_interaction < on:
            relationship.last_interaction = on
            relationship.save(update_fields=["last_interaction", "updated_at"])


def _fall_back_last_interaction(*, contact_ids, user_ids, on: date) -> None:
    """The pairs among `contact_ids` × `user_ids` whose last interaction is `on` get the
    date of their latest interaction as the log now stands, or None if none is left. A
    later date was not set by the interaction that left (another one, or typed in by
    hand) and is kept."""
    latest = (
        Interaction.objects.filter(contacts=OuterRef("contact_id"), team_users=OuterRef("user_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    touched = Relationship.objects.filter(
        contact_id__in=contact_ids, user_id__in=user_ids, last_interaction=on
    ).annotate(latest=Subquery(latest))
    for relationship in touched:
        if relationship.latest != relationship.last_interaction:
            relationship.last_interaction = relationship.latest
            relationship.save(update_fields=["last_interaction", "updated_at"])


@records_actor
@transaction.atomic
def interaction_record(
    *,
    account: Account,
    by: User,
    kind: str,
    on: date,
    contacts: list[Contact],
    team_users: list[User],
    subject: str = "",
    note: str = "",
) -> Interaction:
    """Log an interaction and move each involved relationship's last interaction forward."""
    _check_participants(account=account, contacts=contacts, team_users=team_users)
    interaction = Interaction(
        account=account, kind=kind, date=on, subject=subject, note=note, created_by=by
    )
    interaction.full_clean()
    interaction.save()
    interaction.contacts.set(contacts)
    interaction.team_users.set(team_users)
    _move_last_interaction_forward(contacts=contacts, team_users=team_users, on=on)
    recompute_later(account.pk)
    return interaction


@records_actor
@transaction.atomic
def interaction_update(
    *,
    interaction: Interaction,
    by: User,
    kind: str,
    on: date,
    contacts: list[Contact],
    team_users: list[User],
    subject: str = "",
    note: str = "",
) -> Interaction:
    """Change what an interaction says, with the rules of logging one; the team's
    last-met dates follow.

    The pairs it covered before are treated as on a delete (a last interaction of its
    old date falls back to the latest in the log, this one included as it now is), then
    the pairs it covers now as on a log (moved forward to its new date). Saving what is
    already there writes nothing.
    """
    account = interaction.account
    _check_participants(account=account, contacts=contacts, team_users=team_users, kept=interaction)
    old_on = interaction.date
    old_contact_ids = set(interaction.contacts.values_list("pk", flat=True))
    old_user_ids = set(interaction.team_users.values_list("pk", flat=True))
    fields = {"kind": kind, "date": on, "subject": subject, "note": note}
    changed = {name for name, value in fields.items() if getattr(interaction, name) != value}
    people_changed = old_contact_ids != {c.pk for c in contacts} or old_user_ids != {
        u.pk for u in team_users
    }
    if not changed and not people_changed:
        return interaction
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    # One history row with the actor, also when only the people changed: who edited the
    # interaction, and when, is kept either way.
    interaction.save()
    interaction.contacts.set(contacts)
    interaction.team_users.set(team_users)
    _fall_back_last_interaction(contact_ids=old_contact_ids, user_ids=old_user_ids, on=old_on)
    _move_last_interaction_forward(contacts=contacts, team_users=team_users, on=on)
    recompute_later(account.pk)
    return interaction


@records_actor
@transaction.atomic
def interaction_delete(*, interaction: Interaction, by: User) -> None:
    """Delete an interaction; the relationships it touched fall back to the remaining ones
    (a pair whose last interaction is this one's date gets the date of its latest
    remaining interaction, or None)."""
    account_id = interaction.account_id
    on = interaction.date
    contact_ids = list(interaction.contacts.values_list("pk", flat=True))
    user_ids = list(interaction.team_users.values_list("pk", flat=True))
    interaction.delete()
    _fall_back_last_interaction(contact_ids=contact_ids, user_ids=user_ids, on=on)
    recompute_later(account_id)
