"""Reads of opportunities: the one access scope (the accounts the user may see), the
stalled condition in SQL, the pipeline summary, the board's columns, an opportunity's
qualification questions and histories, what secures a renewal, and the whitespace matrix
(selectors/whitespace.py). Each read costs a fixed number of queries, whatever the number
of rows."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Account, TeamMember, User

from .. import formulas
from ..models import (
    Opportunity,
    ProductLine,
    QualificationAnswer,
    QualificationCriterion,
    ScoreChange,
    Stage,
    StageChange,
)
from .whitespace import whitespace_matrix as whitespace_matrix

BOARD_CARDS_PER_STAGE = 20


def opportunity_list(*, user: User) -> QuerySet[Opportunity]:
    """Every opportunity of the accounts `user` may see.

    For a user who does not see every account, the account ids are read first (one
    query) and the opportunities filtered by that list, bound as one array parameter
    (core/lookups.py): PostgreSQL misjudges the size of the team-and-reports
    subquery and then scans every opportunity (bench/README.md).
    """
    if user.is_authenticated and user.is_active and user.sees_every_account:
        return Opportunity.objects.all()
    ids = list(Account.objects.visible_to(user).values_list("pk", flat=True))
    return Opportunity.objects.filter(account_id__any_of=ids)


def opportunity_get_for_user(*, user: User, opportunity_id) -> Opportunity:
    """The opportunity, or 404 if its account is not one the user may see."""
    try:
        return (
            opportunity_list(user=user)
            .select_related("account", "stage", "owner", "product_line", "business_unit")
            .get(pk=opportunity_id)
        )
    except (Opportunity.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such opportunity.") from exc


def is_stalled(opportunity: Opportunity, *, now=None) -> bool:
    """formulas.is_stalled for an opportunity (its stage loaded)."""
    stage = opportunity.stage
    return formulas.is_stalled(
        stage_open=stage.outcome == Stage.Outcome.OPEN,
        stall_days=stage.stall_days,
        stage_changed_at=opportunity.stage_changed_at,
        now=now or timezone.now(),
    )


def stalled_condition(*, now=None) -> Q:
    """formulas.is_stalled in SQL: one condition per open stage with a limit, the stages
    read in one query."""
    now = now or timezone.now()
    condition = Q(pk__in=[])  # nothing, where no stage has a limit
    open_stages = Stage.objects.filter(outcome=Stage.Outcome.OPEN).values_list("pk", "stall_days")
    for stage_id, days in open_stages:
        limit = formulas.stalled_before(days, now)
        if limit is not None:
            condition |= Q(stage_id=stage_id, stage_changed_at__lt=limit)
    return condition


VERDICT_LABELS = {
    "qualified": "Qualified",
    "needs_work": "Needs work",
    "unqualified": "Unqualified",
}


def mark_rows(opportunities, *, now=None) -> list[Opportunity]:
    """Set `verdict` (and its label), `stalled` and `url` on each row (their stage
    already loaded). The URL comes from a prefix reversed once: a board renders a
    hundred cards, each with two links."""
    now = now or timezone.now()
    prefix = reverse("opportunities:portfolio")
    rows = list(opportunities)
    for row in rows:
        row.verdict = formulas.verdict(row.qualification_score)
        row.verdict_label = VERDICT_LABELS.get(row.verdict, "")
        row.stalled = is_stalled(row, now=now)
        row.url = f"{prefix}{row.pk}/"
    return rows


def editable_account_ids(*, user: User, account_ids) -> set[int]:
    """Of `account_ids`, those whose opportunities `user` may change (one query)."""
    account_ids = set(account_ids)
    if not account_ids or not (user.is_authenticated and user.is_active):
        return set()
    if user.is_admin_role:
        return account_ids
    return set(
        TeamMember.objects.filter(user=user, account_id__in=account_ids)
        .exclude(role__in=TeamMember.READ_ONLY_ROLES)
        .values_list("account_id", flat=True)
    )


def on_account_team(*, user: User, account: Account) -> bool:
    """Whether `user` is on the account's team (a new opportunity is theirs to own)."""
    return TeamMember.objects.filter(account=account, user=user).exists()


def verdict_condition(verdict: str) -> Q:
    """The stored scores that earn `verdict` (formulas.verdict in SQL)."""
    if verdict == "qualified":
        return Q(qualification_score__gte=formulas.QUALIFIED_FROM)
    if verdict == "needs_work":
        return Q(
            qualification_score__gte=formulas.NEEDS_WORK_FROM,
            qualification_score__lt=formulas.QUALIFIED_FROM,
        )
    return Q(qualification_score__lt=formulas.NEEDS_WORK_FROM)


def renewal_secured() -> Q:
    """The renewal opportunities that secure their contract: won, or open and
    qualified (not archived). Its twin for one opportunity is renewal_state()."""
    return Q(archived=False) & (
        Q(stage__outcome=Stage.Outcome.WON)
        | (verdict_condition("qualified") & Q(stage__outcome=Stage.Outcome.OPEN))
    )


def renewal_state(renewal: Opportunity | None) -> str:
    """Where a contract's renewal stands: `not_open` (none, or archived), `lost`, `won`,
    `qualified` (secured while open) or `unqualified`."""
    if renewal is None or renewal.archived:
        return "not_open"
    if renewal.stage.outcome == Stage.Outcome.LOST:
        return "lost"
    if renewal.stage.outcome == Stage.Outcome.WON:
        return "won"
    qualified = formulas.verdict(renewal.qualification_score) == "qualified"
    return "qualified" if qualified else "unqualified"


