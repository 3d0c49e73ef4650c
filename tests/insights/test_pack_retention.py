"""Packs kept (issue 17): an unchanged pack is served again from its stored copy; a
daily job keeps the newest STRATA_PACKS_KEPT of each account and of the portfolio."""

import pytest
from django.test import override_settings
from django.urls import reverse

from demo.factories import AccountFactory
from insights.packs.retention import packs_prune
from insights.tasks import prune_packs
from plans.models import GeneratedPack

pytestmark = pytest.mark.django_db


def download(client, account, variant="internal"):
    return client.get(reverse("insights:account_pack", args=[account.pk]), {"variant": variant})


def test_an_unchanged_pack_is_served_from_its_stored_copy(client_for, owner, account):
    client = client_for(owner)
    first = download(client, account)
    assert first.status_code == 200
    again = download(client, account)
    assert again.content == first.content
    assert GeneratedPack.objects.filter(account=account).count() == 1

    account.description = "Now with a new description."
    account.name = "Acme Industrial Group"
    account.save()
    changed = download(client, account)
    assert changed.status_code == 200
    assert GeneratedPack.objects.filter(account=account).count() == 2
    # Each version is its own stored pack.
    download(client, account, "customer")
    assert GeneratedPack.objects.filter(account=account).count() == 3


def made(n, **fields):
    return [
        GeneratedPack.objects.create(status=GeneratedPack.Status.DONE, pdf=b"%PDF", **fields)
        for _ in range(n)
    ]


def test_the_job_keeps_the_newest_of_each_account_and_of_the_portfolio(owner):
    crowded, quiet = AccountFactory(owner=owner), AccountFactory(owner=owner)
    old = made(3, account=crowded, kind="internal")
    new = made(2, account=crowded, kind="customer")
    kept_quiet = made(2, account=quiet, kind="internal")
    old_portfolio = made(2, kind="portfolio")
    new_portfolio = made(2, kind="portfolio")
    rendering = GeneratedPack.objects.create(kind="portfolio", status="running")

    with override_settings(STRATA_PACKS_KEPT=2):
        assert prune_packs.delay().get() == 3 + 2

    left = set(GeneratedPack.objects.values_list("id", flat=True))
    assert left == {p.pk for p in [*new, *kept_quiet, *new_portfolio, rendering]}
    assert not left & {p.pk for p in [*old, *old_portfolio]}


def test_nothing_to_prune_removes_nothing(owner, account):
    made(3, account=account, kind="internal")
    assert packs_prune() == 0
    assert GeneratedPack.objects.count() == 3
