"""`seed_bench --reset`: the bench data deleted, the big tables in one set-based statement
each where nothing unknown points at them, the rest through the ORM's cascade."""

from django.db import connection, models, transaction

from accounts_app.models import (
    Account,
    BusinessUnit,
    Contact,
    Interaction,
    Relationship,
    RevenueEntry,
    TeamMember,
    User,
)
from core.history import AccountHistory
from opportunities.models import (
    CompetitorPresence,
    Contract,
    Opportunity,
    ProductLine,
    QualificationAnswer,
    ScoreChange,
    StageChange,
    WhitespaceCell,
)
from plans.models import BusinessReview, Risk
from scorecards.models import (
    Scorecard,
    ScorecardLine,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

from .accounts import ACCOUNT_PREFIX
from .opportunities import PRODUCT_LINE_PREFIX
from .progress import BenchRun
from .users import USER_PREFIX

# Who may point at a contact or a business unit: (model, field). When nothing else does,
# the reset deletes their bench rows in one statement each; otherwise it leaves them to
# the ORM's cascade. Hidden relations (related_name="+") count too.
KNOWN_CONTACT_REFERENCES = {
    ("Contact", "reports_to"),
    ("Relationship", "contact"),
    ("Interaction", "contacts"),
    ("Interaction_contacts", "contact"),  # the many-to-many's own table
    ("SurveyInvitation", "contact"),
    ("BusinessReview", "customer_attendees"),
    ("BusinessReview_customer_attendees", "contact"),  # the many-to-many's own table
}
KNOWN_UNIT_REFERENCES = {
    ("CompetitorPresence", "business_unit"),
    ("Contact", "business_unit"),
    ("Opportunity", "business_unit"),
    ("WhitespaceCell", "business_unit"),
}
KNOWN_OPPORTUNITY_REFERENCES = {
    ("Contract", "renewal_opportunity"),  # the bench contracts go first
    ("QualificationAnswer", "opportunity"),
    ("ScoreChange", "opportunity"),
    ("StageChange", "opportunity"),
}
KNOWN_SCORECARD_REFERENCES = {("ScorecardLine", "scorecard")}


def only_known_references(model, known: set[tuple[str, str]]) -> bool:
    """Whether only the relations `known` point at `model`, hidden ones included (an
    unknown one would fail the set-based delete, or lose its cascade)."""
    found = {
        (rel.related_model.__name__, rel.field.name)
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.is_relation
        and rel.auto_created
        and not rel.concrete
        # A history row's reference has no constraint and no cascade: it outlives the row.
        and not _history_reference(rel)
    }
    return found <= known


def _history_reference(rel) -> bool:
    field = rel.field
    return (
        issubclass(rel.related_model, AccountHistory)
        and not getattr(field, "db_constraint", True)
        and field.remote_field.on_delete is models.DO_NOTHING
    )


def delete_in_one_statement(queryset) -> int:
    """DELETE the rows of `queryset` with one statement and a subquery, no cascade."""
    model = queryset.model
    select, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({select})", params)
        return cursor.rowcount


def reset(run: BenchRun) -> None:
    """Delete the bench data: its accounts and everything on them, its users and its
    catalogue of product lines; the demo data stays."""
    bench = Account.objects.filter(name__startswith=ACCOUNT_PREFIX)
    contacts = Contact.objects.filter(account__in=bench)
    units = BusinessUnit.objects.filter(account__in=bench)
    deals = Opportunity.objects.filter(account__in=bench)
    cards = Scorecard.objects.filter(account__in=bench)
    rounds = SurveyRound.objects.filter(account__in=bench)
    deleted = 0
    with transaction.atomic():
        # The retention data: 360,000 revenue months at 10,000 accounts, whose history
        # signals would have the ORM's cascade load and record each one; the contracts
        # before the renewal opportunities they point at.
        for model in (RevenueEntry, Contract, Risk):
            if only_known_references(model, set()):
                deleted += delete_in_one_statement(model.objects.filter(account__in=bench))
        # The big tables go first, each in one set-based statement: the ORM's cascade
        # collector would load 100,000 contacts and issue thousands of queries.
        if only_known_references(Opportunity, KNOWN_OPPORTUNITY_REFERENCES):
            for model in (QualificationAnswer, ScoreChange, StageChange):
                rows = model.objects.filter(opportunity__in=deals)
                if only_known_references(model, set()):
                    deleted += delete_in_one_statement(rows)
                else:
                    deleted += rows.delete()[0]
            deleted += delete_in_one_statement(deals)
        # Five years of monthly scorecards: 3,000,000 lines at 10,000 accounts.
        if only_known_references(Scorecard, KNOWN_SCORECARD_REFERENCES) and only_known_references(
            ScorecardLine, set()
        ):
            deleted += delete_in_one_statement(ScorecardLine.objects.filter(scorecard__in=cards))
            deleted += delete_in_one_statement(cards)
        # The surveys before the contacts their invitations point at (a few thousand
        # rows: the ORM's delete, cascades and all).
        deleted += SurveyAnswer.objects.filter(response__round__in=rounds).delete()[0]
        deleted += SurveyResponse.objects.filter(round__in=rounds).delete()[0]
        deleted += SurveyInvitation.objects.filter(round__in=rounds).delete()[0]
        deleted += rounds.delete()[0]
        SurveyInvitation.objects.filter(contact__in=contacts).update(contact=None)
        # Hundreds of thousands of rows: one statement each where nothing else points at
        # them, rather than the ORM's delete loading and signalling each row.
        relationships = Relationship.objects.filter(contact__in=contacts)
        if only_known_references(Relationship, set()):
            deleted += delete_in_one_statement(relationships)
        else:
            deleted += relationships.delete()[0]
        if only_known_references(TeamMember, set()):
            deleted += delete_in_one_statement(TeamMember.objects.filter(account__in=bench))
        deleted += Interaction.contacts.through.objects.filter(contact__in=contacts).delete()[0]
        attendees = BusinessReview.customer_attendees.through.objects
        deleted += attendees.filter(contact__in=contacts).delete()[0]
        if only_known_references(Contact, KNOWN_CONTACT_REFERENCES):
            Contact.objects.filter(reports_to__in=contacts).update(reports_to=None)
            deleted += delete_in_one_statement(contacts)
        if only_known_references(BusinessUnit, KNOWN_UNIT_REFERENCES):
            Contact.objects.filter(business_unit__in=units).update(business_unit=None)
            CompetitorPresence.objects.filter(business_unit__in=units).update(business_unit=None)
            Opportunity.objects.filter(business_unit__in=units).update(business_unit=None)
            deleted += WhitespaceCell.objects.filter(business_unit__in=units).delete()[0]
            deleted += delete_in_one_statement(units)
        # What is left (accounts, snapshots, tiers, plans, and rows of other apps pointing at
        # bench data) goes through the ORM, cascades and all.
        deleted += bench.delete()[0]
        deleted += User.objects.filter(username__startswith=USER_PREFIX).delete()[0]
        # The bench catalogue of product lines (their whitespace cells go with them).
        deleted += ProductLine.objects.filter(name__startswith=PRODUCT_LINE_PREFIX).delete()[0]
    run.stdout.write(f"seed_bench: reset removed {deleted} rows.")