def pipeline_summary(*, queryset: QuerySet[Opportunity]) -> dict:
    """Count, value and open weighted value of `queryset`, with its verdicts and stalled
    count: one aggregate query."""
    is_open = Q(stage__outcome=Stage.Outcome.OPEN)
    return queryset.order_by().aggregate(
        count=Count("id"),
        open_count=Count("id", filter=is_open),
        open_value=Sum("value", filter=is_open),
        open_weighted=Sum("weighted_value", filter=is_open),
        won_value=Sum("value", filter=Q(stage__outcome=Stage.Outcome.WON)),
        qualified=Count("id", filter=is_open & verdict_condition("qualified")),
        needs_work=Count("id", filter=is_open & verdict_condition("needs_work")),
        unqualified=Count("id", filter=is_open & verdict_condition("unqualified")),
        stalled=Count("id", filter=stalled_condition()),
    )


def owner_choices(*, queryset: QuerySet[Opportunity]) -> QuerySet[User]:
    """The people who own an opportunity of `queryset`: the owner filter's choices."""
    return User.objects.filter(pk__in=queryset.values("owner_id")).order_by(
        "first_name", "last_name", "username"
    )


@dataclass
class BoardColumn:
    stage: Stage
    count: int = 0
    value: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)
    cards: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def board_columns(
    *,
    queryset: QuerySet[Opportunity],
    outcome: str | None = None,
    per_stage: int = BOARD_CARDS_PER_STAGE,
) -> list[BoardColumn]:
    """One column per stage in order (those of `outcome` only, if given): its count and
    totals over the whole `queryset`, and its first `per_stage` cards in the queryset's
    order. Two queries, and one per column for the cards, whatever the number of
    opportunities: each a short read of the index on (stage, roe, id) by default."""
    stages = Stage.objects.order_by("position")
    if outcome:
        stages = stages.filter(outcome=outcome)
    columns = {stage.pk: BoardColumn(stage=stage) for stage in stages}
    totals = (
        queryset.order_by()
        .values("stage_id")
        .annotate(n=Count("id"), total=Sum("value"), weighted=Sum("weighted_value"))
    )
    for row in totals:
        column = columns.get(row["stage_id"])
        if column:
            column.count = row["n"]
            column.value = row["total"] or Decimal(0)
            column.weighted = row["weighted"] or Decimal(0)
    cards = queryset.select_related("account", "stage", "owner")
    for column in columns.values():
        column.cards = mark_rows(cards.filter(stage_id=column.stage.pk)[:per_stage])
    return list(columns.values())


def stages() -> QuerySet[Stage]:
    """The pipeline's stages in order."""
    return Stage.objects.order_by("position")


def account_opportunities(*, account: Account) -> QuerySet[Opportunity]:
    """The opportunities of one account (loaded through account_get_for_user)."""
    return account.opportunities.all()


def pipeline_rows(*, queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """`queryset` with what a row of the list shows (account, stage, owner) loaded."""
    return queryset.select_related("account", "stage", "owner")


# --- One opportunity -----------------------------------------------------------------------


def qualification_criteria(*, active_only: bool = False) -> QuerySet[QualificationCriterion]:
    """The qualification criteria in order; only the active ones if asked."""
    criteria = QualificationCriterion.objects.order_by("position", "id")
    return criteria.filter(active=True) if active_only else criteria


def qualification_answers(*, opportunity: Opportunity) -> dict[int, int]:
    """The opportunity's answers: criterion id → 0, 1 or 2 (one query)."""
    return dict(
        QualificationAnswer.objects.filter(opportunity=opportunity).values_list(
            "criterion_id", "answer"
        )
    )


def qualification_questions(*, opportunity: Opportunity) -> list[QualificationCriterion]:
    """The active criteria in order, each with `current`: the opportunity's answer, None
    where unanswered (two queries)."""
    criteria = list(qualification_criteria(active_only=True))
    answers = qualification_answers(opportunity=opportunity)
    for criterion in criteria:
        criterion.current = answers.get(criterion.pk)
    return criteria


def answer_count(*, opportunity: Opportunity) -> int:
    return QualificationAnswer.objects.filter(opportunity=opportunity).count()


def stage_history(*, opportunity: Opportunity, limit: int = 20) -> QuerySet[StageChange]:
    """The latest moves between stages, newest first."""
    return StageChange.objects.filter(opportunity=opportunity).select_related(
        "from_stage", "to_stage", "by"
    )[:limit]


def score_history(*, opportunity: Opportunity, limit: int = 20) -> QuerySet[ScoreChange]:
    """The latest changes of the qualification score, newest first."""
    return ScoreChange.objects.filter(opportunity=opportunity).select_related("by")[:limit]


def product_line_get(*, product_line_id) -> ProductLine:
    """The product line, or 404 (the catalogue is everyone's to read)."""
    return get_object_or_404(ProductLine, pk=product_line_id)


def product_line_find(*, product_line_id) -> ProductLine | None:
    """The product line, or None (a prefill from a link that may be stale)."""
    return ProductLine.objects.filter(pk=product_line_id).first()
