"""Factories of scorecards, surveys and alerts. The metric library, the questionnaire and
the alert rules are seeded (`ensure_defaults()`, `alert_defaults_ensure()`):
`MetricFactory(name="Revenue")` returns the seeded metric. A scorecard and a survey
round are made through the services (`ScorecardFactory(account=a, by=u)`), `.build()`
gives a plain unsaved row, as `seed_bench` writes them in bulk."""

import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from scorecards import services, surveys
from scorecards.models import (
    Alert,
    AlertRule,
    Metric,
    Scorecard,
    ScorecardLine,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
    SurveyTemplate,
)

from .accounts import AccountFactory, ContactFactory
from .base import ModelFactory

LINK_BASE = "https://strata.example/s/"


class MetricFactory(ModelFactory):
    class Meta:
        model = Metric
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Metric {n}")
    perspective = Metric.Perspective.CUSTOMER
    kind = Metric.Kind.LAGGING


class ScorecardFactory(ModelFactory):
    """Through `scorecard_create` by `by` (else the account's owner): quarterly from
    1 January 2026 unless told otherwise, with the lines of `metrics=` (metrics or names
    of the library); `lines={"Revenue": {"weight": "2", "target": "1000"}}` then sets
    figures through `line_update`, so the stored attainment and score follow."""

    class Meta:
        model = Scorecard

    account = factory.SubFactory(AccountFactory)
    cadence = Scorecard.Cadence.QUARTERLY
    period_start = date(2026, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, account, by=None, metrics=(), lines=None, **fields):
        by = by or account.owner
        library = [m if isinstance(m, Metric) else Metric.objects.get(name=m) for m in metrics]
        card = services.scorecard_create(account=account, by=by, metrics=library, **fields)
        for name, figures in (lines or {}).items():
            services.line_update(line=card.lines.get(metric__name=name), by=by, **figures)
        if lines:
            card.refresh_from_db()
        return card


class ScorecardLineFactory(ModelFactory):
    class Meta:
        model = ScorecardLine

    scorecard = factory.SubFactory(ScorecardFactory)
    metric = factory.SubFactory(MetricFactory)


def the_questionnaire() -> SurveyTemplate | None:
    return SurveyTemplate.objects.filter(active=True).order_by("pk").first()


class SurveyRoundFactory(ModelFactory):
    """Through `round_create` by `by` (else the account's owner), sent to `contacts=`
    (one new contact of the account unless given); `send=False` mails nothing. Mails go
    out on commit: wrap it in `django_capture_on_commit_callbacks(execute=True)`."""

    class Meta:
        model = SurveyRound

    account = factory.SubFactory(AccountFactory)
    template = factory.LazyFunction(the_questionnaire)
    title = factory.Sequence(lambda n: f"Survey {n}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))

    @classmethod
    def _create(cls, model_class, *args, account, by=None, contacts=None, **fields):
        fields.pop("expires_at")  # the service's, from days_open
        fields.setdefault("link_base", LINK_BASE)
        if contacts is None:
            contacts = [ContactFactory(account=account, email="buyer@customer.example")]
        return surveys.round_create(
            account=account, by=by or account.owner, contacts=contacts, **fields
        )


class SurveyInvitationFactory(ModelFactory):
    class Meta:
        model = SurveyInvitation

    round = factory.SubFactory(SurveyRoundFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@customer.example")
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token {n}".encode()).hexdigest())


class SurveyResponseFactory(ModelFactory):
    class Meta:
        model = SurveyResponse

    round = factory.SubFactory(SurveyRoundFactory)
    kind = SurveyResponse.Kind.CUSTOMER


class SurveyAnswerFactory(ModelFactory):
    class Meta:
        model = SurveyAnswer

    response = factory.SubFactory(SurveyResponseFactory)
    score = 3


class AlertFactory(ModelFactory):
    """An open alert of a seeded rule (`rule=`, else the first), raised now."""

    class Meta:
        model = Alert

    rule = factory.LazyFunction(lambda: AlertRule.objects.order_by("pk").first())
    account = factory.SubFactory(AccountFactory)
    subject_key = factory.Sequence(lambda n: f"subject:{n}")
    subject_label = factory.LazyAttribute(lambda a: f"Subject {a.subject_key}")
    description = "…"
    severity = factory.LazyAttribute(lambda a: a.rule.severity)
    raised_at = factory.LazyFunction(timezone.now)
    evaluated_at = factory.SelfAttribute("raised_at")
