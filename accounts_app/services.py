"""Writes. Every change to accounts, contacts, teams and relationships goes through a
service: it validates with full_clean(), saves in a transaction and queues the account
snapshot job once the transaction has committed."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core import history
from core.archive import archive, restore
from core.history import records_actor
from core.jobs import recompute_later

from .models import (
    Account,
    AccountPurge,
    BusinessUnit,
    Contact,
    Interaction,
    Relationship,
    TeamMember,
    User,
)
from .selectors import can_create_account


def _apply(instance, data: dict[str, Any], fields: tuple[str, ...]):
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    return instance


ACCOUNT_FIELDS = (
    "name",
    "parent",
    "industry",
    "region",
    "lifecycle_stage",
    "annual_revenue",
    "wallet_estimate",
    "gross_margin_pct",
    "strategic_value",
    "strategic_value_reason",
    "website",
    "description",
)


@records_actor
@transaction.atomic
def account_create(*, by: User, **data) -> Account:
    """Create an account; its creator becomes its owner and first team member."""
    if not can_create_account(user=by):
        raise PermissionDenied("Executives read accounts; they do not create them.")
    account = _apply(Account(owner=by), data, ACCOUNT_FIELDS)
    account.full_clean()
    account.save()
    TeamMember.objects.create(account=account, user=by, role=TeamMember.Role.OWNER)
    recompute_later(account.pk)
    return account


@records_actor
@transaction.atomic
def account_update(*, account: Account, by: User, **data) -> Account:
    _apply(account, data, ACCOUNT_FIELDS)
    account.full_clean()
    account.save()
    recompute_later(account.pk)
    return account


@records_actor
@transaction.atomic
def account_archive(*, account: Account, by: User) -> Account:
    """What deleting an account does: it is archived (who, when) with everything under
    it, out of lists, dashboards, segmentation, alerts and recomputes until restored."""
    if not account.archived:
        account.archived = True
        account.archived_at = timezone.now()
        account.archived_by = by
        account.save(update_fields=["archived", "archived_at", "archived_by", "updated_at"])
    return account


@records_actor
@transaction.atomic
def account_restore(*, account: Account, by: User) -> Account:
    """Back from the archive, with everything under it as it was."""
    if account.archived:
        account.archived = False
        account.archived_at = None
        account.archived_by = None
        account.save(update_fields=["archived", "archived_at", "archived_by", "updated_at"])
        recompute_later(account.pk)
    return account


@records_actor
@transaction.atomic
def account_purge(*, account: Account, by: User, confirm: str) -> AccountPurge:
    """Remove an account and everything under it for good: admins only, the account's
    name typed in, and recorded."""
    if not (by.is_active and by.is_admin_role):
        raise PermissionDenied("Only admins purge an account.")
    if (confirm or "").strip() != account.name:
        raise ValidationError({"confirm": "Type the account's name exactly to purge it."})
    record = AccountPurge.objects.create(account_id=account.pk, name=account.name, by=by)
    history.update(Account.objects.filter(parent=account), by=by, parent=None)
    account.delete()
    return record


@records_actor
@transaction.atomic
def business_unit_create(*, account: Account, by: User, **data) -> BusinessUnit:
    unit = _apply(BusinessUnit(account=account), data, ("name", "description"))
    unit.full_clean()
    unit.save()
    recompute_later(account.pk)
    return unit


@records_actor
@transaction.atomic
def business_unit_update(*, business_unit: BusinessUnit, by: User, **data) -> BusinessUnit:
    _apply(business_unit, data, ("name", "description"))
    business_unit.full_clean()
    business_unit.save()
    return business_unit


def _require_edit(by: User, account: Account) -> None:
    # Who deleted them before (the account team, admins) archives and restores them.
    if not account.editable_by(by):
        raise PermissionDenied("Only the account team archives or restores its records.")


@records_actor
@transaction.atomic
def business_unit_archive(*, business_unit: BusinessUnit, by: User) -> BusinessUnit:
    """What deleting a business unit does (DESIGN §11): it leaves the lists, the matrix
    and the figures; its contacts and opportunities keep pointing at it."""
    _require_edit(by, business_unit.account)
    if archive(business_unit, by=by):
        recompute_later(business_unit.account_id)
    return business_unit


@records_actor
@transaction.atomic
def business_unit_restore(*, business_unit: BusinessUnit, by: User) -> BusinessUnit:
    _require_edit(by, business_unit.account)
    if restore(business_unit, by=by):
        recompute_later(business_unit.account_id)
    return business_unit


CONTACT_FIELDS = (
    "name",
    "title",
    "email",
    "phone",
    "business_unit",
    "reports_to",
    "level",
    "buying_role",
    "attitude",
    "notes",
)


@records_actor
@transaction.atomic
def contact_create(*, account: Account, by: User, **data) -> Contact:
    contact = _apply(Contact(account=account), data, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    recompute_later(account.pk)
    return contact


@records_actor
@transaction.atomic
def contact_update(*, contact: Contact, by: User, **data) -> Contact:
    _apply(contact, data, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    recompute_later(contact.account_id)
    return contact


@records_actor
@transaction.atomic
def contact_archive(*, contact: Contact, by: User) -> Contact:
    """What deleting a contact does (DESIGN §11): out of the lists, pickers, org chart
    and figures; their relationships, interactions and reporting lines are kept and come
    back as they were on restore."""
    _require_edit(by, contact.account)
    if archive(contact, by=by):
        recompute_later(contact.account_id)
    return contact


@records_actor
@transaction.atomic
def contact_restore(*, contact: Contact, by: User) -> Contact:
    _require_edit(by, contact.account)
    if restore(contact, by=by):
        recompute_later(contact.account_id)
    return contact


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
    errors = {}
    if not contacts:
        errors["contacts"] = "Choose at least one contact."
    elif any(c.account_id != account.pk for c in contacts):
        errors["contacts"] = "Choose contacts of this account."
    team_ids = set(account.team_members.values_list("user_id", flat=True))
    if any(u.pk not in team_ids for u in team_users):
        errors["team_users"] = "Choose members of the account team."
    if errors:
        raise ValidationError(errors)
    interaction = Interaction(
        account=account, kind=kind, date=on, subject=subject, note=note, created_by=by
    )
    interaction.full_clean()
    interaction.save()
    interaction.contacts.set(contacts)
    interaction.team_users.set(team_users)
    pairs = Relationship.objects.filter(contact__in=contacts, user__in=team_users)
    for relationship in pairs:
        if relationship.last_interaction is None or relationship.last_interaction < on:
            relationship.last_interaction = on
            relationship.save(update_fields=["last_interaction", "updated_at"])
    recompute_later(account.pk)
    return interaction


@records_actor
@transaction.atomic
def interaction_delete(*, interaction: Interaction, by: User) -> None:
    """Delete an interaction; the relationships it touched fall back to the remaining ones.

    A pair (contact, team member) whose last interaction is this one's date gets the
    date of its latest remaining interaction, or None if none is left. A later date
    was not set by this interaction (another one, or typed in by hand) and is kept.
    """
    account_id = interaction.account_id
    on = interaction.date
    contact_ids = list(interaction.contacts.values_list("pk", flat=True))
    user_ids = list(interaction.team_users.values_list("pk", flat=True))
    interaction.delete()
    latest_remaining = (
        Interaction.objects.filter(contacts=OuterRef("contact_id"), team_users=OuterRef("user_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    touched = Relationship.objects.filter(
        contact_id__in=contact_ids, user_id__in=user_ids, last_interaction=on
    ).annotate(latest=Subquery(latest_remaining))
    for relationship in touched:
        if relationship.latest != relationship.last_interaction:
            relationship.last_interaction = relationship.latest
            relationship.save(update_fields=["last_interaction", "updated_at"])
    recompute_later(account_id)
