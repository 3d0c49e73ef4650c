"""Survey invitations: their links start at STRATA_BASE_URL whatever Host header the
sender's request carried, and a survey title with a line break is mailed on one line to
every contact, a failed message not stopping the others."""

import pytest
from django.core import mail
from django.urls import reverse

from scorecards import surveys
from scorecards.models import SurveyInvitation, SurveyRound, SurveyTemplate

pytestmark = pytest.mark.django_db

BASE = "https://strata.example.com"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.STRATA_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["*"]


def send_round(owner, account, contacts, capture, title="Autumn review") -> SurveyRound:
    with capture(execute=True):
        return surveys.round_create(
            account=account,
            by=owner,
            template=SurveyTemplate.objects.get(),
            title=title,
            contacts=contacts,
        )


def test_a_round_sent_from_the_page_links_to_the_base_url_not_the_host_header(
    client_for, owner, account, contacts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(
            reverse("scorecards:survey_new", args=[account.pk]),
            {
                "title": "Autumn review",
                "template": SurveyTemplate.objects.get().pk,
                "contacts": [c.pk for c in contacts],
                "days_open": "14",
            },
            HTTP_HOST="evil.example",
        )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert f"{BASE}/s/" in message.body
        assert "evil.example" not in message.body


def test_a_round_sent_through_the_api_links_to_the_base_url(
    api_for, owner, account, contacts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(
            "/api/v1/survey-rounds/",
            {
                "account": account.pk,
                "template": SurveyTemplate.objects.get().pk,
                "title": "API round",
                "contacts": [contacts[0].pk],
            },
            format="json",
            HTTP_HOST="evil.example",
        )
    assert response.status_code == 201, response.content
    [message] = mail.outbox
    assert f"{BASE}/s/" in message.body and "evil.example" not in message.body


def test_a_new_link_also_starts_at_the_base_url(
    client_for, owner, account, contacts, django_capture_on_commit_callbacks
):
    survey = send_round(owner, account, contacts, django_capture_on_commit_callbacks)
    invitation = survey.invitations.order_by("pk").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(
            reverse("scorecards:survey_resend", args=[account.pk, survey.pk, invitation.pk]),
            HTTP_HOST="evil.example",
        )
    [message] = mail.outbox
    assert f"{BASE}/s/" in message.body and "evil.example" not in message.body


def test_a_title_with_a_line_break_reaches_every_contact_on_one_line(
    owner, account, contacts, django_capture_on_commit_callbacks
):
    send_round(
        owner, account, contacts, django_capture_on_commit_callbacks, title="Autumn\r\nreview"
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["carla@acme.example", "dev@acme.example"]
    assert {m.subject for m in mail.outbox} == {"Autumn review: two minutes of your opinion"}
    assert not SurveyInvitation.objects.filter(sent_at=None).exists()


def test_one_failed_invitation_does_not_stop_the_others(
    owner, account, contacts, django_capture_on_commit_callbacks, monkeypatch
):
    real_send = surveys.email_send

    def flaky(*, subject, message, to):
        if to == ["carla@acme.example"]:
            raise ConnectionRefusedError("SMTP server went away")
        real_send(subject=subject, message=message, to=to)

    monkeypatch.setattr(surveys, "email_send", flaky)
    send_round(owner, account, contacts, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["dev@acme.example"]]
    unsent = SurveyInvitation.objects.filter(sent_at=None).values_list("email", flat=True)
    assert list(unsent) == ["carla@acme.example"]  # shown as not sent: a new link will do
