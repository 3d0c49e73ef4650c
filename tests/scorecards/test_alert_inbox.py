"""The inbox people act on (DESIGN §12): grouped by account, most severe then oldest
first; a manager opens on the team's alerts; many acknowledged, resolved or dismissed
at once with a note (page and `alerts/bulk/`); an alert snoozed until a day leaves the
inbox, the count and the escalation until then (page and `snooze/`)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories import AccountFactory
from insights.alerts.escalation import escalate
from scorecards.models import Alert, AlertEvent, AlertRule
from tests.pages import text

pytestmark = pytest.mark.django_db

INBOX = "/alerts/"
BULK_API = "/api/v1/alerts/bulk/"


def raise_alert(account, subject, severity, days_ago=0, kind="no_decision_maker_contact"):
    now = timezone.now() - timedelta(days=days_ago)
    return Alert.objects.create(
        rule=AlertRule.objects.get(kind=kind),
        account=account,
        subject_key=f"contact:{subject}",
        subject_label=subject,
        description=f"About {subject}.",
        severity=severity,
        assignee=account.owner,
        raised_at=now,
        evaluated_at=now,
    )


@pytest.fixture
def inbox(account, owner):
    """Acme (the owner's) with a low and two high alerts; Zenith (also the owner's) with a
    medium one; Borealis (the owner's) with a low one."""
    zenith = AccountFactory(name="Zenith Rail", owner=owner)
    borealis = AccountFactory(name="Borealis Energy", owner=owner)
    return {
        "acme-low": raise_alert(account, "Acme low", "low", days_ago=9),
        "acme-high-new": raise_alert(account, "Acme high new", "high", days_ago=1),
        "acme-high-old": raise_alert(account, "Acme high old", "high", days_ago=5),
        "zenith-medium": raise_alert(zenith, "Zenith medium", "medium", days_ago=3),
        "borealis-low": raise_alert(borealis, "Borealis low", "low", days_ago=2),
    }


def test_grouped_by_account_worst_first_then_severity_then_age(client_for, owner, inbox):
    page = text(client_for(owner).get(INBOX))
    order = [
        page.index(label)
        for label in (
            "Acme Industrial",
            "Acme high old",
            "Acme high new",
            "Acme low",
            "Zenith Rail",
            "Zenith medium",
            "Borealis Energy",
            "Borealis low",
        )
    ]
    assert order == sorted(order)
    assert "Acme Industrial 3 alerts" in page


def test_a_manager_opens_on_the_teams_alerts(client_for, manager, owner, inbox):
    page = text(client_for(manager).get(INBOX))
    assert "Acme high old" in page and "No alerts here" not in page
    assert "Acme high old" not in text(client_for(manager).get(INBOX, {"scope": "mine"}))


def test_many_acknowledged_at_once_from_the_page(client_for, owner, inbox):
    client = client_for(owner)
    ids = [inbox["acme-low"].pk, inbox["zenith-medium"].pk]
    response = client.post(
        reverse("scorecards:alerts_bulk"),
        {"ids": ids, "action": "acknowledge", "note": "On it", "query": "scope=mine"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/alerts/?scope=mine"
    assert "2 alerts acknowledged." in text(response)
    for pk in ids:
        alert = Alert.objects.get(pk=pk)
        assert alert.status == "acknowledged" and alert.acknowledged_by == owner
        event = alert.events.get(kind=AlertEvent.Kind.ACKNOWLEDGED)
        assert event.user == owner and event.note == "On it"
    # Acknowledging them again leaves them as they are, and says why.
    again = client.post(
        reverse("scorecards:alerts_bulk"),
        {"ids": ids, "action": "acknowledge"},
        follow=True,
    )
    assert "2 alerts left as they were: The alert is acknowledged already." in text(again)


def test_resolving_many_needs_a_note_and_keeps_the_selection(client_for, owner, inbox):
    client = client_for(owner)
    ids = [inbox["acme-low"].pk, inbox["borealis-low"].pk]
    response = client.post(
        reverse("scorecards:alerts_bulk"), {"ids": ids, "action": "resolve"}, follow=True
    )
    html = response.content.decode()
    assert "Say what was done" in text(response)
    assert html.count("checked") >= 2
    assert '<option value="resolve" selected>' in html
    assert Alert.objects.filter(pk__in=ids, status="open").count() == 2


def test_bulk_api_does_what_it_can_and_says_what_it_skipped(api_for, owner, outsider, inbox):
    theirs = raise_alert(outsider.owned_accounts.get(), "Not yours", "high")
    ids = [inbox["acme-low"].pk, inbox["acme-high-old"].pk, theirs.pk, 987654]
    response = api_for(owner).post(
        BULK_API, {"ids": ids, "action": "dismiss", "note": "Duplicate"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["done"] == ids[:2]
    # The outsider's alert is as unknown to the owner as one that does not exist.
    assert body["skipped"] == [
        {"id": theirs.pk, "reason": "No such alert."},
        {"id": 987654, "reason": "No such alert."},
    ]
    assert Alert.objects.get(pk=theirs.pk).status == "open"
    assert Alert.objects.get(pk=ids[0]).close_note == "Duplicate"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"ids": [1], "action": "resolve"}, "note"),
        ({"ids": [1], "action": "explode", "note": "x"}, "action"),
        ({"ids": [], "action": "acknowledge"}, "ids"),
        ({"ids": ["x"], "action": "acknowledge"}, "ids"),
        ({"ids": list(range(1, 502)), "action": "acknowledge"}, "ids"),
    ],
)
def test_a_malformed_bulk_request_is_400_with_the_field(api_for, owner, inbox, body, field):
    response = api_for(owner).post(BULK_API, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert Alert.objects.filter(status="open").count() == len(inbox)


def test_a_snoozed_alert_leaves_the_inbox_the_count_and_the_escalation(
    client_for, api_for, owner, inbox
):
    alert = inbox["acme-high-old"]
    client = client_for(owner)
    until = timezone.localdate() + timedelta(days=14)
    response = api_for(owner).post(
        f"/api/v1/alerts/{alert.pk}/snooze/",
        {"until": until.isoformat(), "note": "Back after the holidays"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["snoozed_until"] == str(until)
    alert.refresh_from_db()
    assert alert.status == "open" and alert.is_snoozed
    event = alert.events.get(kind=AlertEvent.Kind.SNOOZED)
    assert event.user == owner and "Back after the holidays" in event.note

    page = text(client.get(INBOX))
    assert "Acme high old" not in page and "1 snoozed" in page
    assert "Acme high old" in text(client.get(INBOX, {"status": "snoozed"}))
    assert 'aria-label="Alerts: 4 open"' in client.get(INBOX).content.decode()
    # Five days later the others escalate, the snoozed one does not.
    escalate(now=timezone.now() + timedelta(days=5), send=False)
    alert.refresh_from_db()
    assert alert.escalation_step == 0
    assert Alert.objects.get(pk=inbox["acme-low"].pk).escalation_step > 0

    # Woken from its page, it is back.
    client.post(reverse("scorecards:alert_snooze", args=[alert.pk]), {"until": ""})
    alert.refresh_from_db()
    assert alert.snoozed_until is None and "Acme high old" in text(client.get(INBOX))


@pytest.mark.parametrize("days", [0, -3, 400])
def test_a_snooze_day_must_be_ahead_and_within_a_year(client_for, api_for, owner, inbox, days):
    alert = inbox["acme-low"]
    until = (timezone.localdate() + timedelta(days=days)).isoformat()
    client = client_for(owner)
    api = api_for(owner).post(f"/api/v1/alerts/{alert.pk}/snooze/", {"until": until}, format="json")
    assert api.status_code == 400 and "until" in api.json()
    page = client.post(
        reverse("scorecards:alert_snooze", args=[alert.pk]), {"until": until}, follow=True
    )
    assert "Choose a day after today" in text(page)
    assert f'value="{until}"' in page.content.decode()  # what was typed stays
    alert.refresh_from_db()
    assert alert.snoozed_until is None


def test_an_outsider_cannot_snooze_or_bulk_act(client_for, api_for, outsider, inbox):
    alert = inbox["acme-low"]
    client = client_for(outsider)
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    api = api_for(outsider)
    assert api.post(f"/api/v1/alerts/{alert.pk}/snooze/", {"until": until}).status_code == 404
    assert (
        client.post(reverse("scorecards:alert_snooze", args=[alert.pk]), {"until": until})
    ).status_code == 404
    client.post(reverse("scorecards:alerts_bulk"), {"ids": [alert.pk], "action": "acknowledge"})
    alert.refresh_from_db()
    assert alert.status == "open" and alert.snoozed_until is None
