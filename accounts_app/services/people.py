"""The customer's side of an account: its business units and contacts."""

from django.db import transaction

from core.archive import archive, restore
from core.history import records_actor
from core.jobs import recompute_later

from ..models import (
    Account,
    BusinessUnit,
    Contact,
    User,
)
from .common import _apply, _require_edit


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
