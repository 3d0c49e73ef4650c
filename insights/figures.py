"""What the recompute job adds to each account's daily snapshot, for a batch of accounts
at once: the latest scorecard score, the latest customer survey, plan execution,
engagement recency, account health with its components (DESIGN §3), the open pipeline
by verdict, the current plan, the next review due and the revenue history's last twelve
months and growth. A fixed number of queries per batch (twelve), whatever its size, so
the nightly run over every account is a few hundred queries.

insights.snapshots calls account_figures() for each batch it writes.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, OuterRef, Q, Subquery, Sum

from accounts_app.models import Account, AccountSnapshot, Contact, Interaction, RevenueEntry
from accounts_app.revenue import windows, yoy_growth_pct
from core.periods import fiscal_year
from opportunities.models import Opportunity, Stage
from opportunities.selectors import stalled_condition, verdict_condition
from plans.models import Tactic
from plans.reviews import reviews_due_for
from plans.selectors import current_plans
from scorecards import formulas
from scorecards.models import HealthWeights, Scorecard, SurveyAnswer, SurveyResponse

from .servicing import servicing_verdicts

MOVED_DAYS = 30  # the dashboards' "moved most in 30 days"
NEVER_MET_DAYS = 10_000  # a decision maker nobody has met: engagement 0


def _latest_scores(account_ids: Sequence[int], day: date) -> dict[int, Decimal]:
    """Each account's score of its latest scored period that has begun."""
    latest = (
        Scorecard.objects.filter(
            account_id=OuterRef("pk"), period_start__lte=day, score__isnull=False
        )
        .order_by("-period_start")
        .values("score")[:1]
    )
    return {
        pk: score
        for pk, score in Account.objects.filter(pk__in=account_ids)
        .annotate(score=Subquery(latest))
        .values_list("pk", "score")
        if score is not None
    }


def _latest_survey_means(account_ids: Sequence[int]) -> dict[int, Decimal]:
    """The mean customer answer of each account's latest round that has any."""
    latest: dict[int, tuple] = {}
    rows = (
        SurveyAnswer.objects.filter(
            response__kind=SurveyResponse.Kind.CUSTOMER,
            response__round__account_id__in=account_ids,
        )
        .values("response__round__account_id", "response__round_id")
        .annotate(mean=Avg("score"), at=Max("response__round__created_at"))
    )
    for row in rows:
        account_id = row["response__round__account_id"]
        if account_id not in latest or row["at"] > latest[account_id][0]:
            latest[account_id] = (row["at"], Decimal(str(row["mean"])))
    return {account_id: mean for account_id, (_, mean) in latest.items()}


def _tactics(account_ids: Sequence[int], day: date) -> dict[int, dict]:
    """Of the current fiscal year's plan: tactics due by `day`, those done by their due
    date, and open ones past it."""
    due = Q(due_date__lte=day) & ~Q(status=Tactic.Status.DROPPED)
    rows = (
        Tactic.objects.filter(
            deleted_at__isnull=True,
            strategy__deleted_at__isnull=True,
            strategy__goal__deleted_at__isnull=True,
            strategy__goal__plan__account_id__in=account_ids,
            strategy__goal__plan__period=fiscal_year(day),
        )
        .values("strategy__goal__plan__account_id")
        .annotate(
            due=Count("id", filter=due),
            on_time=Count(
                "id",
                filter=due & Q(status=Tactic.Status.DONE, done_on__lte=F("due_date")),
            ),
            overdue=Count("id", filter=Q(due_date__lt=day, status__in=Tactic.OPEN_STATUSES)),
        )
    )
    return {row.pop("strategy__goal__plan__account_id"): row for row in rows}


def _engagement_days(account_ids: Sequence[int], day: date) -> dict[int, int]:
    """Days since a decision maker was last met, for accounts that record one."""
    with_decision_makers = set(
        Contact.objects.filter(
            account_id__in=account_ids,
            buying_role=Contact.BuyingRole.DECISION_MAKER,
            archived=False,
        )
        .values_list("account_id", flat=True)
        .distinct()
    )
    met = dict(
        Interaction.objects.filter(
            account_id__in=account_ids,
            contacts__buying_role=Contact.BuyingRole.DECISION_MAKER,
            contacts__archived=False,
            date__lte=day,
        )
        .values("account_id")
        .annotate(last=Max("date"))
        .values_list("account_id", "last")
    )
    return {
        account_id: (day - met[account_id]).days if account_id in met else NEVER_MET_DAYS
        for account_id in with_decision_makers
    }


def _pipeline(account_ids: Sequence[int]) -> dict[int, dict]:
    rows = (
        Opportunity.objects.filter(
            account_id__in=account_ids, stage__outcome=Stage.Outcome.OPEN, archived=False
        )
        .values("account_id")
        .annotate(
            open_value=Sum("value"),
            weighted=Sum("weighted_value"),
            count=Count("id"),
            qualified=Count("id", filter=verdict_condition("qualified")),
            needs_work=Count("id", filter=verdict_condition("needs_work")),
            unqualified=Count("id", filter=verdict_condition("unqualified")),
            stalled=Count("id", filter=stalled_condition()),
        )
    )
    return {row.pop("account_id"): row for row in rows}


def _plans(account_ids: Sequence[int], day: date) -> dict[int, tuple[str, int | None]]:
    return {
        account_id: (status, quality)
        for account_id, status, quality in current_plans(accounts=account_ids, on=day).values_list(
            "account_id", "status", "quality"
        )
    }


