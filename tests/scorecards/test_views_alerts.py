"""The alert pages: the inbox (mine, my team's; filters, counts), an alert's page and its
actions, the count in the navigation, e-mail settings; permissions and query counts;
and the alerts API (rules for admins, acknowledge / resolve / dismiss)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Contact
from demo.factories import AccountFactory, ContactFactory
from insights.alerts import evaluate
from scorecards.models import Alert, AlertPreference, AlertRule

pytestmark = pytest.mark.django_db

INBOX = "/alerts/"


def text(response):
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def alert(account):
    ContactFactory(
        account=account, name="Grumpy", buying_role="decision_maker", attitude="detractor"
    )
    evaluate.rule_evaluate(rule=AlertRule.objects.get(kind="detractor_decision_maker"))
    return Alert.objects.get()


def test_the_owner_finds_the_alert_in_their_inbox_and_the_count_in_the_bar(
    client_for, owner, alert
):
    page = client_for(owner).get(INBOX)
    assert "Detractor decision maker: Grumpy" in text(page)
    assert "1 open, 0 acknowledged" in text(page) and "1 high" in text(page)
    assert 'aria-label="Alerts: 1 open"' in page.content.decode()


def test_the_alert_page_explains_the_rule_with_its_own_values(client_for, owner, account):
    rule = AlertRule.objects.get(kind="no_decision_maker_contact")
    rule.parameters = {"days": 30.0}  # as rule_check stores it
    rule.save()
    boss = ContactFactory(account=account, name="Busy Boss", buying_role="decision_maker")
    Contact.objects.filter(pk=boss.pk).update(  # untracked: a test's dating
        created_at=timezone.now() - timedelta(days=31)
    )
    evaluate.rule_evaluate(rule=rule)
    page = text(client_for(owner).get(reverse("scorecards:alert", args=[Alert.objects.get().pk])))
    assert "nobody has met them in the 31 days since they were added" in page
    assert "for 30 days or more (one never met: 30 days after they were added)" in page
    assert "N days" not in page and "30.0" not in page  # stored as 30.0, shown as 30


def test_a_teammate_sees_it_under_the_team_not_under_mine(client_for, teammate, alert):
    assert "Grumpy" not in text(client_for(teammate).get(INBOX))
    assert "Grumpy" in text(client_for(teammate).get(INBOX, {"scope": "team"}))


def test_the_filters_narrow_the_inbox(client_for, owner, alert):
    client = client_for(owner)
    assert "Grumpy" in text(
        client.get(INBOX, {"severity": "high", "kind": "detractor_decision_maker"})
    )
    assert "Grumpy" not in text(client.get(INBOX, {"severity": "low"}))
    assert "Grumpy" not in text(client.get(INBOX, {"status": "resolved"}))
    assert "Grumpy" in text(client.get(INBOX, {"q": "acme"}))
    assert client.get(INBOX, {"status": "weird", "scope": "x", "page": "zz"}).status_code == 200


def test_acknowledging_from_the_page_drops_the_count(client_for, owner, alert):
    page = text(client_for(owner).get(reverse("scorecards:alert", args=[alert.pk])))
    assert "Grumpy" in page and "Acknowledge" in page and "Raised" in page
    url = reverse("scorecards:alert_action", args=[alert.pk, "acknowledge"])
    response = client_for(owner).post(url, {"note": "On it."})
    assert response["Location"] == reverse("scorecards:alert", args=[alert.pk])
    after = client_for(owner).get(INBOX)
    assert 'aria-label="Alerts"' in after.content.decode()  # no count any more
    assert "0 open, 1 acknowledged" in text(after)


def test_resolving_without_a_note_is_refused_and_keeps_nothing_back(client_for, owner, alert):
    url = reverse("scorecards:alert_action", args=[alert.pk, "resolve"])
    response = client_for(owner).post(url, {"note": ""}, follow=True)
    assert "Say what was done" in text(response)
    alert.refresh_from_db()
    assert alert.status == "open"
    client_for(owner).post(url, {"note": "Met her."})
    alert.refresh_from_db()
    assert (alert.status, alert.close_note) == ("resolved", "Met her.")


def test_an_unknown_action_is_404(client_for, owner, alert):
    url = reverse("scorecards:alert_action", args=[alert.pk, "explode"])
    assert client_for(owner).post(url).status_code == 404


def test_an_executive_reads_but_does_not_act(client_for, executive, alert):
    page = client_for(executive).get(reverse("scorecards:alert", args=[alert.pk]))
    assert page.status_code == 200 and "Acknowledge" not in text(page)
    url = reverse("scorecards:alert_action", args=[alert.pk, "dismiss"])
    assert client_for(executive).post(url, {"note": "no"}).status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_outsiders_get_404_and_an_empty_inbox(client_for, outsider, alert):
    client = client_for(outsider)
    assert client.get(reverse("scorecards:alert", args=[alert.pk])).status_code == 404
    for action in ("acknowledge", "resolve", "dismiss"):
        url = reverse("scorecards:alert_action", args=[alert.pk, action])
        assert client.post(url, {"note": "x"}).status_code == 404
    assert "Grumpy" not in text(client.get(INBOX, {"scope": "team"}))


def test_email_settings_are_saved(client_for, owner):
    url = reverse("scorecards:alert_preferences")
    client_for(owner).post(url, {"daily_digest": "on"})
    preference = AlertPreference.objects.get(user=owner)
    assert (preference.email_each, preference.daily_digest) == (False, True)


def test_the_inbox_queries_do_not_grow_with_alerts(client_for, owner):
    rule = AlertRule.objects.get(kind="detractor_decision_maker")
    client = client_for(owner)

    def count(n):
        for _ in range(n):
            ContactFactory(
                account=AccountFactory(owner=owner),
                buying_role="decision_maker",
                attitude="detractor",
            )
        evaluate.rule_evaluate(rule=rule)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INBOX, {"scope": "team"}).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(20)


# --- API ---------------------------------------------------------------------------------


def test_the_api_lists_and_acts(api_for, owner, alert):
    body = api_for(owner).get("/api/v1/alerts/", {"mine": "true"}).json()
    assert body["count"] == 1 and body["results"][0]["subject_label"] == "Grumpy"
    assert body["results"][0]["kind"] == "detractor_decision_maker"
    url = f"/api/v1/alerts/{alert.pk}/"
    assert api_for(owner).post(url + "resolve/", {"note": ""}, format="json").status_code == 400
    acked = api_for(owner).post(url + "acknowledge/", {}, format="json")
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    again = api_for(owner).post(url + "acknowledge/", {}, format="json")
    assert again.status_code == 400
    done = api_for(owner).post(
        url + "dismiss/", {"note": "Known; she leaves in May."}, format="json"
    )
    assert done.json()["status"] == "dismissed"


def test_the_api_refuses_others(api_for, executive, outsider, alert):
    url = f"/api/v1/alerts/{alert.pk}/"
    assert api_for(executive).get(url).status_code == 200
    assert api_for(executive).post(url + "acknowledge/").status_code == 403
    assert api_for(outsider).get(url).status_code == 404
    assert api_for(outsider).post(url + "acknowledge/").status_code == 404
    assert api_for(outsider).get("/api/v1/alerts/").json()["count"] == 0


def test_admins_change_rules_within_their_kinds(api_for, admin_user, owner):
    rule = AlertRule.objects.get(kind="tactic_overdue")
    url = f"/api/v1/alert-rules/{rule.pk}/"
    assert api_for(owner).patch(url, {"parameters": {"days": 3}}, format="json").status_code == 403
    ok = api_for(admin_user).patch(url, {"parameters": {"days": 3}}, format="json")
    assert ok.status_code == 200 and ok.json()["parameters"] == {"days": 3.0}
    for bad in (
        {"parameters": {"weeks": 1}},
        {"parameters": {"days": -1}},
        {"parameters": {"days": "soon"}},
        {"parameters": [1]},
    ):
        response = api_for(admin_user).patch(url, bad, format="json")
        assert response.status_code == 400 and "parameters" in response.json(), bad
    review = AlertRule.objects.get(kind="review_overdue")
    response = api_for(admin_user).patch(
        f"/api/v1/alert-rules/{review.pk}/", {"active": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["inactive_because"] is None


def test_admin_site_pages_for_rules(client_for, admin_user):
    client = client_for(admin_user)
    rule = AlertRule.objects.get(kind="tactic_overdue")
    assert client.get(reverse("admin:scorecards_alertrule_changelist")).status_code == 200
    assert client.get(reverse("admin:scorecards_escalationprocedure_changelist")).status_code == 200
    response = client.post(
        reverse("admin:scorecards_alertrule_change", args=[rule.pk]),
        {
            "kind": "tactic_overdue",
            "name": rule.name,
            "parameters": '{"days": 99999}',
            "severity": "low",
            "active": "on",
        },
    )
    assert response.status_code == 200 and "from 0 to 365" in text(response)
