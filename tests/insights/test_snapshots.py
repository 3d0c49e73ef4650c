"""The account snapshot (insights.snapshots): its counts, one row per account and day,
overwritten by a rerun; nothing for an account that is gone."""

import datetime

import pytest
from django.utils import timezone

from accounts_app.models import AccountSnapshot
from demo.factories import (
    BusinessUnitFactory,
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
)
from insights.snapshots import account_snapshot_refresh

pytestmark = pytest.mark.django_db


TODAY = datetime.date.today


@pytest.fixture
def populated_account(owner, teammate, account):
    units = BusinessUnitFactory.create_batch(2, account=account)
    contacts = ContactFactory.create_batch(3, account=account, business_unit=units[0])
    RelationshipFactory(contact=contacts[0], user=owner, strength=3)
    RelationshipFactory(contact=contacts[1], user=teammate, strength=1)
    RelationshipFactory(contact=contacts[2], user=owner, strength=0)  # "none" does not count
    InteractionFactory(account=account, date=TODAY() - datetime.timedelta(days=3))
    InteractionFactory(account=account, date=TODAY() - datetime.timedelta(days=9))
    return account


def snapshot_values(snapshot):
    return (
        snapshot.contact_count,
        snapshot.relationship_count,
        snapshot.business_unit_count,
        snapshot.team_size,
        snapshot.last_interaction,
    )


def test_snapshot_refresh_computes_the_counts(populated_account):
    snapshot = account_snapshot_refresh(account_id=populated_account.pk)
    assert snapshot.date == timezone.localdate()
    assert snapshot_values(snapshot) == (3, 2, 2, 2, TODAY() - datetime.timedelta(days=3))


def test_snapshot_refresh_is_idempotent(populated_account):
    first = account_snapshot_refresh(account_id=populated_account.pk)
    second = account_snapshot_refresh(account_id=populated_account.pk)
    assert AccountSnapshot.objects.filter(account=populated_account).count() == 1
    assert second.pk == first.pk
    assert snapshot_values(second) == snapshot_values(first)


def test_snapshot_refresh_overwrites_the_row_of_the_day(owner, account):
    account_snapshot_refresh(account_id=account.pk)
    ContactFactory(account=account)
    account_snapshot_refresh(account_id=account.pk)
    assert AccountSnapshot.objects.get(account=account).contact_count == 1


def test_snapshot_refresh_keeps_one_row_per_day(account):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    account_snapshot_refresh(account_id=account.pk, on=yesterday)
    account_snapshot_refresh(account_id=account.pk)
    dates = list(AccountSnapshot.objects.filter(account=account).values_list("date", flat=True))
    assert dates == [timezone.localdate(), yesterday]


def test_snapshot_refresh_of_a_deleted_account_returns_none(account):
    account_id = account.pk
    account.delete()
    assert account_snapshot_refresh(account_id=account_id) is None
    assert not AccountSnapshot.objects.exists()
