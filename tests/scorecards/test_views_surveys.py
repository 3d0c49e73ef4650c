"""The survey pages: the account's Surveys tab, a new round (e-mails sent), a round's
results, predictions, closing and new links; the customer's page without a login (one
answer, expired and used links refused, answers kept on errors); permissions."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from demo.factories import ContactFactory
from scorecards.models import SurveyInvitation, SurveyResponse, SurveyRound, SurveyTemplate

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def survey(client_for, owner, account, contacts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            reverse("scorecards:survey_new", args=[account.pk]),
            {
                "title": "Autumn review",
                "template": SurveyTemplate.objects.get().pk,
                "contacts": [c.pk for c in contacts],
                "days_open": "14",
            },
        )
    survey = SurveyRound.objects.get()
    assert response["Location"] == reverse("scorecards:survey", args=[account.pk, survey.pk])
    return survey


def link(email) -> str:
    return re.search(r"https?://[^/\s]+(/s/[\w-]+/)", email.body).group(1)


def answers(value, **overrides):
    dimensions = SurveyTemplate.objects.get().dimensions.all()
    return {f"dimension_{d.pk}": str(overrides.get(d.name, value)) for d in dimensions}


def test_a_new_round_mails_a_link_to_each_chosen_contact(survey, contacts):
    assert sorted(m.to[0] for m in mail.outbox) == ["carla@acme.example", "dev@acme.example"]
    assert all(link(m) for m in mail.outbox)
    assert survey.expires_at > timezone.now() + timedelta(days=13)


def test_the_form_lists_contacts_with_an_address_and_keeps_what_was_chosen(
    client_for, owner, account, contacts
):
    ContactFactory(account=account, name="No Mail", email="")
    url = reverse("scorecards:survey_new", args=[account.pk])
    page = text(client_for(owner).get(url))
    assert "Carla Buyer" in page and "Without an e-mail address, so not listed: No Mail." in page
    response = client_for(owner).post(url, {"title": "Kept title", "days_open": "500"})
    assert "Choose at least one customer contact." in text(response)
    assert 'value="Kept title"' in response.content.decode()
    assert not SurveyRound.objects.exists() and not mail.outbox


def test_the_customer_answers_without_a_login_and_only_once(client, survey):
    url = link(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200 and "Autumn review" in text(page)
    assert 'name="viewport"' in page.content.decode()
    response = client.post(url, answers(4) | {"comment": "Solid year."})
    assert response.status_code == 200 and "Thank you" in text(response)
    again = client.get(url)
    assert again.status_code == 410 and "You have answered already" in text(again)
    assert client.post(url, answers(1)).status_code == 410
    assert SurveyResponse.objects.filter(kind="customer").count() == 1


def test_a_missing_answer_keeps_the_others_and_sends_nothing(client, survey):
    url = link(mail.outbox[0])
    data = answers(4)
    first = next(iter(data))
    data[first] = "9"
    data["comment"] = "Kept comment"
    response = client.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "nothing was sent yet" in text(response) and "Kept comment" in html
    assert html.count("checked") == len(data) - 2  # the other five answers stay chosen
    assert not SurveyResponse.objects.exists()


def test_expired_and_unknown_links_are_refused(client, survey):
    SurveyRound.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(link(mail.outbox[0]))
    assert response.status_code == 410 and "This survey has closed" in text(response)
    assert client.get("/s/made-up-token/").status_code == 404


def test_the_results_show_the_gap(client, client_for, owner, account, survey):
    """The customer answers Trust 2, the rest 4; the owner predicts 4 everywhere:
    Trust gap +2.00, a blind spot."""
    client.post(link(mail.outbox[0]), answers(4, Trust=2) | {"comment": "Late twice."})
    prediction = reverse("scorecards:survey_prediction", args=[account.pk, survey.pk])
    client_for(owner).post(prediction, answers(4))
    page = text(client_for(owner).get(reverse("scorecards:survey", args=[account.pk, survey.pk])))
    assert "Blind spot: Trust (the team expects 2.00 more)" in page
    assert (
        "Trust We can rely on what they tell us and on what they promise. "
        "2.00 (1) 4.00 +2.00 Blind spot" in page
    )
    assert "Late twice." in page and "Answered 1 of 2" in page
    tab = text(client_for(owner).get(reverse("scorecards:surveys", args=[account.pk])))
    assert "Autumn review" in tab and "1 of 2" in tab and "Trust" in tab


def test_closing_stops_the_links_and_predictions(client, client_for, owner, account, survey):
    client_for(owner).post(reverse("scorecards:survey_close", args=[account.pk, survey.pk]))
    assert client.get(link(mail.outbox[0])).status_code == 410
    prediction = reverse("scorecards:survey_prediction", args=[account.pk, survey.pk])
    response = client_for(owner).post(prediction, answers(4))
    assert "The round is closed." in text(client_for(owner).get(response["Location"]))
    assert not SurveyResponse.objects.exists()


def test_a_new_link_voids_the_old(
    client, client_for, owner, account, survey, django_capture_on_commit_callbacks
):
    invitation = SurveyInvitation.objects.get(email="carla@acme.example")
    old = link(next(m for m in mail.outbox if m.to == ["carla@acme.example"]))
    url = reverse("scorecards:survey_resend", args=[account.pk, survey.pk, invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(url)
    assert client.get(old).status_code == 404
    assert client.get(link(mail.outbox[-1])).status_code == 200


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_see_results_but_run_nothing(request, client_for, role, account, survey):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("scorecards:surveys", args=[account.pk])).status_code == 200
    page = client.get(reverse("scorecards:survey", args=[account.pk, survey.pk]))
    assert page.status_code == 200 and "Your prediction" not in text(page)
    invitation = survey.invitations.first()
    for url in (
        reverse("scorecards:survey_new", args=[account.pk]),
        reverse("scorecards:survey_prediction", args=[account.pk, survey.pk]),
        reverse("scorecards:survey_close", args=[account.pk, survey.pk]),
        reverse("scorecards:survey_resend", args=[account.pk, survey.pk, invitation.pk]),
    ):
        assert client.post(url, answers(3)).status_code == 403, url
    survey.refresh_from_db()
    assert survey.status == "open" and not SurveyResponse.objects.exists()


def test_outsiders_get_404_and_never_see_customer_answers(
    client, client_for, outsider, account, survey
):
    client.post(link(mail.outbox[0]), answers(2) | {"comment": "Secret complaint."})
    other = client_for(outsider)
    invitation = survey.invitations.first()
    for url in (
        reverse("scorecards:surveys", args=[account.pk]),
        reverse("scorecards:survey_new", args=[account.pk]),
        reverse("scorecards:survey", args=[account.pk, survey.pk]),
    ):
        response = other.get(url)
        assert response.status_code == 404 and "Secret complaint" not in text(response), url
    for url in (
        reverse("scorecards:survey_prediction", args=[account.pk, survey.pk]),
        reverse("scorecards:survey_close", args=[account.pk, survey.pk]),
        reverse("scorecards:survey_resend", args=[account.pk, survey.pk, invitation.pk]),
    ):
        assert other.post(url).status_code == 404, url
