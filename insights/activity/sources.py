"""What the Activity reads (DESIGN §11): every tracked record's history table, the alerts'
state changes and the tiers' changes. Each source says how to select its rows for the
one UNION (the same five columns), how to name the record a row is about, and where it
lives in the app."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import CharField, F, QuerySet, Value
from django.urls import reverse

from accounts_app.models import (
    Account,
    BusinessUnit,
    Contact,
    Interaction,
    Relationship,
    TeamMember,
)
from opportunities.models import Opportunity, QualificationAnswer
from plans.models import (
    BusinessReview,
    Goal,
    KnowledgePoint,
    Plan,
    ReviewActionItem,
    Strategy,
    SwotItem,
    Tactic,
)
from scorecards.models import AlertEvent, Scorecard, ScorecardLine
from segmentation.models import TierChange

# The union's columns, in order: which source, the row's key there, when, who, account.
COLUMNS = ("src", "row_pk", "when", "who", "acct")

# Alert events that change an alert's state (a notification or a refreshed text does not).
ALERT_STATES = ("raised", "escalated", "acknowledged", "resolved", "auto_resolved", "dismissed")


def _short(text: str, size: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


@dataclass(frozen=True)
class Source:
    """One kind of record in the Activity.

    `title(row, ref)` names the record from its own (history) row, `ref(attname)` giving
    the label of a related record among `refs` (loaded once per related model for the
    whole page); `link(row, account_id)` is where it is seen in the app, or None."""

    key: str
    label: str
    model: type
    title: Callable
    refs: tuple[str, ...] = ()
    link: Callable | None = None
    history: bool = True

    @cached_property
    def table(self):
        """The model whose rows the union selects: the history model, or the log itself.
        Kept: simple-history's `Model.history` builds a manager class at each access."""
        return self.model.history.model if self.history else self.model

    def branch(self, *, account_id=None, user_id=None, since=None, until=None) -> QuerySet:
        """This source's rows as the union's five columns, filtered in indexed columns."""
        if self.history:
            qs = self.table.objects.annotate(
                row_pk=F("history_id"),
                when=F("history_date"),
                who=F("history_user_id"),
                acct=F("history_account_id"),
            )
            at, user, account = "history_date", "history_user_id", "history_account_id"
        elif self.model is AlertEvent:
            qs = AlertEvent.objects.filter(kind__in=ALERT_STATES).annotate(
                row_pk=F("id"), when=F("at"), who=F("user_id"), acct=F("alert__account_id")
            )
            at, user, account = "at", "user_id", "alert__account_id"
        else:  # TierChange
            qs = TierChange.objects.annotate(
                row_pk=F("id"), when=F("at"), who=F("by_id"), acct=F("account_id")
            )
            at, user, account = "at", "by_id", "account_id"
        filters = {}
        if account_id is not None:
            filters[account] = account_id
        if user_id is not None:
            filters[user] = user_id
        if since is not None:
            filters[f"{at}__gte"] = since
        if until is not None:
            filters[f"{at}__lt"] = until
        return (
            qs.filter(**filters)
            .annotate(src=Value(self.key, output_field=CharField()))
            .order_by()
            .values_list(*COLUMNS)
        )


def _account_tab(name):
    return lambda row, account_id: _url(name, account_id)


SOURCES: tuple[Source, ...] = (
    Source(
        "account",
        "account",
        Account,
        lambda row, ref: row.name,
        link=lambda row, account_id: _url("accounts:detail", row.id),
    ),
    Source(
        "business_unit",
        "business unit",
        BusinessUnit,
        lambda row, ref: row.name,
        link=_account_tab("accounts:contacts"),
    ),
    Source(
        "contact",
        "contact",
        Contact,
        lambda row, ref: row.name,
        link=_account_tab("accounts:contacts"),
    ),
    Source(
        "team_member",
        "team member",
        TeamMember,
        lambda row, ref: f"{ref('user_id')} ({row.get_role_display()})",
        refs=("user_id",),
        link=_account_tab("accounts:team"),
    ),
    Source(
        "relationship",
        "relationship",
        Relationship,
        lambda row, ref: f"{ref('user_id')} ↔ {ref('contact_id')}",
        refs=("user_id", "contact_id"),
        link=_account_tab("accounts:relationships"),
    ),
    Source(
        "interaction",
        "interaction",
        Interaction,
        lambda row, ref: _short(row.subject) or f"{row.get_kind_display()} on {row.date:%-d %b %Y}",
        link=_account_tab("accounts:interactions"),
    ),
    Source(
        "opportunity",
        "opportunity",
        Opportunity,
        lambda row, ref: row.name,
        link=lambda row, account_id: _url("opportunities:detail", row.id),
    ),
    Source(
        "qualification_answer",
        "qualification answer",
        QualificationAnswer,
        lambda row, ref: f"{ref('criterion_id')} ({ref('opportunity_id')})",
        refs=("criterion_id", "opportunity_id"),
        link=lambda row, account_id: _url("opportunities:detail", row.opportunity_id),
    ),
    Source(
        "plan",
        "plan",
        Plan,
        lambda row, ref: f"FY{row.period}",
        link=lambda row, account_id: _url("plans:detail", row.id),
    ),
    *(
        Source(
            key,
            label,
            model,
            lambda row, ref: _short(row.text),
            link=(lambda row, account_id: _url("plans:detail", row.plan_id)) if on_plan else None,
        )
        for key, label, model, on_plan in (
            ("knowledge_point", "knowledge point", KnowledgePoint, True),
            ("swot_item", "SWOT item", SwotItem, True),
            ("goal", "goal", Goal, True),
            ("strategy", "strategy", Strategy, False),
            ("tactic", "tactic", Tactic, False),
        )
    ),
    Source(
        "business_review",
        "business review",
        BusinessReview,
        lambda row, ref: row.title,
        link=lambda row, account_id: _url("reviews:detail", row.id),
    ),
    Source(
        "review_action_item",
        "action item",
        ReviewActionItem,
        lambda row, ref: _short(row.text),
        link=lambda row, account_id: _url("reviews:detail", row.review_id),
    ),
    Source(
        "scorecard",
        "scorecard",
        Scorecard,
        lambda row, ref: f"{row.get_cadence_display()} from {row.period_start:%b %Y}",
        link=_account_tab("scorecards:account"),
    ),
    Source(
        "scorecard_line",
        "scorecard line",
        ScorecardLine,
        lambda row, ref: f"{ref('metric_id')}",
        refs=("metric_id",),
        link=_account_tab("scorecards:account"),
    ),
    Source(
        "alert",
        "alert",
        AlertEvent,
        lambda row, ref: f"{row.alert.rule.name}: {row.alert.subject_label}",
        link=lambda row, account_id: _url("scorecards:alert", row.alert_id),
        history=False,
    ),
    Source(
        "tier",
        "tier",
        TierChange,
        lambda row, ref: "Tier",
        link=_account_tab("segmentation:account_tier"),
        history=False,
    ),
)
BY_KEY = {source.key: source for source in SOURCES}
KIND_CHOICES = [(source.key, source.label.capitalize()) for source in SOURCES]
