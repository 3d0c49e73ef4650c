"""Reads of scorecards: an account's scorecard for a period (its latest by default), its
lines with status, the trend of each metric and of the score over past periods; an
account's survey rounds, their questions, invitations and the team's predictions; the
alerts inbox. A fixed number of queries whatever the number of periods or lines.

Every object is reached through an account loaded by
accounts_app.selectors.account_get_for_user, or through a scope of the user's."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.expressions import Window
from django.http import Http404
from django.utils import timezone

from accounts_app.models import Account, Contact, User
from accounts_app.selectors import can_edit_account
from core import periods

from . import formulas
from .alerts.kinds import KINDS
from .alerts.services import alert_list, mine
from .models import (
    Alert,
    AlertEvent,
    AlertPreference,
    Metric,
    Scorecard,
    ScorecardLine,
    Severity,
    SurveyDimension,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

TREND_PERIODS = 8
SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH)


def account_scorecards(*, account: Account) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(account=account).order_by("-period_start")


def scorecard_get_for_user(*, user: User, account: Account, scorecard_id) -> Scorecard:
    """A scorecard of `account` (loaded for `user`), or 404."""
    try:
        return Scorecard.objects.get(pk=scorecard_id, account=account)
    except (Scorecard.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such scorecard.") from exc


def line_get_for_user(*, user: User, line_id, write: bool = False) -> ScorecardLine:
    """The line, or 404 if its account is not one the user may see (403 to change it
    without being on the team)."""
    try:
        line = (
            ScorecardLine.objects.visible_to(user)
            .select_related("scorecard__account", "metric")
            .get(pk=line_id)
        )
    except (ScorecardLine.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such scorecard line.") from exc
    if write and not can_edit_account(user=user, account=line.scorecard.account):
        raise PermissionDenied("Only the account team changes its scorecard.")
    return line


def scorecard_periods(*, account: Account) -> list[tuple[date, str]]:
    """(first day, cadence) of each of the account's scorecards, newest first."""
    return list(account_scorecards(account=account).values_list("period_start", "cadence"))


def scorecard_has_next(*, scorecard: Scorecard) -> bool:
    """Whether the period after this scorecard's has one already."""
    return Scorecard.objects.filter(
        account_id=scorecard.account_id,
        cadence=scorecard.cadence,
        period_start=periods.shift(scorecard.period_start, scorecard.cadence, 1),
    ).exists()


def scorecard_lines_by_id(*, scorecard: Scorecard) -> dict[int, ScorecardLine]:
    """The scorecard's lines with their metrics, by id."""
    return {line.pk: line for line in scorecard.lines.select_related("metric")}


def scorecard_lines_in_order(*, scorecard: Scorecard) -> QuerySet[ScorecardLine]:
    """The scorecard's lines with their metrics, in the scorecard's order."""
    return scorecard.lines.select_related("metric").order_by("position")


def account_scorecard(*, account: Account, period: date | None = None) -> Scorecard | None:
    """The scorecard of `period` (its first day), else the latest: the one of the
    current period if it exists, else the newest before it, else the earliest ahead."""
    cards = account_scorecards(account=account)
    if period is not None:
        return cards.filter(period_start=period).first()
    today = timezone.localdate()
    return cards.filter(period_start__lte=today).first() or cards.order_by("period_start").first()


def plain(value) -> str:
    """A Decimal as typed in an input: no exponent, no trailing zeros ("" for None)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class LineView:
    line: ScorecardLine
    status: str | None
    trend: list  # [(period_start, actual, target)], oldest first
    sparkline: str = ""
    errors: dict = field(default_factory=dict)  # field → messages, from a refused save
    typed: dict = field(default_factory=dict)  # field → what was typed, kept on errors

    @property
    def inputs(self) -> list[tuple[str, str]]:
        return [
            (key, self.typed[key] if key in self.typed else plain(getattr(self.line, key)))
            for key in ("weight", "target", "actual")
        ]

    @property
    def metric(self) -> Metric:
        return self.line.metric

    @property
    def attainment_pct(self):
        a = self.line.attainment
        return None if a is None else a * 100


def scorecard_lines(*, scorecard: Scorecard, trend_periods: int = TREND_PERIODS) -> list:
    """The lines of `scorecard` with their status and the trend of each metric over the
    last `trend_periods` periods up to this one (two queries)."""
    lines = list(scorecard.lines.select_related("metric").order_by("position", "id"))
    first = periods.shift(scorecard.period_start, scorecard.cadence, 1 - trend_periods)
    history = defaultdict(list)
    for metric_id, start, actual, target in (
        ScorecardLine.objects.filter(
            scorecard__account_id=scorecard.account_id,
            scorecard__cadence=scorecard.cadence,
            scorecard__period_start__gte=first,
            scorecard__period_start__lte=scorecard.period_start,
            metric_id__in=[line.metric_id for line in lines],
        )
        .order_by("scorecard__period_start")
        .values_list("metric_id", "scorecard__period_start", "actual", "target")
    ):
        history[metric_id].append((start, actual, target))
    return [
        LineView(line=line, status=formulas.status(line.attainment), trend=history[line.metric_id])
        for line in lines
    ]


def score_trend(*, scorecard: Scorecard, trend_periods: int = TREND_PERIODS) -> list:
    """[(period_start, score)] of the account's scorecards up to this one, oldest first."""
    first = periods.shift(scorecard.period_start, scorecard.cadence, 1 - trend_periods)
    return list(
        Scorecard.objects.filter(
            account_id=scorecard.account_id,
            cadence=scorecard.cadence,
            period_start__gte=first,
            period_start__lte=scorecard.period_start,
        )
        .order_by("period_start")
        .values_list("period_start", "score")
    )


