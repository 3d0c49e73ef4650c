"""The segmentation API: the model is read by all and changed by admins; runs are the
admins'; an account's tier history follows the account's permission rules."""

import pytest
from rest_framework.test import APIClient

from segmentation import services
from segmentation.models import Criterion, SegmentationRun, Tier, TierAssignment

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_everyone_signed_in_reads_criteria_and_tiers(owner):
    client = api(owner)
    criteria = client.get("/api/v1/segmentation/criteria/").json()["results"]
    assert {c["key"] for c in criteria} == {
        "revenue",
        "growth",
        "margin",
        "lifetime_value",
        "strategic",
    }
    tiers = client.get("/api/v1/segmentation/tiers/").json()["results"]
    assert [t["name"] for t in tiers] == ["Tier I", "Tier II", "Tier III"]
    assert tiers[0]["conditions"] == [
        {"criterion": "revenue", "threshold": "80.00"},
        {"criterion": "strategic", "threshold": "75.00"},
    ]
    assert tiers[2]["conditions"] == []  # the catch-all
    assert tiers[0]["required_team_roles"] == ["executive_sponsor"]


def test_anonymous_reads_nothing(client):
    assert APIClient().get("/api/v1/segmentation/tiers/").status_code == 401


@pytest.mark.parametrize("role", ["owner", "manager", "executive"])
def test_only_admins_change_a_weight(request, role):
    criterion = Criterion.objects.get(key="revenue")
    response = api(request.getfixturevalue(role)).patch(
        f"/api/v1/segmentation/criteria/{criterion.pk}/", {"weight": 3}, format="json"
    )
    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == 1


def test_an_admin_changes_a_weight(admin_user):
    criterion = Criterion.objects.get(key="revenue")
    response = api(admin_user).patch(
        f"/api/v1/segmentation/criteria/{criterion.pk}/", {"weight": "2.5"}, format="json"
    )
    assert response.status_code == 200
    criterion.refresh_from_db()
    assert str(criterion.weight) == "2.50"


@pytest.mark.parametrize("weight", [-1, "abc"])
def test_a_bad_weight_is_a_400_with_the_field(admin_user, weight):
    criterion = Criterion.objects.get(key="revenue")
    response = api(admin_user).patch(
        f"/api/v1/segmentation/criteria/{criterion.pk}/", {"weight": weight}, format="json"
    )
    assert response.status_code == 400
    assert "weight" in response.json()


def test_the_last_weight_above_zero_cannot_go(admin_user):
    Criterion.objects.exclude(key="revenue").update(weight=0)
    criterion = Criterion.objects.get(key="revenue")
    response = api(admin_user).patch(
        f"/api/v1/segmentation/criteria/{criterion.pk}/", {"weight": 0}, format="json"
    )
    assert response.status_code == 400
    assert "above zero" in response.json()["weight"][0]


def test_an_admin_starts_a_dry_run_and_reads_its_changes(
    admin_user, account, django_capture_on_commit_callbacks
):
    client = api(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/segmentation/runs/", {"dry_run": True}, format="json")
    assert response.status_code == 201
    run = client.get(f"/api/v1/segmentation/runs/{response.json()['id']}/").json()
    assert run["status"] == "done" and run["dry_run"] is True
    changed = {c["account"] for c in run["changes"]}
    assert account.pk in changed
    assert not TierAssignment.objects.exists()


@pytest.mark.parametrize("role", ["owner", "manager", "executive"])
def test_runs_are_for_admins_only(request, role):
    client = api(request.getfixturevalue(role))
    assert client.post("/api/v1/segmentation/runs/", {"dry_run": False}).status_code == 403
    assert client.get("/api/v1/segmentation/runs/").status_code == 403
    assert not SegmentationRun.objects.exists()


def test_a_bad_run_request_is_a_400(admin_user):
    response = api(admin_user).post(
        "/api/v1/segmentation/runs/", {"dry_run": "perhaps"}, format="json"
    )
    assert response.status_code == 400
    assert "dry_run" in response.json()


def test_accounts_expose_their_tier_pin_and_score(owner, account, manager):
    assert api(owner).get(f"/api/v1/accounts/{account.pk}/").json()["tier"] is None
    services.tier_pin(
        account=account, tier=Tier.objects.get(name="Tier II"), reason="Pilot", by=manager
    )
    body = api(owner).get(f"/api/v1/accounts/{account.pk}/").json()
    # pinned before any run: no score yet
    assert (body["tier"], body["tier_pinned"], body["segmentation_score"]) == (
        "Tier II",
        True,
        None,
    )


def test_tier_history_follows_the_account_rules(owner, outsider, executive, account, manager):
    services.tier_pin(
        account=account, tier=Tier.objects.get(name="Tier I"), reason="Mandate", by=manager
    )
    url = f"/api/v1/accounts/{account.pk}/tier-history/"
    history = api(owner).get(url).json()["results"]
    assert [(h["from_tier"], h["to_tier"], h["cause"], h["reason"], h["by"]) for h in history] == [
        (None, "Tier I", "override", "Mandate", "Maya Manager")
    ]
    assert api(executive).get(url).status_code == 200
    assert api(outsider).get(url).status_code == 404
    assert api(outsider).get("/api/v1/accounts/987654/tier-history/").status_code == 404


def test_the_run_list_leaves_the_changes_out(
    admin_user, account, django_capture_on_commit_callbacks
):
    client = api(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = client.post("/api/v1/segmentation/runs/", {"dry_run": True}, format="json").json()[
            "id"
        ]
    listed = client.get("/api/v1/segmentation/runs/").json()["results"]
    assert [r["id"] for r in listed] == [run_id]
    assert "changes" not in listed[0] and listed[0]["status"] == "done"
    assert client.get(f"/api/v1/segmentation/runs/{run_id}/").json()["changes"]
