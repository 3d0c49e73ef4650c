"""The accounts list's RPI column: the latest snapshot's RPI, its change over 90 days,
below the tier's target in amber; sortable; the account overview's RPI card."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts_app.models import Contact, Relationship, TeamMember
from demo.factories import (
    AccountFactory,
    AccountSnapshotFactory,
    ContactFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


def snapshot(account, days_ago, rpi):
    return AccountSnapshotFactory(
        account=account,
        date=timezone.localdate() - timedelta(days=days_ago),
        rpi=Decimal(rpi),
        computed_at=timezone.now(),
    )


def row(response, name):
    html = response.content.decode()
    start = html.index(f">{name}</a>")
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def text(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


@pytest.fixture
def accounts(owner):
    rising = AccountFactory(name="Rising", owner=owner)
    falling = AccountFactory(name="Falling", owner=owner)
    new = AccountFactory(name="New", owner=owner)
    unknown = AccountFactory(name="Unknown", owner=owner)
    snapshot(rising, 120, "40.0")  # older than the 90-day mark: ignored for the change
    snapshot(rising, 95, "50.0")  # the value 90 days ago (the latest on or before)
    snapshot(rising, 0, "62.5")
    snapshot(falling, 91, "80.0")
    snapshot(falling, 10, "70.4")
    snapshot(new, 3, "33.3")  # no snapshot 90 days back: no change shown
    return {"rising": rising, "falling": falling, "new": new, "unknown": unknown}


def test_the_list_shows_rpi_and_its_change_over_90_days(client_for, owner, accounts):
    response = client_for(owner).get("/accounts/")
    assert text(row(response, "Rising")).endswith("62.5 +12.5 —")  # then last interaction
    assert "70.4 -9.6" in text(row(response, "Falling"))
    assert "33.3" in text(row(response, "New")) and "+" not in text(row(response, "New"))
    assert 'class="num nowrap rpi-cell"><span class="muted">—' in row(response, "Unknown")


def test_the_accounts_api_gives_the_latest_snapshots_rpi(api_for, owner, accounts):
    body = api_for(owner).get("/api/v1/accounts/", {"sort": "name"}).json()
    rpi = {row["name"]: row["rpi"] for row in body["results"]}
    assert rpi == {"Falling": 70.4, "New": 33.3, "Rising": 62.5, "Unknown": None}
    one = api_for(owner).get(f"/api/v1/accounts/{accounts['rising'].pk}/").json()
    assert one["rpi"] == 62.5


def test_below_the_tier_target_is_marked(client_for, owner, manager, accounts):
    from segmentation import services as segmentation
    from segmentation.models import Tier

    segmentation.ensure_default_model()
    tier_one = Tier.objects.get(name="Tier I")  # RPI target 70
    segmentation.tier_pin(account=accounts["rising"], tier=tier_one, reason="Key", by=manager)
    segmentation.tier_pin(account=accounts["falling"], tier=tier_one, reason="Key", by=manager)
    response = client_for(owner).get("/accounts/")
    assert "below the tier target of 70" in row(response, "Rising")
    assert "below-target" not in row(response, "Falling")


def test_sorting_by_rpi_puts_unknown_last_both_ways(client_for, owner, accounts):
    def names(sort):
        page = client_for(owner).get("/accounts/", {"sort": sort}).context["page"]
        return [a.name for a in page.object_list]

    assert names("rpi") == ["New", "Rising", "Falling", "Unknown"]
    assert names("-rpi") == ["Falling", "Rising", "New", "Unknown"]
    assert names("-rpi_change")[:2] == ["Rising", "Falling"]


def test_the_overview_shows_the_rpi_now_its_target_and_trend(client_for, owner, account, manager):
    contact = ContactFactory(account=account, level="senior", buying_role="none")
    RelationshipFactory(contact=contact, user=owner, strength=3)
    # High 3/4, Wide 1 (no units, best ≥ 2), Deep 0 → RPI 100·(7/4)/3 = 58.3
    page = client_for(owner).get(account.get_absolute_url())
    html = page.content.decode()
    assert '<span class="value">58.3</span>' in html
    assert "The trend appears once" in html  # everything began today: one point
    # The trend comes from the history (DESIGN §11): the same people two months ago.
    for model in (Contact, Relationship, TeamMember):
        model.history.update(history_date=timezone.now() - timedelta(days=70))
    html = client_for(owner).get(account.get_absolute_url()).content.decode()
    assert "<svg" in html and "Relationship Penetration Index over time" in html


def test_a_change_is_over_about_90_days_not_over_a_year(client_for, owner):
    stale = AccountFactory(name="Stale", owner=owner)
    snapshot(stale, 365, "10.0")  # nothing between 90 and 120 days back
    snapshot(stale, 0, "50.0")
    html = row(client_for(owner).get("/accounts/"), "Stale")
    assert "50.0" in text(html) and "+40.0" not in html


def test_the_overview_links_its_gap_count_to_the_gap_list(client_for, owner, account):
    ContactFactory(account=account, buying_role="decision_maker")  # uncovered: one gap
    html = client_for(owner).get(account.get_absolute_url()).content.decode()
    assert f'/accounts/{account.pk}/relationships/#gap-list">1 coverage gap<' in html
    relationships = client_for(owner).get(f"/accounts/{account.pk}/relationships/")
    assert 'id="gap-list"' in relationships.content.decode()
