"""The survey rounds of ``seed_bench``: about 10 % of the bench accounts get one round
(``Bench survey …``) of the installation's questionnaire, sent to one to four contacts
of whom one to three answered, with the predictions of one or two team members. Each
invitation stores the SHA-256 of a random token that is thrown away: nobody can answer
a bench survey. Drawn from the account's own generator (seeded from ``--seed`` and its
number); an account that has its round gets no other. The rows are built by the
factories with every value given, and written in bulk."""

import hashlib
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from accounts_app.models import Account, Contact
from demo.factories import (
    SurveyAnswerFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
    SurveyRoundFactory,
)
from scorecards.models import (
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

from .opportunities import team_user_ids
from .progress import BenchRun

if TYPE_CHECKING:
    from .scorecards import Library

SURVEY_PREFIX = "Bench survey "
SURVEYED_SHARE = 0.10
SURVEY_DAYS_OPEN = 21
SURVEY_COMMENTS = (
    "",
    "",
    "Reliable partner; invoicing could be simpler.",
    "Deliveries slipped twice this year.",
    "The service team answers quickly.",
    "We would like to see you more often.",
)


@dataclass
class SurveyPlan:
    round: SurveyRound
    invitations: list[SurveyInvitation]
    # (invitation, or None for a team prediction; user id of a prediction; comment;
    # {dimension id: score}; when it was submitted)
    responses: list[tuple]


def surveyed(seed: int, number: int) -> bool:
    return _survey_rng(seed, number).random() < SURVEYED_SHARE


def _survey_rng(seed: int, number: int) -> random.Random:
    return random.Random(seed * 10_000_141 + number)


def plan_survey(
    *,
    seed: int,
    number: int,
    account_id: int,
    owner_id: int | None,
    contacts: list[tuple[int, str, str]],
    team: list[int],
    lib: "Library",
    now,
) -> SurveyPlan | None:
    """Bench account `number`'s survey round: `contacts` are (pk, name, email) of its
    contacts with an e-mail address, `team` its team's user ids, both in insertion order."""
    rng = _survey_rng(seed, number)
    rng.random()  # the draw surveyed() made
    if lib.template is None or not contacts:
        return None
    created = now - timedelta(days=rng.randint(3, 330), seconds=rng.randrange(86_400))
    expires = created + timedelta(days=SURVEY_DAYS_OPEN)
    closed = expires <= now
    survey = SurveyRoundFactory.build(
        account_id=account_id,
        template=lib.template,
        title=f"{SURVEY_PREFIX}{created:%B %Y}",
        status=SurveyRound.Status.CLOSED if closed else SurveyRound.Status.OPEN,
        expires_at=expires,
        created_by_id=owner_id,
        closed_at=expires if closed else None,
    )
    survey.created_at = created  # written after the insert (auto_now_add)
    invited = rng.sample(contacts, min(len(contacts), rng.randint(1, 4)))
    answering = rng.randint(1, min(3, len(invited)))
    mood = rng.uniform(2.3, 4.6)  # how the customer sees us
    optimism = rng.uniform(-0.2, 1.2)  # how much better the team thinks it is seen
    invitations, responses = [], []
    for index, (pk, name, email) in enumerate(invited):
        answered = created + timedelta(hours=rng.randint(2, 24 * 14)) if index < answering else None
        invitation = SurveyInvitationFactory.build(
            round=survey,
            contact_id=pk,
            name=name,
            email=email,
            token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            sent_at=created,
            answered_at=answered,
        )
        invitations.append(invitation)
        if answered:
            scores = {d: min(5, max(1, round(rng.gauss(mood, 0.8)))) for d in lib.dimensions}
            responses.append((invitation, None, rng.choice(SURVEY_COMMENTS), scores, answered))
    for user_id in rng.sample(team, min(len(team), rng.randint(1, 2))):
        scores = {d: min(5, max(1, round(rng.gauss(mood + optimism, 0.6)))) for d in lib.dimensions}
        at = created + timedelta(hours=rng.randint(1, 24 * 7))
        responses.append((None, user_id, "", scores, at))
    return SurveyPlan(round=survey, invitations=invitations, responses=responses)


def write_surveys(run: BenchRun, lib: "Library", numbers, account_pks, now) -> int:
    """The survey rounds of bench accounts `numbers`, with their invitations, the
    customers' answers and the team's predictions."""
    if not numbers or lib.template is None:
        return 0
    ids = [account_pks[n] for n in numbers]
    owners = dict(Account.objects.filter(pk__in=ids).values_list("pk", "owner_id"))
    contacts, team = defaultdict(list), team_user_ids(ids)
    for account_id, pk, name, email in (
        Contact.objects.filter(account_id__in=ids)
        .exclude(email="")
        .order_by("account_id", "pk")
        .values_list("account_id", "pk", "name", "email")
    ):
        contacts[account_id].append((pk, name, email))
    plans = []
    for number in numbers:
        pk = account_pks[number]
        plan = plan_survey(
            seed=run.seed,
            number=number,
            account_id=pk,
            owner_id=owners.get(pk),
            contacts=contacts[pk],
            team=team[pk],
            lib=lib,
            now=now,
        )
        if plan is not None:
            plans.append(plan)
    if not plans:
        return 0
    rounds = [p.round for p in plans]
    created = [r.created_at for r in rounds]
    SurveyRound.objects.bulk_create(rounds, batch_size=run.batch)
    # created_at is auto_now_add: date each round back to when it was sent.
    for survey, at in zip(rounds, created, strict=True):
        survey.created_at = at
    SurveyRound.objects.bulk_update(rounds, ["created_at"], batch_size=run.batch)
    invitations = []
    for plan in plans:
        for invitation in plan.invitations:
            invitation.round_id = plan.round.pk
            invitations.append(invitation)
    SurveyInvitation.objects.bulk_create(invitations, batch_size=run.batch)
    responses, scores, dated = [], [], []
    for plan in plans:
        for invitation, user_id, comment, answers, at in plan.responses:
            response = SurveyResponseFactory.build(
                round_id=plan.round.pk,
                kind=SurveyResponse.Kind.CUSTOMER if invitation else SurveyResponse.Kind.INTERNAL,
                invitation_id=invitation.pk if invitation else None,
                user_id=user_id,
                comment=comment,
            )
            responses.append(response)
            scores.append(answers)
            dated.append(at)
    SurveyResponse.objects.bulk_create(responses, batch_size=run.batch)
    for response, at in zip(responses, dated, strict=True):
        response.submitted_at = at  # auto_now: dated back after the insert
    SurveyResponse.objects.bulk_update(responses, ["submitted_at"], batch_size=run.batch)
    answers = [
        SurveyAnswerFactory.build(response_id=response.pk, dimension_id=dimension, score=score)
        for response, given in zip(responses, scores, strict=True)
        for dimension, score in given.items()
    ]
    SurveyAnswer.objects.bulk_create(answers, batch_size=run.batch)
    run.created["survey rounds"] += len(rounds)
    run.created["survey invitations"] += len(invitations)
    run.created["survey responses"] += len(responses)
    run.created["survey answers"] += len(answers)
    return len(rounds)
