"""Voice of the customer: survey rounds per account, single-use links sent by email to
chosen customer contacts, the customers' answers (no login: the link is the key, once),
the team's predictions of those answers, and the results with perception gaps.

A link carries a random token; only its SHA-256 is stored, so the database alone cannot
answer for anyone. Answering marks the invitation used in the same transaction, under a
row lock, and the response's one-to-one link to its invitation makes a second answer
impossible even for two requests at once.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Account, Contact, User
from accounts_app.selectors import can_edit_account
from core.history import records_actor
from core.jobs import recompute_later
from core.mail import email_send, send_each

from . import formulas
from .models import (
    SurveyAnswer,
    SurveyDimension,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
    SurveyTemplate,
)

DEFAULT_DAYS_OPEN = 21
MAX_DAYS_OPEN = 90
COMMENT_MAX = 4000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _require_edit(by: User, account: Account) -> None:
    if not can_edit_account(user=by, account=account):
        raise PermissionDenied("Only the account team runs its surveys.")


def survey_link_base() -> str:
    """Where the customers' links start: STRATA_BASE_URL, never the Host header of the
    request that sent them (anyone can put any host name there)."""
    link = reverse("scorecards:survey_answer", args=["TOKEN"]).removesuffix("TOKEN/")
    return f"{settings.STRATA_BASE_URL}{link}"


def _send(invitation: SurveyInvitation, token: str, link_base: str) -> None:
    survey = invitation.round
    context = {
        "invitation": invitation,
        "survey": survey,
        "account": survey.account,
        "link": f"{link_base}{token}/",
    }
    email_send(
        subject=f"{survey.title}: two minutes of your opinion",
        message=render_to_string("scorecards/email/invitation.txt", context),
        to=[invitation.email],
    )
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


@records_actor
@transaction.atomic
def round_create(
    *,
    account: Account,
    by: User,
    template: SurveyTemplate,
    title: str,
    contacts: list[Contact],
    link_base: str | None = None,
    days_open: int = DEFAULT_DAYS_OPEN,
    send: bool = True,
) -> SurveyRound:
    """A survey round sent to `contacts` (each needs an e-mail address): one single-use
    link each, valid `days_open` days, mailed once the round is saved (a link that fails
    to go is logged, the others still go). `link_base` is the absolute URL the tokens
    are appended to (…/s/), from STRATA_BASE_URL unless given. `send=False` (the demo)
    mails nothing."""
    _require_edit(by, account)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Give the round a title (the customer sees it)."
    if not template.active or not template.dimensions.exists():
        errors["template"] = "Choose an active questionnaire with at least one question."
    if not 1 <= days_open <= MAX_DAYS_OPEN:
        errors["days_open"] = f"Keep the links open 1 to {MAX_DAYS_OPEN} days."
    if not contacts:
        errors["contacts"] = "Choose at least one customer contact."
    foreign = [c.name for c in contacts if c.account_id != account.pk]
    if foreign:
        errors["contacts"] = f"Not contacts of {account}: {', '.join(foreign)}."
    without = [c.name for c in contacts if not c.email]
    if without and "contacts" not in errors:
        errors["contacts"] = f"No e-mail address recorded for {', '.join(without)}."
    if errors:
        raise ValidationError(errors)
    survey = SurveyRound.objects.create(
        account=account,
        template=template,
        title=title[:120],
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days_open),
    )
    tokens = []
    for contact in contacts:
        token, digest = _new_token()
        invitation = SurveyInvitation.objects.create(
            round=survey, contact=contact, name=contact.name, email=contact.email, token_hash=digest
        )
        tokens.append((invitation, token))

    link_base = link_base or survey_link_base()

    def send_all():
        send_each(tokens, lambda pair: _send(*pair, link_base), what="a survey invitation")

    if send:
        transaction.on_commit(send_all)
    return survey


@records_actor
@transaction.atomic
def invitation_resend(
    *, invitation: SurveyInvitation, by: User, link_base: str | None = None
) -> None:
    """A new link for a contact who has not answered (the old one stops working)."""
    survey = invitation.round
    _require_edit(by, survey.account)
    if invitation.answered_at:
        raise ValidationError(f"{invitation.name} has answered already.")
    if not formulas.survey_open(
        status_open=survey.status == SurveyRound.Status.OPEN,
        expires_at=survey.expires_at,
        now=timezone.now(),
    ):
        raise ValidationError("The round is closed: start a new one.")
    token, invitation.token_hash = _new_token()
    invitation.save(update_fields=["token_hash"])
    link_base = link_base or survey_link_base()
    transaction.on_commit(lambda: _send(invitation, token, link_base))


@records_actor
@transaction.atomic
def round_close(*, survey: SurveyRound, by: User) -> SurveyRound:
    """No more answers, customers' or the team's; the results stay."""
    _require_edit(by, survey.account)
    if survey.status != SurveyRound.Status.CLOSED:
        survey.status, survey.closed_at = SurveyRound.Status.CLOSED, timezone.now()
        survey.save(update_fields=["status", "closed_at"])
    return survey


class LinkRefused(Exception):
    """The link cannot take an answer; `reason` is one of unknown, expired, used, closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> SurveyInvitation:
    """The invitation a link stands for, if it may still be answered."""
    invitation = (
        SurveyInvitation.objects.select_related("round__template", "round__account")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise LinkRefused("unknown")
    _check_open(invitation)
    return invitation


def _check_open(invitation: SurveyInvitation) -> None:
    if invitation.answered_at is not None:
        raise LinkRefused("used")
    if invitation.round.status != SurveyRound.Status.OPEN:
        raise LinkRefused("closed")
    if formulas.survey_expired(invitation.round.expires_at, timezone.now()):
        raise LinkRefused("expired")


def _clean_answers(template: SurveyTemplate, answers: dict, comment: str) -> dict[int, int]:
    dimensions = list(template.dimensions.all())
    errors, clean = {}, {}
    for dimension in dimensions:
        value = answers.get(dimension.pk, answers.get(str(dimension.pk)))
        if value in (None, ""):
            errors[str(dimension.pk)] = f"Answer “{dimension.name}” from 1 to 5."
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if isinstance(value, bool) or not 1 <= score <= 5 or str(score) != str(value).strip():
            errors[str(dimension.pk)] = f"“{dimension.name}” is answered from 1 to 5."
        else:
            clean[dimension.pk] = score
    unknown = set(map(str, answers)) - {str(d.pk) for d in dimensions}
    for key in unknown:
        errors[key] = "Not a question of this survey."
    if len(comment or "") > COMMENT_MAX:
        errors["comment"] = f"Keep the comment under {COMMENT_MAX:,} characters."
    if errors:
        raise ValidationError(errors)
    return clean


def customer_answer(*, token: str, answers: dict, comment: str = "") -> SurveyResponse:
    """Record a customer's answers through their link, once. LinkRefused if the link is
    unknown, used, expired or its round closed; ValidationError (keyed by dimension id)
    for missing or out-of-range answers, and then nothing is recorded."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        clean = _clean_answers(invitation.round.template, answers, comment)
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        locked.round = invitation.round
        _check_open(locked)  # answered a moment ago by another request?
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    round=invitation.round,
                    kind=SurveyResponse.Kind.CUSTOMER,
                    invitation=locked,
                    comment=(comment or "").strip(),
                )
        except IntegrityError as exc:
            raise LinkRefused("used") from exc
        # untracked: survey answers are the customer's, kept as given
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, dimension_id=pk, score=score)
            for pk, score in clean.items()
        )
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answered_at"])
        recompute_later(invitation.round.account_id)
    return response


@records_actor
@transaction.atomic
def prediction_set(
    *, survey: SurveyRound, by: User, answers: dict, comment: str = ""
) -> SurveyResponse:
    """A team member's prediction of the customer's answers (changeable while open)."""
    _require_edit(by, survey.account)
    if survey.status != SurveyRound.Status.OPEN:
        raise ValidationError("The round is closed.")
    clean = _clean_answers(survey.template, answers, comment)
    response, _ = SurveyResponse.objects.update_or_create(
        round=survey,
        kind=SurveyResponse.Kind.INTERNAL,
        user=by,
        defaults={"comment": (comment or "").strip()},
    )
    response.answers.all().delete()
    # untracked: survey answers are the customer's, kept as given
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, dimension_id=pk, score=score) for pk, score in clean.items()
    )
    return response


# --- Results -----------------------------------------------------------------------------


@dataclass
class DimensionResult:
    dimension: SurveyDimension
    gap: formulas.Gap
    customer_answers: int


@dataclass
class RoundResults:
    dimensions: list[DimensionResult]
    customer_mean: Decimal | None
    internal_mean: Decimal | None
    invited: int
    answered: int
    predictions: int
    comments: list = field(default_factory=list)  # (kind, who, text, when)

    @property
    def blind_spots(self) -> list[DimensionResult]:
        return [d for d in self.dimensions if d.gap.blind_spot]

    @property
    def response_rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return Decimal(100 * self.answered) / self.invited


def round_results(*, survey: SurveyRound) -> RoundResults:
    """Per dimension: the customers' mean, the team's mean, the gap and whether it is a
    blind spot (DESIGN §3); the overall means, the response rate and the comments. Four
    queries."""
    dimensions = list(survey.template.dimensions.all())
    scores = {d.pk: {"customer": [], "internal": []} for d in dimensions}
    for dimension_id, kind, score in SurveyAnswer.objects.filter(
        response__round=survey
    ).values_list("dimension_id", "response__kind", "score"):
        if dimension_id in scores:
            scores[dimension_id][kind].append(score)
    results = [
        DimensionResult(
            dimension=d,
            gap=formulas.perception_gap(scores[d.pk]["customer"], scores[d.pk]["internal"]),
            customer_answers=len(scores[d.pk]["customer"]),
        )
        for d in dimensions
    ]
    all_customer = [s for d in scores.values() for s in d["customer"]]
    all_internal = [s for d in scores.values() for s in d["internal"]]
    invitations = list(survey.invitations.values_list("answered_at", flat=True))
    comments = [
        (
            response.kind,
            response.invitation.name if response.invitation else str(response.user or ""),
            response.comment,
            response.submitted_at,
        )
        for response in survey.responses.select_related("invitation", "user")
        .exclude(comment="")
        .order_by("kind", "submitted_at")
    ]
    customer_mean, internal_mean = formulas.mean(all_customer), formulas.mean(all_internal)
    return RoundResults(
        dimensions=results,
        customer_mean=None if customer_mean is None else round(customer_mean, 2),
        internal_mean=None if internal_mean is None else round(internal_mean, 2),
        invited=len(invitations),
        answered=sum(1 for at in invitations if at is not None),
        predictions=survey.responses.filter(kind=SurveyResponse.Kind.INTERNAL).count(),
        comments=comments,
    )
