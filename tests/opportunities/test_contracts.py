"""Contracts and their renewal (issue 20, DESIGN §13): the term's rules, the renewal
opportunity opened exactly once per contract — by the daily job at the lead time, at
once for a contract saved inside it, never twice when the job runs again or is killed
midway — and `contracts/` in the API (404 for outsiders, executives read)."""

from datetime import date, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

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
    real_save = Contract.save

    def dies(self, *args, **kwargs):
        if kwargs.get("update_fields") and "renewal_opportunity" in kwargs["update_fields"]:
            raise SystemExit("worker killed")  # after the opportunity, before the link
        return real_save(self, *args, **kwargs)

    with mock.patch.object(Contract, "save", dies), pytest.raises(SystemExit):
        contracts.renewals_open(today=day)
    assert not Opportunity.objects.filter(kind="renewal").exists()
    assert contracts.renewals_open(today=day) == 1
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
