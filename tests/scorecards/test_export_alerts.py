"""The alerts as a file: `alerts/export/` (the API list's filters) and the inbox's
Export links (the inbox's own filters: whose, status, severity, kind, search)."""

import pytest
from django.urls import reverse

from demo.factories import AccountFactory, AlertFactory
from scorecards.models import Alert, AlertRule
from tests.export_files import export_links, rows

pytestmark = pytest.mark.django_db

URL = "/api/v1/alerts/export/"


@pytest.fixture
def alerts(owner, account, outsider):
    rule = AlertRule.objects.get(kind="detractor_decision_maker")
    return {
        "open": AlertFactory(account=account, rule=rule, subject_label="=Grumpy", assignee=owner),
        "resolved": AlertFactory(
            account=account, rule=rule, subject_label="Solved", status=Alert.Status.RESOLVED
        ),
        "hidden": AlertFactory(
            account=AccountFactory(name="Hidden", owner=outsider),
            rule=rule,
            subject_label="Not yours",
            assignee=outsider,
        ),
    }


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_status_filter_exports_exactly_those_alerts(api_for, owner, alerts, file_format):
    exported = rows(api_for(owner).get(URL, {"status": "resolved", "file_format": file_format}))
    assert [(r["subject_label"], r["status"]) for r in exported] == [("Solved", "Resolved")]
    assert exported[0]["account"] == "Acme Industrial"
    assert exported[0]["kind"] == "Detractor decision maker"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_subjects_are_neutralised(api_for, owner, alerts, file_format):
    exported = rows(api_for(owner).get(URL, {"status": "open", "file_format": file_format}))
    assert [r["subject_label"] for r in exported] == ["'=Grumpy"]
    assert exported[0]["assignee"] == "Olivia Owner"


def test_an_outsider_exports_only_their_alerts(api_for, outsider, alerts):
    assert [r["subject_label"] for r in rows(api_for(outsider).get(URL))] == ["Not yours"]


def test_anonymous_and_a_bad_format_are_refused(client, api_for, owner, alerts):
    assert client.get(URL).status_code in (401, 403)
    assert api_for(owner).get(URL, {"file_format": "txt"}).status_code == 400


def test_the_queries_do_not_grow_with_the_rows(
    api_for, owner, account, alerts, django_assert_max_num_queries
):
    for _ in range(10):
        AlertFactory(account=account, assignee=owner)
    with django_assert_max_num_queries(5):
        assert len(rows(api_for(owner).get(URL, {"file_format": "xlsx"}))) == 12


# --- The inbox ---


def test_the_inboxs_export_links_carry_its_filters(client_for, owner, alerts):
    client = client_for(owner)
    inbox = client.get(reverse("scorecards:alerts"), {"scope": "team", "status": "all"})
    links = export_links(inbox)
    assert links["csv"].startswith(reverse("scorecards:alerts_export") + "?")
    assert "scope=team" in links["csv"] and "status=all" in links["csv"]
    exported = [r["subject_label"] for r in rows(client.get(links["xlsx"]))]
    shown = [a.subject_label for a in inbox.context["page"].object_list]
    assert exported == [("'" + s if s.startswith("=") else s) for s in shown]
    assert sorted(exported) == ["'=Grumpy", "Solved"]


def test_the_inboxs_export_defaults_to_mine_and_live_as_the_inbox(client_for, owner, alerts):
    exported = rows(client_for(owner).get(reverse("scorecards:alerts_export")))
    assert [r["subject_label"] for r in exported] == ["'=Grumpy"]


def test_the_inboxs_export_is_scoped_and_checked(client, client_for, outsider, alerts):
    url = reverse("scorecards:alerts_export")
    assert client.get(url).status_code == 302
    signed_in = client_for(outsider)
    assert [r["subject_label"] for r in rows(signed_in.get(url, {"scope": "team"}))] == [
        "Not yours"
    ]
    assert signed_in.get(url, {"file_format": "pdf"}).status_code == 400
