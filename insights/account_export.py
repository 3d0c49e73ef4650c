"""One account whole, as JSON (DESIGN §10: `accounts/{id}/export/`): its fields and tier,
its business units, contacts, team, relationships and interactions, its plans (goals →
strategies → tactics, SWOT, knowledge points, comments, life cycle), business reviews,
opportunities with their qualification answers, scorecards with their lines, survey
rounds, alerts and tier history; and the names of the people they mention.

Read for an account the caller may see (the view loads it through
`account_get_for_user`: anything else is a 404). Every record is written with all its
own fields, foreign keys as `<name>_id`; a parent account the caller may not see is
given by id only, as on the page. Secrets stay out: no survey links (their tokens) and
nothing of the users but their names. A fixed number of queries whatever the account
holds: each kind of record is read once and nested in memory.
"""

import json
from collections import defaultdict
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.utils import timezone

from accounts_app.models import Account, Relationship, User
from core.exports import attachment
from opportunities.models import QualificationAnswer
from plans.models import (
    BusinessReview,
    Goal,
    KnowledgePoint,
    PlanComment,
    PlanTransition,
    ReviewActionItem,
    Strategy,
    SwotItem,
    Tactic,
)
from scorecards.models import ScorecardLine
from segmentation.models import TierAssignment, TierChange

from .exports import kept_list_name

FORMAT_VERSION = 1


