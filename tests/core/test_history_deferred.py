"""History rows of records loaded with deferred fields: every value is read before the
rows are written (on PostgreSQL a COPY holds the connection, and a deferred field loaded
inside it would wait for ever — the recompute once did)."""

from decimal import Decimal

import pytest

from accounts_app.models import Account
from core import history

pytestmark = pytest.mark.django_db


def test_a_bulk_update_of_deferred_records_writes_their_whole_history(account):
    loaded = list(Account.objects.filter(pk=account.pk).only("pk", "annual_revenue"))
    loaded[0].annual_revenue = Decimal(1234)
    history.bulk_update(Account, loaded, ["annual_revenue"])
    row = account.history.order_by("-history_date", "-history_id").first()
    assert (row.annual_revenue, row.name) == (Decimal(1234), account.name)
