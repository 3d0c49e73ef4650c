"""The catalogues in the admin site: stages, product lines, criteria."""

import pytest
from django.urls import reverse

from opportunities import services
from opportunities.models import Opportunity, ProductLine, QualificationCriterion, Stage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["stage", "productline", "qualificationcriterion"])
def test_admins_open_the_catalogues(client_for, admin_user, model):
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:opportunities_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:opportunities_{model}_add")).status_code == 200


def test_an_admin_adds_a_product_line(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("admin:opportunities_productline_add"),
        {"name": "Field service", "description": "", "active": "on", "position": "1"},
    )
    assert response.status_code == 302
    assert ProductLine.objects.get().name == "Field service"


def test_a_stage_probability_is_a_percentage(client_for, admin_user):
    stage = Stage.objects.get(name="Prospect")
    response = client_for(admin_user).post(
        reverse("admin:opportunities_stage_change", args=[stage.pk]),
        {
            "name": "Prospect",
            "position": stage.position,
            "default_probability": "150",
            "outcome": "open",
        },
    )
    assert response.status_code == 200 and "less than or equal to 100" in response.content.decode()
    stage.refresh_from_db()
    assert stage.default_probability == 10


def test_answered_criteria_and_used_stages_cannot_be_deleted(
    client_for, admin_user, account, owner
):
    opportunity = services.opportunity_create(account=account, by=owner, name="O")
    criterion = QualificationCriterion.objects.first()
    services.qualification_set(opportunity=opportunity, by=owner, answers={criterion.pk: 2})
    client = client_for(admin_user)
    assert (
        client.get(
            reverse("admin:opportunities_qualificationcriterion_delete", args=[criterion.pk])
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("admin:opportunities_stage_delete", args=[opportunity.stage_id])
        ).status_code
        == 403
    )
    assert Opportunity.objects.exists()


def test_the_catalogues_are_closed_to_non_staff(client_for, owner):
    response = client_for(owner).get(reverse("admin:opportunities_stage_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
