"""Contracts and their renewal (issue 20, DESIGN §13): the term's rules, the renewal
opportunity opened exactly once per contract — by the daily job at the lead time, at
once for a contract saved inside it, never twice when the job runs again, runs twice at
once or is killed midway — and `contracts/` in the API (404 for outsiders, executives
read); the Contracts tab in a number of queries that does not grow with its rows."""

import threading
from datetime import date, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from opportunities import contracts
from opportunities.models import Contract, Opportunity

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)
API = "/api/v1/contracts/"


def make(account, by, *, ends, **fields):
    values = {
        "name": "Service agreement 2024–2027",
        "annual_value": D(480_000),
        "start_date": ends - timedelta(days=3 * 365),
        "end_date": ends,
        "notice_days": 90,
    }
    with mock.patch("opportunities.contracts.timezone.localdate", return_value=TODAY):
        return contracts.contract_create(account=account, by=by, **(values | fields))


def test_the_term_s_rules(account, owner):
    with pytest.raises(ValidationError) as refused:
        make(account, owner, ends=TODAY, start_date=TODAY + timedelta(days=1))
    assert "The end comes after the start." in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        make(account, owner, ends=TODAY + timedelta(days=30), start_date=TODAY, notice_days=60)
    assert "longer than the term (30 days)" in refused.value.message_dict["notice_days"][0]
    assert not Contract.objects.exists()


def test_the_renewal_opens_once_at_the_lead_time(account, owner, settings):
    settings.STRATA_RENEWAL_LEAD_DAYS = 120
    contract = make(account, owner, ends=TODAY + timedelta(days=200))
    assert contract.renewal_opportunity is None  # 200 days out: not yet
    assert contracts.renewals_open(today=TODAY) == 0
    day = contract.end_date - timedelta(days=120)
    assert contracts.renewals_open(today=day - timedelta(days=1)) == 0
    assert contracts.renewals_open(today=day) == 1
    assert contracts.renewals_open(today=day) == 0  # run twice: still one
    assert contracts.renewals_open(today=day + timedelta(days=5)) == 0
    contract.refresh_from_db()
    renewal = contract.renewal_opportunity
    assert (renewal.kind, renewal.value, renewal.close_date) == (
        "renewal",
        D(480_000),
        contract.end_date,
    )
    assert renewal.name == "Renewal: Service agreement 2024–2027" and renewal.owner == owner
    assert Opportunity.objects.filter(kind="renewal").count() == 1
    assert contract.history.filter(renewal_opportunity=renewal).exists()


def test_a_contract_saved_inside_the_window_gets_its_renewal_at_once(account, owner):
    contract = make(account, owner, ends=TODAY + timedelta(days=60))
    assert contract.renewal_opportunity is not None
    cancelled = make(account, owner, ends=TODAY + timedelta(days=61), status="cancelled")
    assert cancelled.renewal_opportunity is None
    ended = make(account, owner, ends=TODAY - timedelta(days=1))
    assert ended.renewal_opportunity is None  # past its end: nothing to renew


def test_a_run_killed_midway_leaves_nothing_and_the_next_run_opens_it(account, owner):
    contract = make(account, owner, ends=TODAY + timedelta(days=300))
    day = contract.end_date - timedelta(days=100)
    killed = SystemExit("worker killed")  # after the opportunity, before the link
    with mock.patch.object(contracts, "_link", side_effect=killed), pytest.raises(SystemExit):
        contracts.renewals_open(today=day)
    assert not Opportunity.objects.filter(kind="renewal").exists()
    assert contracts.renewals_open(today=day) == 1
    assert Opportunity.objects.filter(kind="renewal").count() == 1


