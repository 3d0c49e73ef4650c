"""The RPI in the snapshot job and the API, on the worked example of test_rpi.py built
as real rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts_app.models import AccountSnapshot, Contact, TeamMember
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
)
from insights.snapshots import account_snapshots_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(account, owner, teammate):
    """test_rpi.py's worked example on `account`: owner is u1, teammate u2.
    RPI 43.1 (High 33.3, Wide 33.3, Deep 62.5), four gaps."""
    units = [BusinessUnitFactory(account=account, name=n) for n in ("Ops", "Finance", "IT")]
    ops, fin, it = units

    def contact(name, level, role, attitude, unit):
        return ContactFactory(
            account=account,
            name=name,
            level=level,
            buying_role=role,
            attitude=attitude,
            business_unit=unit,
        )

    c1 = contact("Dora Decider", "executive", "decision_maker", "detractor", ops)
    c2 = contact("Rick Recommender", "senior", "recommender", "neutral", fin)
    c3 = contact("Ivy Influencer", "middle", "influencer", "supporter", ops)
    c4 = contact("Uma User", "operational", "user", "unknown", None)
    c5 = contact("Eli Executive", "executive", "none", "champion", it)
    RelationshipFactory(contact=c1, user=owner, strength=3, target_strength=4)
    RelationshipFactory(contact=c1, user=teammate, strength=1)
    RelationshipFactory(contact=c2, user=owner, strength=1, target_strength=3)
    RelationshipFactory(contact=c3, user=teammate, strength=4)
    RelationshipFactory(contact=c4, user=owner, strength=2)
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5}


def test_the_snapshot_stores_the_rpi_and_its_parts(account, worked):
    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert (snapshot.rpi, snapshot.rpi_high, snapshot.rpi_wide, snapshot.rpi_deep) == (
        Decimal("43.1"),
        Decimal("33.3"),
        Decimal("33.3"),
        Decimal("62.5"),
    )
    assert snapshot.gap_count == 4
    assert (snapshot.contact_count, snapshot.relationship_count) == (5, 5)
    assert (snapshot.business_unit_count, snapshot.team_size) == (3, 2)


def test_the_snapshot_is_one_row_per_day_and_follows_changes(account, worked):
    account_snapshots_refresh(account_ids=[account.pk])
    # Rick's owner relationship reaches 3: Wide 2/3 (Ops, Finance), High (3+3+0)/12 = 1/2,
    # Deep (9 + 2·3 + 4)/24 = 19/24; RPI = 100·(1/2 + 2/3 + 19/24)/3 = 100·(47/24)/3 = 65.3
    worked["c2"].relationships.filter(user=account.owner).update(strength=3)
    snapshot = account_snapshots_refresh(account_ids=[account.pk])[account.pk]
    assert snapshot.rpi == Decimal("65.3")
    assert snapshot.gap_count == 2  # the detractor and Dora below target remain
    assert AccountSnapshot.objects.filter(account=account).count() == 1


def test_an_account_without_contacts_has_rpi_zero(outsider):
    lonely = AccountFactory(name="Empty Co")
    snapshot = account_snapshots_refresh(account_ids=[lonely.pk])[lonely.pk]
    assert (snapshot.rpi, snapshot.gap_count, snapshot.contact_count) == (Decimal("0.0"), 0, 0)


def test_a_batch_costs_the_same_queries_whatever_its_size():
    def queries_for(n):
        ids = []
        for _ in range(n):
            account = AccountFactory()
            contact = ContactFactory(account=account, level="senior")
            RelationshipFactory(contact=contact, strength=3)
            ids.append(account.pk)
        with CaptureQueriesContext(connection) as ctx:
            rows = account_snapshots_refresh(account_ids=ids)
        assert len(rows) == n
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(20)


def test_gone_accounts_are_skipped(account):
    rows = account_snapshots_refresh(account_ids=[account.pk, 987654])
    assert list(rows) == [account.pk]


def test_the_nightly_job_snapshots_every_account_in_batches(account, worked, outsider):
    other = AccountFactory(name="Second")
    from insights.tasks import nightly_recompute

    assert nightly_recompute.delay().get() >= 2
    assert AccountSnapshot.objects.get(account=account).rpi == Decimal("43.1")
    assert AccountSnapshot.objects.get(account=other).rpi == Decimal("0.0")


# --- API --------------------------------------------------------------------------------


def test_the_rpi_api_answers_the_worked_example(api_for, teammate, account, worked, owner):
    body = api_for(teammate).get(f"/api/v1/accounts/{account.pk}/rpi/").json()
    assert (body["rpi"], body["high"], body["wide"], body["deep"]) == (43.1, 33.3, 33.3, 62.5)
    assert body["rpi_target"] is None
    gaps = [
        (g["kind"], g["contact_name"], g["user_name"], g["strength"], g["target"])
        for g in body["gaps"]
    ]
    assert gaps == [
        ("detractor", "Dora Decider", None, 3, None),
        ("uncovered", "Rick Recommender", None, 1, None),
        ("below_target", "Dora Decider", owner.name, 3, 4),
        ("below_target", "Rick Recommender", owner.name, 1, 3),
    ]


def test_the_rpi_api_shows_the_tier_target(api_for, executive, account, manager):
    from segmentation import services as segmentation
    from segmentation.models import Tier

    segmentation.ensure_default_model()
    segmentation.tier_pin(
        account=account, tier=Tier.objects.get(name="Tier I"), reason="Key", by=manager
    )
    body = api_for(executive).get(f"/api/v1/accounts/{account.pk}/rpi/").json()
    assert body["rpi_target"] == 70 and body["rpi"] == 0.0


def test_outsiders_get_404_on_the_rpi(api_for, outsider, account):
    assert api_for(outsider).get(f"/api/v1/accounts/{account.pk}/rpi/").status_code == 404
    assert api_for(outsider).get("/api/v1/accounts/987654/rpi/").status_code == 404


def test_gap_links_point_at_the_cell_that_closes_them(account, worked, owner, teammate):
    from accounts_app.selectors import account_rpi

    anchors = {(g.kind, g.contact_name): g.anchor for g in account_rpi(account=account).gaps}
    c1, c2 = worked["c1"].pk, worked["c2"].pk
    assert anchors[("detractor", "Dora Decider")] == f"contact-{c1}"
    # Rick is known best by the owner: that relationship is the one to build.
    assert anchors[("uncovered", "Rick Recommender")] == f"cell-{c2}-{owner.pk}"
    assert anchors[("below_target", "Dora Decider")] == f"cell-{c1}-{owner.pk}"


def test_a_single_threaded_decision_maker_links_to_another_member(account, owner, teammate):
    dm = ContactFactory(account=account, name="Solo", level="senior", buying_role="decision_maker")
    RelationshipFactory(contact=dm, user=owner, strength=3)
    from accounts_app.selectors import account_rpi

    (gap,) = account_rpi(account=account).gaps
    assert (gap.kind, gap.user_id, gap.anchor) == (
        "single_threaded",
        owner.pk,
        f"cell-{dm.pk}-{teammate.pk}",
    )
    assert Contact.objects.count() == 1 and TeamMember.objects.filter(account=account).count() == 2


def test_a_relationship_of_someone_who_left_the_team_no_longer_counts(account, teammate):
    contact = ContactFactory(account=account, level="senior", buying_role="none")
    RelationshipFactory(contact=contact, user=teammate, strength=4)
    # High 1, Wide 1 (no units, best ≥ 2), Deep 0 → 66.7
    assert account_snapshots_refresh(account_ids=[account.pk])[account.pk].rpi == Decimal("66.7")
    TeamMember.objects.filter(account=account, user=teammate).delete()
    assert account_snapshots_refresh(account_ids=[account.pk])[account.pk].rpi == Decimal("0.0")


def test_the_contacts_tab_best_strength_counts_only_the_current_team(
    client_for, owner, account, teammate
):
    contact = ContactFactory(account=account, name="Cleo Contact")
    RelationshipFactory(contact=contact, user=teammate, strength=4)
    RelationshipFactory(contact=contact, user=owner, strength=1)
    TeamMember.objects.filter(account=account, user=teammate).delete()
    page = client_for(owner).get(f"/accounts/{account.pk}/contacts/")
    (shown,) = [c for c in page.context["page"] if c.name == "Cleo Contact"]
    assert shown.best_strength == 1
