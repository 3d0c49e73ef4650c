"""The metric library and the health weights in the admin site."""

from datetime import date

import pytest
from django.urls import reverse

from scorecards import services
from scorecards.models import HealthWeights, Metric

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["metric", "healthweights"])
def test_admins_open_the_pages(client_for, admin_user, model):
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:scorecards_{model}_changelist")).status_code == 200


def test_the_library_is_seeded_across_the_four_perspectives():
    perspectives = set(Metric.objects.values_list("perspective", flat=True))
    assert perspectives == set(Metric.Perspective.values)
    assert Metric.objects.filter(kind="leading").exists()
    assert Metric.objects.filter(kind="lagging").exists()
    assert (
        Metric.objects.filter(joint=True).exists() and Metric.objects.filter(joint=False).exists()
    )
    assert not Metric.objects.get(name="Open escalations").higher_is_better


def test_an_admin_adds_a_metric_and_cannot_delete_one_in_use(
    client_for, admin_user, account, owner
):
    response = client_for(admin_user).post(
        reverse("admin:scorecards_metric_add"),
        {
            "name": "Forecast accuracy",
            "description": "",
            "unit": "%",
            "perspective": "internal_process",
            "kind": "leading",
            "higher_is_better": "on",
            "active": "on",
            "position": "20",
        },
    )
    assert response.status_code == 302
    used = Metric.objects.get(name="Revenue")
    services.scorecard_create(
        account=account, by=owner, period_start=date(2026, 1, 1), metrics=[used]
    )
    page = client_for(admin_user).get(reverse("admin:scorecards_metric_delete", args=[used.pk]))
    assert page.status_code == 403
    assert Metric.objects.filter(name="Revenue").exists()


def test_the_health_weights_cannot_all_be_zero(client_for, admin_user):
    weights = HealthWeights.current()
    zero = dict.fromkeys(HealthWeights.COMPONENTS, "0")
    url = reverse("admin:scorecards_healthweights_change", args=[weights.pk])
    response = client_for(admin_user).post(url, zero)
    assert response.status_code == 200 and "at least one component" in response.content.decode()
    response = client_for(admin_user).post(url, zero | {"rpi": "1.5"})
    assert response.status_code == 302
    assert HealthWeights.current().rpi == 1.5
    assert (
        client_for(admin_user).get(reverse("admin:scorecards_healthweights_add")).status_code == 403
    )