def _next_reviews(rows) -> dict[int, tuple[date, str]]:
    """The review each account's tier calls for first: (due, kind)."""
    first: dict[int, tuple[date, str]] = {}
    for row in rows:
        if row.account_id not in first or row.due < first[row.account_id][0]:
            first[row.account_id] = (row.due, row.kind)
    return first


def _revenue(account_ids: Sequence[int], day: date) -> dict[int, dict]:
    """Each account's revenue history over the last twelve whole months and the twelve
    before (accounts_app.revenue's windows): the accounts with none are left out."""
    w = windows(day)
    rows = (
        RevenueEntry.objects.filter(
            account_id__in=account_ids, month__gte=w.earlier_from, month__lt=w.until
        )
        .order_by()
        .values("account_id")
        .annotate(
            earlier=Sum("amount", filter=Q(month__lt=w.later_from)),
            later=Sum("amount", filter=Q(month__gte=w.later_from)),
        )
    )
    return {r["account_id"]: r for r in rows if r["later"] is not None}


def _json(value) -> float | None:
    return None if value is None else float(value)


def account_figures(
    account_ids: Sequence[int], *, day: date, rpi: Mapping[int, Decimal | None]
) -> dict[int, dict]:
    """The snapshot fields of each account: field name → value."""
    weights = HealthWeights.current().as_dict()
    scores = _latest_scores(account_ids, day)
    surveys = _latest_survey_means(account_ids)
    tactics = _tactics(account_ids, day)
    engagement_days = _engagement_days(account_ids, day)
    pipeline = _pipeline(account_ids)
    plans = _plans(account_ids, day)
    review_rows = reviews_due_for(list(account_ids))
    reviews = _next_reviews(review_rows)
    revenue = _revenue(account_ids, day)
    servicing = servicing_verdicts(account_ids=account_ids, on=day, review_rows=review_rows)
    health_then = _health_then(account_ids, day)
    figures = defaultdict(dict)
    for account_id in account_ids:
        t = tactics.get(account_id, {})
        execution = formulas.plan_execution(t.get("due", 0), t.get("on_time", 0))
        engagement = formulas.engagement_recency(engagement_days.get(account_id))
        survey_mean = surveys.get(account_id)
        components = {
            "rpi": rpi.get(account_id),
            "scorecard": scores.get(account_id),
            "survey": formulas.survey_component(survey_mean),
            "plan_execution": execution,
            "engagement": engagement,
        }
        health = formulas.account_health(components, weights)
        p = pipeline.get(account_id, {})
        status, quality = plans.get(account_id, ("", None))
        figures[account_id] = {
            "scorecard_score": scores.get(account_id),
            "survey_mean": None if survey_mean is None else round(survey_mean, 2),
            "plan_execution": execution,
            "engagement": engagement,
            "health": health.score,
            "health_band": health.band or "",
            "health_components": {
                key: {
                    "value": _json(value),
                    "weight": _json(weight),
                    "contribution": _json(contribution),
                }
                for key, (value, weight, contribution) in health.components.items()
            },
            "pipeline_open_value": p.get("open_value") or Decimal(0),
            "pipeline_weighted": p.get("weighted") or Decimal(0),
            "opportunities_open": p.get("count", 0),
            "opportunities_qualified": p.get("qualified", 0),
            "opportunities_needs_work": p.get("needs_work", 0),
            "opportunities_unqualified": p.get("unqualified", 0),
            "opportunities_stalled": p.get("stalled", 0),
            "plan_status": status,
            "plan_quality": quality,
            "tactics_overdue": t.get("overdue", 0),
            "next_review_due": reviews.get(account_id, (None, ""))[0],
            "next_review_kind": reviews.get(account_id, (None, ""))[1],
            **_revenue_figures(revenue.get(account_id)),
            "servicing_gaps": _gaps(servicing[account_id]),
            "health_change_30d": _change(health.score, health_then.get(account_id)),
        }
    return figures


def _health_then(account_ids: Sequence[int], day: date) -> dict[int, Decimal]:
    """Each account's health MOVED_DAYS before `day`: that of its newest snapshot by
    then that has one. Two queries for the batch."""
    then = day - timedelta(days=MOVED_DAYS)
    earlier = AccountSnapshot.objects.filter(
        account_id__in=account_ids, date__lte=then, health__isnull=False
    )
    newest = dict(
        earlier.order_by()
        .values("account_id")
        .annotate(on=Max("date"))
        .values_list("account_id", "on")
    )
    return {
        account_id: health
        for account_id, on, health in earlier.filter(date__in=set(newest.values()))
        .order_by()
        .values_list("account_id", "date", "health")
        if newest.get(account_id) == on
    }


def _change(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    return None if now is None or then is None else now - then


def _gaps(verdict) -> int | None:
    return None if verdict.meets is None else len(verdict.unmet)


def _revenue_figures(row: dict | None) -> dict:
    if row is None:
        return {"revenue_ttm": None, "revenue_yoy_pct": None}
    growth = yoy_growth_pct(row["later"], row["earlier"] or Decimal(0))
    return {
        "revenue_ttm": row["later"],
        "revenue_yoy_pct": None if growth is None else round(growth, 1),
    }


FIELDS = [
    "scorecard_score",
    "survey_mean",
    "plan_execution",
    "engagement",
    "health",
    "health_band",
    "health_components",
    "pipeline_open_value",
    "pipeline_weighted",
    "opportunities_open",
    "opportunities_qualified",
    "opportunities_needs_work",
    "opportunities_unqualified",
    "opportunities_stalled",
    "plan_status",
    "plan_quality",
    "tactics_overdue",
    "next_review_due",
    "next_review_kind",
    "revenue_ttm",
    "revenue_yoy_pct",
    "servicing_gaps",
    "health_change_30d",
]
