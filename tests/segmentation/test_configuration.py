"""Changing the segmentation model: every write is checked against the whole
configuration (weights, thresholds, one catch-all that comes last, unique names)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from demo.factories import AccountFactory, TierAssignmentFactory, TierFactory
from segmentation import services
from segmentation.models import Criterion, Tier, TierChange

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def names():
    return list(Tier.objects.order_by("rank").values_list("name", flat=True))


# --- services -------------------------------------------------------------------------


def test_weights_cannot_be_negative_or_all_zero():
    with pytest.raises(ValidationError) as exc:
        services.criteria_weights_set(weights={"revenue": Decimal("-1")})
    assert exc.value.message_dict == {"revenue": ["A weight cannot be negative."]}
    with pytest.raises(ValidationError, match="At least one criterion"):
        services.criteria_weights_set(
            weights={key: Decimal(0) for key in services.scoring.CRITERIA}
        )
    assert set(Criterion.objects.values_list("weight", flat=True)) == {Decimal(1)}
    services.criteria_weights_set(weights={"revenue": Decimal("3"), "margin": Decimal(0)})
    assert dict(Criterion.objects.values_list("key", "weight"))["revenue"] == 3


def test_a_new_tier_goes_before_the_catch_all():
    created = services.tier_save(
        tier=None, name="Watch list", conditions=[("margin", 90)], description="High margin"
    )
    assert names() == ["Tier I", "Tier II", "Watch list", "Tier III"]
    assert created.rank == 3
    assert [(c.criterion, c.threshold) for c in created.conditions.all()] == [
        ("margin", Decimal(90))
    ]


def test_a_second_catch_all_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.tier_save(tier=None, name="Everyone else", conditions=[])
    assert "Exactly one tier must be the catch-all" in str(exc.value.message_dict["conditions"])
    assert names() == ["Tier I", "Tier II", "Tier III"]


def test_removing_the_catch_all_is_refused():
    catch_all = TierFactory(name="Tier III")
    with pytest.raises(ValidationError, match="Exactly one tier"):
        services.tier_save(tier=catch_all, name="Tier III", conditions=[("revenue", 10)])
    with pytest.raises(ValidationError, match="Exactly one tier"):
        services.tier_delete(tier=catch_all)
    assert TierFactory(name="Tier III").conditions.count() == 0


def test_the_catch_all_must_come_last():
    with pytest.raises(ValidationError) as exc:
        services.tier_move(tier=TierFactory(name="Tier III"), position=1)
    assert exc.value.message_dict == {"position": ["The catch-all tier must come last."]}
    assert names() == ["Tier I", "Tier II", "Tier III"]


def test_moving_a_tier_renumbers_the_ranks():
    services.tier_move(tier=TierFactory(name="Tier II"), position=1)
    assert names() == ["Tier II", "Tier I", "Tier III"]
    assert list(Tier.objects.order_by("rank").values_list("rank", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("threshold", [-1, Decimal("100.01"), 250])
def test_thresholds_are_scores_from_0_to_100(threshold):
    with pytest.raises(ValidationError) as exc:
        services.tier_save(
            tier=TierFactory(name="Tier I"), name="Tier I", conditions=[("revenue", threshold)]
        )
    assert exc.value.message_dict == {"conditions": ["Thresholds are scores from 0 to 100."]}


def test_thresholds_0_and_100_are_allowed():
    services.tier_save(
        tier=TierFactory(name="Tier I"), name="Tier I", conditions=[("revenue", 100)]
    )
    services.tier_save(tier=TierFactory(name="Tier II"), name="Tier II", conditions=[("growth", 0)])
    assert TierFactory(name="Tier I").conditions.get().threshold == 100


def test_tier_names_are_unique_whatever_the_case():
    with pytest.raises(ValidationError) as exc:
        services.tier_save(
            tier=TierFactory(name="Tier II"), name="tier i ", conditions=[("growth", 70)]
        )
    assert exc.value.message_dict == {"name": ["There is already a tier called “tier i”."]}


def test_the_catch_all_cannot_have_a_cap():
    with pytest.raises(ValidationError) as exc:
        services.tier_save(
            tier=TierFactory(name="Tier III"), name="Tier III", conditions=[], cap=10
        )
    assert list(exc.value.message_dict) == ["cap"]


def test_a_criterion_once_per_tier():
    with pytest.raises(ValidationError, match="at most once"):
        services.tier_save(
            tier=TierFactory(name="Tier I"),
            name="Tier I",
            conditions=[("revenue", 80), ("revenue", 60)],
        )


def test_a_tier_with_accounts_cannot_be_deleted_but_an_empty_one_can(owner):
    account = AccountFactory()
    TierAssignmentFactory(account=account, tier=TierFactory(name="Tier II"))
    with pytest.raises(ValidationError, match="1 account is in “Tier II”"):
        services.tier_delete(tier=TierFactory(name="Tier II"))
    services.tier_delete(tier=TierFactory(name="Tier I"))
    assert names() == ["Tier II", "Tier III"]
    assert list(Tier.objects.values_list("rank", flat=True)) == [1, 2]


# --- API ------------------------------------------------------------------------------


def test_an_admin_creates_a_tier_through_the_api(admin_user):
    response = api(admin_user).post(
        "/api/v1/segmentation/tiers/",
        {
            "name": "Watch list",
            "conditions": [{"criterion": "margin", "threshold": 90}],
            "cap": 5,
            "plan_required": True,
            "required_team_roles": ["executive_sponsor", "service"],
            "service_level": "Watched",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rank"] == 3 and body["cap"] == 5
    assert body["conditions"] == [{"criterion": "margin", "threshold": "90.00"}]
    assert names() == ["Tier I", "Tier II", "Watch list", "Tier III"]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"conditions": [{"criterion": "revenue", "threshold": 120}]}, "conditions", "100"),
        ({"conditions": [{"criterion": "luck", "threshold": 10}]}, "conditions", "luck"),
        ({"conditions": []}, "conditions", "Exactly one tier must be the catch-all"),
        ({"name": "Tier II"}, "name", "already"),
        ({"rank": 3}, "rank", "The catch-all tier must come last."),
        ({"rank": 9}, "rank", "from 1 to 3"),
        ({"cap": -1}, "cap", ""),
        ({"required_team_roles": ["astronaut"]}, "required_team_roles", "astronaut"),
        ({"rpi_target": 101}, "rpi_target", "100"),
    ],
)
def test_an_invalid_tier_configuration_is_a_400_with_field_errors(
    admin_user, payload, field, message
):
    before = list(Tier.objects.values_list("name", "rank", "cap"))
    response = api(admin_user).patch(
        f"/api/v1/segmentation/tiers/{TierFactory(name='Tier I').pk}/", payload, format="json"
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert list(Tier.objects.values_list("name", "rank", "cap")) == before
    assert TierFactory(name="Tier I").conditions.count() == 2


def test_patching_keeps_what_it_does_not_name(admin_user):
    response = api(admin_user).patch(
        f"/api/v1/segmentation/tiers/{TierFactory(name='Tier I').pk}/", {"cap": 50}, format="json"
    )
    assert response.status_code == 200
    changed = TierFactory(name="Tier I")
    assert changed.cap == 50 and changed.plan_required and changed.conditions.count() == 2
    assert changed.required_team_roles == ["executive_sponsor"]


def test_reordering_through_the_api(admin_user):
    response = api(admin_user).patch(
        f"/api/v1/segmentation/tiers/{TierFactory(name='Tier II').pk}/", {"rank": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["rank"] == 1
    assert names() == ["Tier II", "Tier I", "Tier III"]


def test_deleting_through_the_api(admin_user):
    client = api(admin_user)
    TierAssignmentFactory(account=AccountFactory(), tier=TierFactory(name="Tier II"))
    response = client.delete(f"/api/v1/segmentation/tiers/{TierFactory(name='Tier II').pk}/")
    assert response.status_code == 400
    assert "in “Tier II”" in str(response.json())
    assert (
        client.delete(f"/api/v1/segmentation/tiers/{TierFactory(name='Tier I').pk}/").status_code
        == 204
    )
    assert names() == ["Tier II", "Tier III"]


@pytest.mark.parametrize("role", ["owner", "manager", "executive"])
def test_only_admins_change_tiers(request, role):
    client = api(request.getfixturevalue(role))
    pk = TierFactory(name="Tier I").pk
    assert (
        client.patch(f"/api/v1/segmentation/tiers/{pk}/", {"cap": 1}, format="json").status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/segmentation/tiers/", {"name": "X", "conditions": []}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/segmentation/tiers/{pk}/").status_code == 403
    assert TierFactory(name="Tier I").cap is None and Tier.objects.count() == 3
    assert not TierChange.objects.exists()


def test_a_new_tier_in_a_wrong_place_is_a_rank_error(admin_user):
    response = api(admin_user).post(
        "/api/v1/segmentation/tiers/",
        {"name": "Late", "conditions": [{"criterion": "revenue", "threshold": 50}], "rank": 4},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"rank": ["The catch-all tier must come last."]}
