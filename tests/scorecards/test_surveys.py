"""Voice of the customer: a round sends one single-use link per chosen contact by
e-mail; a customer answers once through it (not after it expires, is used or the round
closes), bad answers are refused whole; the team's predictions; the results with the
perception gaps worked by hand; permissions."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from demo.factories import ContactFactory, SurveyRoundFactory
from scorecards import surveys
from scorecards.models import SurveyInvitation, SurveyResponse, SurveyRound, SurveyTemplate

pytestmark = pytest.mark.django_db

BASE = "https://strata.example/s/"


@pytest.fixture
def template():
    return SurveyTemplate.objects.get()


@pytest.fixture
def survey(account, owner, template, contacts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return SurveyRoundFactory(
            account=account,
            by=owner,
            template=template,
            title="Autumn 2026 review",
            contacts=contacts,
            link_base=BASE,
        )


def token_of(email) -> str:
    return re.search(re.escape(BASE) + r"([\w-]+)/", email.body).group(1)


def all_answers(template, score):
    return {d.pk: score for d in template.dimensions.all()}


def test_a_round_mails_each_contact_a_link_of_their_own(survey, contacts):
    assert sorted(m.to[0] for m in mail.outbox) == ["carla@acme.example", "dev@acme.example"]
    tokens = {token_of(m) for m in mail.outbox}
    assert len(tokens) == 2
    assert "Autumn 2026 review" in mail.outbox[0].subject
    invitations = SurveyInvitation.objects.filter(round=survey)
    assert all(i.sent_at for i in invitations)
    # Only the hash is kept: the token itself is nowhere in the database.
    assert not SurveyInvitation.objects.filter(token_hash__in=tokens).exists()
    assert {i.token_hash for i in invitations} == {surveys.token_hash(t) for t in tokens}


def test_a_customer_answers_once(survey, template):
    token = token_of(mail.outbox[0])
    response = surveys.customer_answer(
        token=token, answers=all_answers(template, 4), comment="Good year."
    )
    assert response.kind == "customer" and response.answers.count() == 6
    with pytest.raises(surveys.LinkRefused) as exc:
        surveys.customer_answer(token=token, answers=all_answers(template, 1))
    assert exc.value.reason == "used"
    assert SurveyResponse.objects.count() == 1


def test_an_expired_or_closed_or_unknown_link_is_refused(survey, template, owner):
    first, second = (token_of(m) for m in mail.outbox)
    SurveyRound.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(surveys.LinkRefused) as exc:
        surveys.customer_answer(token=first, answers=all_answers(template, 4))
    assert exc.value.reason == "expired"
    SurveyRound.objects.filter(pk=survey.pk).update(expires_at=timezone.now() + timedelta(1))
    surveys.round_close(survey=survey, by=owner)
    with pytest.raises(surveys.LinkRefused) as exc:
        surveys.customer_answer(token=second, answers=all_answers(template, 4))
    assert exc.value.reason == "closed"
    with pytest.raises(surveys.LinkRefused) as exc:
        surveys.invitation_for_token("not-a-token")
    assert exc.value.reason == "unknown"
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("bad", [6, 0, "x", None, True, "3.5"])
def test_an_answer_outside_1_to_5_or_missing_is_refused_whole(survey, template, bad):
    token = token_of(mail.outbox[0])
    answers = all_answers(template, 3)
    first = next(iter(answers))
    answers[first] = bad
    with pytest.raises(ValidationError) as exc:
        surveys.customer_answer(token=token, answers=answers)
    assert set(exc.value.message_dict) == {str(first)}
    assert not SurveyResponse.objects.exists()
    assert surveys.invitation_for_token(token)  # still usable


def test_the_results_show_means_gaps_and_blind_spots(survey, template, owner, teammate):
    """Customers answer Trust 2 and 3 (mean 2.5), the rest 4; the team predicts Trust 4
    and 4 (mean 4): gap 1.5, a blind spot; elsewhere customers 4, team 4: gap 0."""
    dimensions = list(template.dimensions.all())
    trust = dimensions[0]
    for email, trust_score in zip(mail.outbox, (2, 3), strict=True):
        answers = all_answers(template, 4) | {trust.pk: trust_score}
        surveys.customer_answer(token=token_of(email), answers=answers, comment="Fine.")
    for member in (owner, teammate):
        surveys.prediction_set(survey=survey, by=member, answers=all_answers(template, 4))
    results = surveys.round_results(survey=survey)
    by_name = {r.dimension.name: r for r in results.dimensions}
    assert by_name["Trust"].gap.customer_mean == D("2.50")
    assert by_name["Trust"].gap.internal_mean == D("4.00")
    assert (by_name["Trust"].gap.gap, by_name["Trust"].gap.blind_spot) == (D("1.50"), True)
    assert (by_name["Quality"].gap.gap, by_name["Quality"].gap.blind_spot) == (D("0.00"), False)
    assert [d.dimension.name for d in results.blind_spots] == ["Trust"]
    # Customers' overall mean: (2 + 3 + 10·4)/12 = 3.75
    assert results.customer_mean == D("3.75") and results.internal_mean == D("4.00")
    assert (results.invited, results.answered, results.predictions) == (2, 2, 2)
    assert results.response_rate == 100
    assert [c[2] for c in results.comments] == ["Fine.", "Fine."]


def test_a_prediction_is_changed_not_duplicated(survey, template, owner):
    surveys.prediction_set(survey=survey, by=owner, answers=all_answers(template, 5))
    surveys.prediction_set(survey=survey, by=owner, answers=all_answers(template, 3))
    assert SurveyResponse.objects.filter(kind="internal").count() == 1
    results = surveys.round_results(survey=survey)
    assert results.internal_mean == D("3.00") and results.customer_mean is None
    assert results.dimensions[0].gap.gap is None  # no customer answer yet: no gap


def test_a_round_needs_a_title_contacts_with_email_of_the_account(
    account, owner, template, contacts
):
    nobody = ContactFactory(account=account, name="No Mail", email="")
    other = ContactFactory(name="Someone Else", email="else@x.example")
    for kwargs, field in (
        ({"title": " ", "contacts": contacts}, "title"),
        ({"title": "T", "contacts": []}, "contacts"),
        ({"title": "T", "contacts": [nobody]}, "contacts"),
        ({"title": "T", "contacts": [other]}, "contacts"),
        ({"title": "T", "contacts": contacts, "days_open": 0}, "days_open"),
    ):
        with pytest.raises(ValidationError) as exc:
            surveys.round_create(
                account=account, by=owner, template=template, link_base=BASE, **kwargs
            )
        assert field in exc.value.message_dict, kwargs
    assert not SurveyRound.objects.exists() and not mail.outbox


def test_a_new_link_replaces_the_old_one(survey, owner, django_capture_on_commit_callbacks):
    invitation = SurveyInvitation.objects.get(email="carla@acme.example")
    old = token_of(next(m for m in mail.outbox if m.to == ["carla@acme.example"]))
    with django_capture_on_commit_callbacks(execute=True):
        surveys.invitation_resend(invitation=invitation, by=owner, link_base=BASE)
    new = token_of(mail.outbox[-1])
    assert new != old
    with pytest.raises(surveys.LinkRefused):
        surveys.invitation_for_token(old)
    assert surveys.invitation_for_token(new) == invitation


@pytest.mark.parametrize("role", ["executive", "manager", "outsider"])
def test_only_the_team_runs_surveys(request, role, account, template, contacts, survey):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        surveys.round_create(
            account=account,
            by=user,
            template=template,
            title="X",
            contacts=contacts,
            link_base=BASE,
        )
    with pytest.raises(PermissionDenied):
        surveys.prediction_set(survey=survey, by=user, answers=all_answers(template, 3))
    with pytest.raises(PermissionDenied):
        surveys.round_close(survey=survey, by=user)
