"""Deleting an opportunity archives it (issue 17, DESIGN §11): who and when, in the
history; out of the pipeline, the board, the whitespace matrix, the figures and the
alerts, listed with `archived=true`; restore brings it back with its answers and
histories as they were."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories import BusinessUnitFactory, OpportunityFactory, ProductLineFactory
from insights.alerts.evaluate import rule_evaluate
from insights.figures import account_figures
from opportunities import services
from opportunities.models import Opportunity, QualificationAnswer, ScoreChange, StageChange
from opportunities.selectors import whitespace_matrix
from scorecards.models import Alert, AlertRule

from .helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(account, owner):
    """Open, qualified on three criteria (answers, a score and a stage history)."""
    return OpportunityFactory(
        account=account, by=owner, name="Service contract", value=Decimal("250000"), yes=3
    )


def children(opportunity):
    return (
        list(
            QualificationAnswer.objects.filter(opportunity=opportunity).values_list(
                "criterion_id", "answer"
            )
        ),
        list(ScoreChange.objects.filter(opportunity=opportunity).values_list("score", "by_id")),
        list(StageChange.objects.filter(opportunity=opportunity).values_list("to_stage_id")),
        Opportunity.objects.filter(pk=opportunity.pk).values_list(
            "qualification_score", "weighted_value", "stage_id", "value"
        )[0],
    )


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_api_delete_archives_with_who_and_when_in_the_history(api_for, owner, opportunity):
    before = opportunity.history.count()
    assert api_for(owner).delete(f"/api/v1/opportunities/{opportunity.pk}/").status_code == 204
    opportunity.refresh_from_db()
    assert opportunity.archived and opportunity.archived_by == owner and opportunity.archived_at
    assert opportunity.history.count() == before + 1
    assert opportunity.history.first().history_user == owner


def test_an_archived_opportunity_leaves_the_api_list_and_export(api_for, owner, opportunity):
    client = api_for(owner)
    client.delete(f"/api/v1/opportunities/{opportunity.pk}/")
    assert names(client.get("/api/v1/opportunities/")) == []
    assert names(client.get("/api/v1/opportunities/", {"archived": "true"})) == ["Service contract"]
    detail = client.get(f"/api/v1/opportunities/{opportunity.pk}/").json()
    assert detail["archived"] is True and detail["archived_by"] == owner.pk
    exported = client.get("/api/v1/opportunities/export/", {"file_format": "csv"})
    assert b"Service contract" not in exported.getvalue()


def test_restore_brings_it_back_with_its_answers_and_histories(api_for, owner, opportunity):
    kept = children(opportunity)
    client = api_for(owner)
    client.delete(f"/api/v1/opportunities/{opportunity.pk}/")
    response = client.post(f"/api/v1/opportunities/{opportunity.pk}/restore/")
    assert response.status_code == 200, response.json()
    assert response.json()["archived"] is False and response.json()["archived_at"] is None
    assert children(opportunity) == kept
    assert names(client.get("/api/v1/opportunities/")) == ["Service contract"]
    opportunity.refresh_from_db()
    assert opportunity.history.first().history_user == owner
    assert [h.archived for h in opportunity.history.all()[:2]] == [False, True]


def test_outsiders_get_404_on_delete_and_restore(api_for, client_for, outsider, opportunity):
    url = f"/api/v1/opportunities/{opportunity.pk}/"
    assert api_for(outsider).delete(url).status_code == 404
    assert api_for(outsider).post(f"{url}restore/").status_code == 404
    client = client_for(outsider)
    assert client.post(reverse("opportunities:delete", args=[opportunity.pk])).status_code == 404
    assert client.post(reverse("opportunities:restore", args=[opportunity.pk])).status_code == 404
    assert not Opportunity.objects.get(pk=opportunity.pk).archived


def test_read_only_users_cannot_archive_or_restore(
    api_for, client_for, executive, owner, opportunity
):
    url = f"/api/v1/opportunities/{opportunity.pk}/"
    assert api_for(executive).delete(url).status_code == 403
    page = client_for(executive).post(reverse("opportunities:delete", args=[opportunity.pk]))
    assert page.status_code == 403
    assert not Opportunity.objects.get(pk=opportunity.pk).archived
    services.opportunity_archive(opportunity=opportunity, by=owner)
    assert api_for(executive).post(f"{url}restore/").status_code == 403
    page = client_for(executive).post(reverse("opportunities:restore", args=[opportunity.pk]))
    assert page.status_code == 403
    assert Opportunity.objects.get(pk=opportunity.pk).archived


def test_the_page_archives_it_out_of_the_tab_and_the_board_and_restores_it(
    client_for, owner, account, opportunity
):
    client = client_for(owner)
    landed = client.post(reverse("opportunities:delete", args=[opportunity.pk]), follow=True)
    assert "archived" in text(landed)  # the message, shown once
    assert Opportunity.objects.get(pk=opportunity.pk).archived
    tab = reverse("opportunities:account", args=[account.pk])
    assert "Service contract" not in text(client.get(tab))
    assert "Service contract" not in text(client.get(tab, {"view": "board"}))
    assert "Service contract" not in text(client.get("/opportunities/"))
    assert "Show archived (1)" in text(client.get(tab))
    archived = client.get(tab, {"archived": "true", "status": ""})
    assert "Service contract" in text(archived)
    assert reverse("opportunities:restore", args=[opportunity.pk]) in archived.content.decode()
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert page.status_code == 200 and "Restore the opportunity" in text(page)
    kept = children(opportunity)
    response = client.post(reverse("opportunities:restore", args=[opportunity.pk]))
    assert response["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    assert not Opportunity.objects.get(pk=opportunity.pk).archived
    assert children(opportunity) == kept
    assert "Service contract" in text(client.get(tab))


def test_archived_ones_leave_the_whitespace_matrix_and_the_figures(owner, account):
    unit = BusinessUnitFactory(account=account, name="Rail")
    gone = BusinessUnitFactory(account=account, name="Gone")
    line = ProductLineFactory(name="Pumps")
    kept = OpportunityFactory(account=account, by=owner, product_line=line, business_unit=unit)
    archived = OpportunityFactory(
        account=account, by=owner, product_line=line, business_unit=unit, value=Decimal("5")
    )
    services.opportunity_archive(opportunity=archived, by=owner)
    from accounts_app import services as people

    people.business_unit_archive(business_unit=gone, by=owner)
    matrix = whitespace_matrix(account=account)
    assert [u.name for u in matrix.business_units] == ["Rail"]
    assert matrix.cell(line.pk, unit.pk).opportunities == [kept]
    figures = account_figures([account.pk], day=timezone.localdate(), rpi={account.pk: None})
    assert figures[account.pk]["opportunities_open"] == 1


def test_an_archived_opportunity_raises_no_stalled_alert(seeded_metrics, owner, opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(
        stage_changed_at=timezone.now() - timedelta(days=400)
    )
    opportunity.refresh_from_db()
    services.opportunity_archive(opportunity=opportunity, by=owner)
    rule_evaluate(rule=AlertRule.objects.get(kind="opportunity_stalled"))
    assert not Alert.objects.filter(rule__kind="opportunity_stalled").exists()
