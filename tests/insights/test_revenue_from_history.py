"""An account with a revenue history takes its annual revenue (the last twelve whole
months) and its growth from it (issue 20, DESIGN §13): the recompute writes them (with
the account's history), the Overview says so, and neither the form nor the API lets a
typed figure contradict it."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from accounts_app.models import RevenueEntry
from accounts_app.revenue import month_start
from insights.snapshots import account_snapshot_refresh
from tests.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_history(account):
    today = timezone.localdate()
    for back, amount in ((24, 50), (13, 100), (12, 90), (1, 90), (0, 999)):
        RevenueEntry.objects.create(account=account, month=month_start(today, back), amount=amount)
    account_snapshot_refresh(account_id=account.pk)
    account.refresh_from_db()
    return account


def test_the_recompute_takes_the_annual_revenue_and_growth_from_the_history(with_history):
    account = with_history
    snapshot = account.latest_snapshot
    # Last twelve: 90 + 90 = 180; the twelve before: 50 + 100 = 150 → +20 %.
    assert (snapshot.revenue_ttm, snapshot.revenue_yoy_pct) == (D(180), D("20.0"))
    assert account.annual_revenue == D(180)
    change = account.history.order_by("-history_date").first()
    assert change.annual_revenue == D(180) and change.history_user is None  # Strata did it


def test_without_a_history_the_typed_revenue_stays(account):
    account.annual_revenue = D(4_200_000)
    account.save()
    snapshot = account_snapshot_refresh(account_id=account.pk)
    account.refresh_from_db()
    assert (snapshot.revenue_ttm, snapshot.revenue_yoy_pct) == (None, None)
    assert account.annual_revenue == D(4_200_000)


def test_the_overview_form_and_api_follow_the_history(client_for, api_for, owner, with_history):
    account = with_history
    page = text(client_for(owner).get(f"/accounts/{account.pk}/"))
    assert "+20.0 % on the year before" in page and "from the monthly revenue history" in page
    form = client_for(owner).get(f"/accounts/{account.pk}/edit/")
    assert "change the monthly figures" in form.text
    api = api_for(owner)
    refused = api.patch(f"/api/v1/accounts/{account.pk}/", {"annual_revenue": "5"}, format="json")
    assert refused.status_code == 400 and "annual_revenue" in refused.json()
    same = api.patch(f"/api/v1/accounts/{account.pk}/", {"annual_revenue": "180"}, format="json")
    assert same.status_code == 200