def test_a_run_killed_in_its_second_batch_keeps_the_first(account, owner, monkeypatch):
    monkeypatch.setattr(contracts, "BATCH", 2)
    made = [
        make(account, owner, ends=TODAY + timedelta(days=300 + n), name=f"C{n}") for n in range(5)
    ]
    day = TODAY + timedelta(days=200)
    link, calls = contracts._link, []

    def dies_the_second_time(*args):
        calls.append(len(args[0]))
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return link(*args)

    with mock.patch.object(contracts, "_link", dies_the_second_time), pytest.raises(SystemExit):
        contracts.renewals_open(today=day)
    linked = Contract.objects.exclude(renewal_opportunity=None)
    assert sorted(linked.values_list("name", flat=True)) == ["C0", "C1"]
    assert Opportunity.objects.filter(kind="renewal").count() == 2
    assert contracts.renewals_open(today=day) == 3  # the rest, in two batches
    assert contracts.renewals_open(today=day) == 0
    renewals = Opportunity.objects.filter(kind="renewal")
    assert renewals.count() == 5
    assert sorted(renewals.values_list("renews__pk", flat=True)) == sorted(c.pk for c in made)
    assert {(o.owner, o.stage.position) for o in renewals} == {(owner, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_each_renewal_once(account, owner, seeded_stages_and_criteria):
    """On PostgreSQL a run that meets a contract another run holds waits for it, then
    finds it linked (SQLite runs one writer at a time: the runs follow each other)."""
    contract = make(account, owner, ends=TODAY + timedelta(days=300))
    day = contract.end_date - timedelta(days=100)
    if connection.vendor == "postgresql":
        locked, release, other = threading.Event(), threading.Event(), []

        def other_run():
            with transaction.atomic():  # opened, not committed yet
                other.append(contracts.renewals_open(today=day))
                locked.set()
                release.wait(10)
            connections.close_all()

        thread = threading.Thread(target=other_run)
        thread.start()
        try:
            assert locked.wait(10)
            threading.Timer(0.5, release.set).start()
            assert contracts.renewals_open(today=day) == 0  # waited, then found it linked
        finally:
            release.set()
            thread.join()
        assert other == [1]
    else:
        assert contracts.renewals_open(today=day) == 1
        assert contracts.renewals_open(today=day) == 0
    assert Opportunity.objects.filter(kind="renewal").count() == 1


def test_the_api(api_for, account, owner, outsider, executive):
    api = api_for(owner)
    body = {
        "account": account.pk,
        "name": "Spare parts framework",
        "annual_value": "120k",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "auto_renew": True,
        "notice_days": 60,
        "status": "ended",
    }
    created = api.post(API, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["annual_value"] == "120000.00"
    assert created.json()["renewal_opportunity"] is None
    pk = created.json()["id"]
    refused = api.post(API, body | {"end_date": "2024-06-01"}, format="json")
    assert refused.status_code == 400
    refused = api.post(API, body | {"notice_days": 400}, format="json")
    assert refused.status_code == 400 and "notice_days" in refused.json()
    assert api.delete(f"{API}{pk}/").status_code == 405
    assert api_for(outsider).get(f"{API}{pk}/").status_code == 404
    assert api_for(executive).get(f"{API}{pk}/").status_code == 200
    assert api_for(executive).patch(f"{API}{pk}/", {"name": "x"}).status_code == 403
    changed = api.patch(f"{API}{pk}/", {"status": "renewed"}, format="json")
    assert changed.status_code == 200
    statuses = [h.status for h in Contract.objects.get(pk=pk).history.order_by("history_date")]
    assert statuses == ["ended", "renewed"]


# --- the alerts -------------------------------------------------------------------------


def _live(kind):
    from scorecards.models import Alert

    return list(
        Alert.objects.filter(rule__kind=kind, status__in=Alert.LIVE).values_list(
            "subject_key", flat=True
        )
    )


def test_a_renewal_approaching_without_a_qualified_opportunity_raises_an_alert(
    account, owner, seeded_metrics
):
    from insights.alerts.evaluate import rule_evaluate
    from opportunities import services
    from opportunities.models import QualificationCriterion
    from scorecards.models import AlertRule

    rule = AlertRule.objects.get(kind="renewal_unqualified")  # 90 days by default
    soon = make(account, owner, ends=TODAY + timedelta(days=90))
    later = make(account, owner, ends=TODAY + timedelta(days=91), name="Later one")
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        rule_evaluate(rule=rule)
    assert _live("renewal_unqualified") == [f"contract:{soon.pk}"]
    assert later.renewal_opportunity is not None  # opened, but 91 days out: no alert yet
    # The renewal qualifies: the alert resolves by itself.
    every = QualificationCriterion.objects.values_list("pk", flat=True)
    services.qualification_set(
        opportunity=soon.renewal_opportunity, by=owner, answers={pk: 2 for pk in every}
    )
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        rule_evaluate(rule=rule)
    assert _live("renewal_unqualified") == []


def test_a_notice_deadline_within_30_days_raises_an_alert(account, owner, seeded_metrics):
    from insights.alerts.evaluate import rule_evaluate
    from scorecards.models import Alert, AlertRule

    rule = AlertRule.objects.get(kind="notice_deadline")
    near = make(account, owner, ends=TODAY + timedelta(days=120), notice_days=90)  # by +30
    make(account, owner, ends=TODAY + timedelta(days=121), notice_days=90, name="Not yet")
    make(account, owner, ends=TODAY + timedelta(days=60), notice_days=90, name="Passed")
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        rule_evaluate(rule=rule)
    assert _live("notice_deadline") == [f"notice:{near.pk}"]
    alert = Alert.objects.get(subject_key=f"notice:{near.pk}")
    assert "must be given by 6 Jan 2027 (30 days)" in alert.description


# --- the tab ----------------------------------------------------------------------------


def test_the_contracts_tab(client_for, account, owner, outsider, executive):
    from django.urls import reverse

    from tests.pages import text

    tab = reverse("opportunities:contracts", args=[account.pk])
    assert "No contract yet" in text(client_for(owner).get(tab))
    client = client_for(owner)
    url = reverse("opportunities:contract_create", args=[account.pk])
    typed = {
        "name": "Service agreement",
        "annual_value": "480k",
        "start_date": "2026-01-01",
        "end_date": "2025-12-31",
        "notice_days": "90",
        "status": "active",
    }
    refused = client.post(url, typed, headers={"HX-Request": "true", "HX-Target": "contract-form"})
    assert refused.status_code == 422 and "The end comes after the start." in refused.text
    assert 'value="Service agreement"' in refused.text and "<nav" not in refused.text
    saved = client.post(url, typed | {"end_date": "2027-02-28"})
    assert saved.status_code == 302
    page = text(client.get(tab))
    assert "Service agreement" in page and "€480,000" in page
    assert "1 active contract worth €480,000 a year" in page
    contract = Contract.objects.get()
    edit = reverse("opportunities:contract_edit", args=[account.pk, contract.pk])
    assert client_for(outsider).get(tab).status_code == 404
    assert client_for(outsider).get(edit).status_code == 404
    assert "Add a contract" not in client_for(executive).get(tab).text
    assert client_for(executive).post(edit, typed).status_code == 403


def test_the_tab_reads_in_constant_queries(client_for, account, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    tab = reverse("opportunities:contracts", args=[account.pk])
    client = client_for(owner)
    make(account, owner, ends=TODAY + timedelta(days=60))  # with its renewal open
    client.get(tab)
    with CaptureQueriesContext(connection) as few:
        client.get(tab)
    for n in range(20):  # renewals open or not yet, active and ended
        ends = TODAY + timedelta(days=-300 + 60 * n)
        status = "active" if ends >= TODAY else "ended"
        make(account, owner, ends=ends, name=f"Contract {n}", status=status)
    assert Contract.objects.exclude(renewal_opportunity=None).count() > 1
    with CaptureQueriesContext(connection) as many:
        page = client.get(tab)
    assert page.status_code == 200 and "Contract 19" in page.text
    assert len(many) == len(few)


def test_the_schema_says_a_contract_may_have_no_renewal_yet():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Contract"]["properties"]["renewal_opportunity"]
    assert field.get("nullable") is True  # found by schemathesis: null in the answers
