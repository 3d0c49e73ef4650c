"""The contacts list as a file (DESIGN §10): the columns of `contacts/export/` and of the
Contacts tab's Export links."""

from django.db.models import QuerySet

from core.exports import Column, label, name_of

from .models import Contact


def contact_columns() -> list[Column]:
    """Ids to import back (the contact, its account, business unit and manager), names
    and labels to read."""
    return [
        Column("id", lambda c: c.pk),
        Column("account_id", lambda c: c.account_id),
        Column("account", lambda c: c.account.name),
        Column("name", lambda c: c.name),
        Column("title", lambda c: c.title),
        Column("email", lambda c: c.email),
        Column("phone", lambda c: c.phone),
        Column("business_unit_id", lambda c: c.business_unit_id),
        Column("business_unit", lambda c: name_of(c.business_unit)),
        Column("reports_to_id", lambda c: c.reports_to_id),
        Column("reports_to", lambda c: name_of(c.reports_to)),
        Column("level", lambda c: label(c, "level")),
        Column("buying_role", lambda c: label(c, "buying_role")),
        Column("attitude", lambda c: label(c, "attitude")),
        Column("notes", lambda c: c.notes),
        Column("created_at", lambda c: c.created_at),
        Column("updated_at", lambda c: c.updated_at),
    ]


def contact_export_queryset(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """What the columns read, joined (a constant number of queries for any rows)."""
    return queryset.prefetch_related(None).select_related("account", "business_unit", "reports_to")