class _Encoder(DjangoJSONEncoder):
    """Amounts and figures as JSON numbers (DjangoJSONEncoder writes them as strings)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


class _Writer:
    """Records as dicts of their own fields, noting the users they point at."""

    def __init__(self):
        self.user_ids: set[int] = set()

    def record(self, obj: models.Model, *, exclude=(), **extra) -> dict:
        data = {}
        for field in obj._meta.concrete_fields:
            if field.name in exclude:
                continue
            value = getattr(obj, field.attname)
            if field.is_relation and field.related_model is User and value is not None:
                self.user_ids.add(value)
            data[field.attname] = value
        data.update(extra)
        return data

    def users(self, users) -> list[int]:
        ids = sorted(user.pk for user in users)
        self.user_ids.update(ids)
        return ids

    def records(self, objects, **kwargs) -> list[dict]:
        return [self.record(obj, **kwargs) for obj in objects]


def _by(objects, attribute: str) -> dict[int, list]:
    grouped = defaultdict(list)
    for obj in objects:
        grouped[getattr(obj, attribute)].append(obj)
    return grouped


def account_export(*, account: Account, user: User) -> dict:
    """Everything Strata holds on `account` (one the caller may see), as plain data."""
    out = _Writer()
    parent_visible = getattr(account, "parent_visible", False)
    data = {
        "format": "strata-account",
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "exported_by": user.pk,
        "account": out.record(
            account,
            exclude=("latest_snapshot",),
            industry_name=kept_list_name(account, "industry"),
            region_name=kept_list_name(account, "region"),
            parent_name=account.parent.name if account.parent_id and parent_visible else None,
        ),
    }
    assignment = TierAssignment.objects.filter(account=account).select_related("tier").first()
    data["tier"] = (
        out.record(assignment, exclude=("account",), tier_name=assignment.tier.name)
        if assignment
        else None
    )
    data["tier_history"] = [
        out.record(
            change,
            from_tier_name=change.from_tier.name if change.from_tier else None,
            to_tier_name=change.to_tier.name if change.to_tier else None,
        )
        for change in TierChange.objects.filter(account=account)
        .select_related("from_tier", "to_tier")
        .order_by("at", "id")
    ]
    data.update(_people(account, out))
    data["plans"] = _plans(account, out)
    data["business_reviews"] = _reviews(account, out)
    data["opportunities"] = _opportunities(account, out)
    data["scorecards"] = _scorecards(account, out)
    data["survey_rounds"] = out.records(account.survey_rounds.order_by("created_at", "id"))
    data["alerts"] = out.records(account.alerts.order_by("raised_at", "id"))
    names = User.objects.filter(pk__in=out.user_ids).order_by("pk")
    data["people"] = {str(person.pk): person.name for person in names}
    return data


def _people(account: Account, out: _Writer) -> dict:
    interactions = account.interactions.prefetch_related("contacts", "team_users").order_by(
        "date", "id"
    )
    return {
        "business_units": out.records(account.business_units.order_by("name", "id")),
        "contacts": out.records(account.contacts.order_by("name", "id")),
        "team_members": out.records(account.team_members.order_by("role", "id")),
        "relationships": out.records(
            Relationship.objects.filter(contact__account=account).order_by("contact_id", "id")
        ),
        "interactions": [
            out.record(
                interaction,
                contact_ids=sorted(c.pk for c in interaction.contacts.all()),
                team_user_ids=out.users(interaction.team_users.all()),
            )
            for interaction in interactions
        ],
    }


def _plans(account: Account, out: _Writer) -> list[dict]:
    plans = list(account.plans.order_by("period", "id"))
    live = {"deleted_at__isnull": True}
    knowledge = _by(KnowledgePoint.objects.filter(plan__account=account, **live), "plan_id")
    swot = _by(SwotItem.objects.filter(plan__account=account, **live), "plan_id")
    goals = _by(Goal.objects.filter(plan__account=account, **live), "plan_id")
    strategies = _by(Strategy.objects.filter(goal__plan__account=account, **live), "goal_id")
    tactics = _by(
        Tactic.objects.filter(strategy__goal__plan__account=account, **live), "strategy_id"
    )
    comments = _by(
        PlanComment.objects.filter(plan__account=account).order_by("created_at", "id"), "plan_id"
    )
    transitions = _by(
        PlanTransition.objects.filter(plan__account=account).order_by("id"), "plan_id"
    )

    def goal(g):
        return out.record(
            g,
            strategies=[
                out.record(s, tactics=out.records(tactics[s.pk])) for s in strategies[g.pk]
            ],
        )

    return [
        out.record(
            plan,
            knowledge_points=out.records(knowledge[plan.pk]),
            swot_items=out.records(swot[plan.pk]),
            goals=[goal(g) for g in goals[plan.pk]],
            comments=out.records(comments[plan.pk]),
            transitions=out.records(transitions[plan.pk]),
        )
        for plan in plans
    ]


def _reviews(account: Account, out: _Writer) -> list[dict]:
    reviews = BusinessReview.objects.filter(account=account).prefetch_related(
        "attendees", "customer_attendees"
    )
    actions = _by(ReviewActionItem.objects.filter(review__account=account), "review_id")
    return [
        out.record(
            review,
            attendee_ids=out.users(review.attendees.all()),
            customer_attendee_ids=sorted(c.pk for c in review.customer_attendees.all()),
            actions=out.records(actions[review.pk]),
        )
        for review in reviews.order_by("id")
    ]


def _opportunities(account: Account, out: _Writer) -> list[dict]:
    answers = _by(
        QualificationAnswer.objects.filter(opportunity__account=account).select_related(
            "criterion"
        ),
        "opportunity_id",
    )
    opportunities = account.opportunities.select_related("stage", "product_line").order_by("id")
    return [
        out.record(
            opportunity,
            stage_name=opportunity.stage.name,
            product_line_name=opportunity.product_line.name if opportunity.product_line else None,
            qualification_answers=[
                out.record(answer, criterion_text=answer.criterion.text)
                for answer in answers[opportunity.pk]
            ],
        )
        for opportunity in opportunities
    ]


def _scorecards(account: Account, out: _Writer) -> list[dict]:
    lines = _by(
        ScorecardLine.objects.filter(scorecard__account=account).select_related("metric"),
        "scorecard_id",
    )
    return [
        out.record(
            card,
            lines=[out.record(line, metric_name=line.metric.name) for line in lines[card.pk]],
        )
        for card in account.scorecards.order_by("period_start", "id")
    ]


def account_export_response(*, account: Account, user: User) -> HttpResponse:
    """The download: `strata-account-<id>-<date>.json`."""
    content = json.dumps(account_export(account=account, user=user), cls=_Encoder, indent=2)
    filename = f"strata-account-{account.pk}-{timezone.localdate().isoformat()}.json"
    return attachment(
        content.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        filename=filename,
    )
