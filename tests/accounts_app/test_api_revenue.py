"""`revenue-entries/` (issue 20, DESIGN §7): an account's revenue per month as YYYY-MM;
the team writes (history with its author), executives read, outsiders get 404; one entry
per month; bad months and amounts are 400s with field errors — the Revenue tab's rules:
no negative amount, no month that has not begun; no DELETE."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from accounts_app.models import RevenueEntry
from accounts_app.revenue import month_start

pytestmark = pytest.mark.django_db

API = "/api/v1/revenue-entries/"


def test_the_team_records_months_and_corrects_them(api_for, account, owner, teammate):
    api = api_for(owner)
    created = api.post(API, {"account": account.pk, "month": "2026-03", "amount": "1200.50"})
    assert created.status_code == 201, created.json()
    assert created.json() | {"id": 0} == {
        "id": 0,
        "account": account.pk,
        "month": "2026-03",
        "amount": "1200.50",
    }
    pk = created.json()["id"]
    fixed = api_for(teammate).patch(f"{API}{pk}/", {"amount": "1300"}, format="json")
    assert fixed.status_code == 200 and RevenueEntry.objects.get().amount == D("1300")
    rows = list(RevenueEntry.objects.get().history.order_by("history_date"))
    assert [r.history_user for r in rows] == [owner, teammate]
    assert rows[0].history_account_id == account.pk
    api.post(API, {"account": account.pk, "month": "2025-12", "amount": "10"})
    listed = api.get(API, {"account": account.pk, "since": "2026-01"}).json()
    assert [r["month"] for r in listed["results"]] == ["2026-03"]
    assert api.delete(f"{API}{pk}/").status_code == 405


def test_bad_input_is_a_400_with_field_errors(api_for, account, owner):
    api = api_for(owner)
    api.post(API, {"account": account.pk, "month": "2026-03", "amount": "1"})
    for body, field in (
        ({"month": "2026-13", "amount": "1"}, "month"),
        ({"month": "March 2026", "amount": "1"}, "month"),
        ({"month": "2026-04", "amount": "lots"}, "amount"),
        ({"month": "2026-03", "amount": "5"}, "month"),  # the month exists already
    ):
        refused = api.post(API, {"account": account.pk, **body})
        assert refused.status_code == 400 and field in refused.json(), body
    assert api.get(API, {"since": "soon"}).status_code == 400
    assert RevenueEntry.objects.count() == 1


def test_outsiders_get_404_and_executives_read_only(api_for, account, owner, outsider, executive):
    entry = RevenueEntry.objects.create(account=account, month="2026-01-01", amount=5)
    assert api_for(outsider).get(f"{API}{entry.pk}/").status_code == 404
    assert api_for(outsider).get(API).json()["count"] == 0
    refused = api_for(outsider).post(API, {"account": account.pk, "month": "2026-02", "amount": 1})
    assert refused.status_code == 400 and "account" in refused.json()
    assert api_for(executive).get(f"{API}{entry.pk}/").status_code == 200
    assert api_for(executive).patch(f"{API}{entry.pk}/", {"amount": 9}).status_code == 403
    assert (
        api_for(executive)
        .post(API, {"account": account.pk, "month": "2026-02", "amount": 1})
        .status_code
        == 403
    )


def test_the_rules_of_the_revenue_tab_hold(api_for, account, owner):
    api = api_for(owner)
    today = timezone.localdate()
    last_month, next_month = month_start(today, 1), month_start(today, -1)
    body = {"account": account.pk, "month": f"{last_month:%Y-%m}"}
    refused = api.post(API, body | {"amount": "-1"})
    assert refused.status_code == 400
    assert refused.json()["amount"] == [
        "Revenue cannot be negative: enter 0 for a month without any."
    ]
    refused = api.post(API, body | {"month": f"{next_month:%Y-%m}", "amount": "1"})
    assert refused.status_code == 400 and "has not begun" in refused.json()["month"][0]
    created = api.post(API, body | {"amount": "12k"})
    assert created.status_code == 201 and created.json()["amount"] == "12000.00"
    pk = created.json()["id"]
    assert api.patch(f"{API}{pk}/", {"amount": "-3"}, format="json").status_code == 400
    moved = api.patch(f"{API}{pk}/", {"month": f"{next_month:%Y-%m}"}, format="json")
    assert moved.status_code == 400
    assert RevenueEntry.objects.get().amount == D(12_000)