def available_metrics(*, scorecard: Scorecard) -> QuerySet[Metric]:
    """Active metrics of the library not yet on the scorecard."""
    return Metric.objects.filter(active=True).exclude(lines__scorecard=scorecard)


# --- Surveys -------------------------------------------------------------------------------


def account_survey_rounds(*, account: Account, limit: int = 50) -> list[SurveyRound]:
    """The account's latest rounds, newest first, with their questionnaires."""
    return list(account.survey_rounds.select_related("template").order_by("-created_at")[:limit])


def survey_round_get(*, account: Account, round_id) -> SurveyRound:
    """A round of `account` (loaded for the user), or 404."""
    try:
        return SurveyRound.objects.select_related("template", "account").get(
            pk=round_id, account=account
        )
    except (SurveyRound.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404("No such survey round.") from exc


def survey_invitation_get(*, survey: SurveyRound, invitation_id) -> SurveyInvitation:
    """An invitation of the round, or 404."""
    invitation = SurveyInvitation.objects.filter(round=survey, pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def survey_invitations(*, survey: SurveyRound) -> QuerySet[SurveyInvitation]:
    return survey.invitations.order_by("name")


def survey_invitation_count(*, survey: SurveyRound) -> int:
    return survey.invitations.count()


def survey_dimensions(*, survey: SurveyRound) -> list[SurveyDimension]:
    """The round's questions, in order."""
    return list(survey.template.dimensions.all())


def survey_prediction(*, survey: SurveyRound, user: User) -> SurveyResponse | None:
    """The user's prediction of the customers' answers in this round (answers loaded)."""
    return (
        SurveyResponse.objects.filter(round=survey, kind=SurveyResponse.Kind.INTERNAL, user=user)
        .prefetch_related("answers")
        .first()
    )


def survey_dimensions_with_prediction(
    *, survey: SurveyRound, prediction: SurveyResponse | None
) -> list[SurveyDimension]:
    """The round's questions, each with `mine`: the prediction's answer (None without)."""
    answers = {a.dimension_id: a.score for a in prediction.answers.all()} if prediction else {}
    dimensions = survey_dimensions(survey=survey)
    for dimension in dimensions:
        dimension.mine = answers.get(dimension.pk)
    return dimensions


def contacts_without_email(*, account: Account, limit: int = 50) -> QuerySet[Contact]:
    """The account's contacts a round cannot reach (no e-mail address)."""
    return account.contacts.filter(email="", archived=False).order_by("name")[:limit]


# --- Alerts --------------------------------------------------------------------------------


def alert_inbox(
    *, user: User, scope: str, status: str, severity: str = "", kind: str = "", q: str = ""
) -> tuple[QuerySet[Alert], dict]:
    """The inbox: the alerts of `scope` ("mine": assigned or escalated to `user`; else
    those of every account `user` may see) with `status` ("live": open or acknowledged
    and not snoozed; "snoozed"; "all"; or one status), and `severity`, `kind` and the
    search `q` where given (unknown ones are ignored); and the counts of the scope
    whatever the other filters (open, acknowledged, high: live and of high severity, all
    three awake; snoozed), read at once.

    Grouped by account: the accounts with the worst alert first, then by name; within an
    account, the most severe first, then the oldest."""
    alerts = alert_list(user=user)
    if scope == "mine":
        alerts = alerts.filter(mine(user=user))
    today = timezone.localdate()
    awake = Alert.awake(today)
    counts = alerts.aggregate(
        open=Count("pk", filter=Q(awake, status=Alert.Status.OPEN)),
        acknowledged=Count("pk", filter=Q(awake, status=Alert.Status.ACKNOWLEDGED)),
        high=Count("pk", filter=Q(awake, status__in=Alert.LIVE, severity=Severity.HIGH)),
        snoozed=Count("pk", filter=Q(status__in=Alert.LIVE) & ~awake),
    )
    if status == "live":
        alerts = alerts.filter(awake, status__in=Alert.LIVE)
    elif status == "snoozed":
        alerts = alerts.filter(~awake, status__in=Alert.LIVE)
    elif status != "all":
        alerts = alerts.filter(status=status)
    if severity in Severity.values:
        alerts = alerts.filter(severity=severity)
    if kind in KINDS:
        alerts = alerts.filter(rule__kind=kind)
    if q:
        alerts = alerts.filter(Q(account__name__icontains=q) | Q(subject_label__icontains=q))
    rank = Case(
        *(When(severity=s, then=Value(n)) for n, s in enumerate(SEVERITY_ORDER, start=1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    alerts = (
        alerts.select_related("account", "rule", "assignee")
        .annotate(
            rank=rank,
            account_rank=Window(Max(rank), partition_by=[F("account_id")]),
        )
        .order_by("-account_rank", "account__name", "account_id", "-rank", "raised_at", "id")
    )
    return alerts, counts


def alert_events(*, alert: Alert) -> QuerySet[AlertEvent]:
    """The alert's history, with who did what."""
    return alert.events.select_related("user")


def alert_preference_for(*, user: User) -> AlertPreference:
    """The user's alert e-mail settings; the defaults, unsaved, if never set."""
    return AlertPreference.objects.filter(user=user).first() or AlertPreference(user=user)
