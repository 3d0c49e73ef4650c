"""Competitors (issue 20, DESIGN §13): the catalogue admins keep, where each is present at
an account, and an opportunity closed as lost saying to whom (or to no decision) and why
— in the services, the API, the edit page and the pipeline board."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_app.models import Account
from demo.factories import BusinessUnitFactory, OpportunityFactory, StageFactory
from opportunities import services
from opportunities.models import Competitor, CompetitorPresence, Stage
from tests.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival(db):
    return Competitor.objects.create(name="Northwind Automation")


@pytest.fixture
def deal(account, owner):
    return OpportunityFactory(account=account, by=owner, name="Line 4 retrofit")


def lost():
    return Stage.objects.get(outcome=Stage.Outcome.LOST)


def test_closing_as_lost_says_to_whom_and_why(deal, owner, rival):
    with pytest.raises(ValidationError) as refused:
        services.opportunity_update(opportunity=deal, by=owner, stage=lost())
    assert set(refused.value.message_dict) == {"lost_to", "loss_reason"}
    with pytest.raises(ValidationError) as refused:
        services.opportunity_update(
            opportunity=deal,
            by=owner,
            stage=lost(),
            lost_to=rival,
            no_decision=True,
            loss_reason="Price",
        )
    assert "not both" in refused.value.message_dict["lost_to"][0]
    deal.refresh_from_db()
    services.opportunity_update(
        opportunity=deal, by=owner, stage=lost(), lost_to=rival, loss_reason="Price: 12 % under"
    )
    deal.refresh_from_db()
    assert (deal.stage.outcome, deal.lost_to, deal.loss_reason) == (
        "lost",
        rival,
        "Price: 12 % under",
    )
    # Reopened: it carries no loss any more (its history keeps what it said).
    services.opportunity_update(opportunity=deal, by=owner, stage=StageFactory(name="Develop"))
    deal.refresh_from_db()
    assert (deal.lost_to, deal.loss_reason) == (None, "")
    assert deal.history.filter(lost_to=rival).exists()


def test_the_api_refuses_a_loss_without_its_reason(api_for, owner, deal, rival):
    api = api_for(owner)
    url = f"/api/v1/opportunities/{deal.pk}/"
    refused = api.patch(url, {"stage": lost().pk}, format="json")
    assert refused.status_code == 400 and {"lost_to", "loss_reason"} <= set(refused.json())
    ok = api.patch(
        url, {"stage": lost().pk, "no_decision": True, "loss_reason": "Budget moved"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["no_decision"] is True


def test_the_edit_page_and_the_board_ask_for_the_loss(client_for, owner, deal, rival):
    client = client_for(owner)
    url = reverse("opportunities:edit", args=[deal.pk])
    typed = {"name": deal.name, "value": "100000", "stage": lost().pk, "loss_reason": ""}
    refused = client.post(url, typed)
    page = text(refused)
    assert "Say who it was lost to" in page and "Say why it was lost" in page
    saved = client.post(url, typed | {"lost_to": rival.pk, "loss_reason": "Installed base"})
    assert saved.status_code == 302
    deal.refresh_from_db()
    assert deal.lost_to == rival
    assert "Lost to Northwind Automation" in text(
        client.get(reverse("opportunities:detail", args=[deal.pk]))
    )
    other = OpportunityFactory(account=deal.account, by=owner, name="Spare parts")
    moved = client.post(
        reverse("opportunities:stage", args=[other.pk]),
        {"stage": lost().pk},
        headers={"HX-Request": "true"},
    )
    assert moved.status_code == 422 and "edit it: say who it was lost to" in moved["HX-Trigger"]


def test_only_admins_keep_the_catalogue(api_for, owner, admin_user, rival):
    assert api_for(owner).get("/api/v1/competitors/").json()["count"] == 1
    assert api_for(owner).post("/api/v1/competitors/", {"name": "Helix"}).status_code == 403
    created = api_for(admin_user).post("/api/v1/competitors/", {"name": "Helix"})
    assert created.status_code == 201
    assert api_for(admin_user).post("/api/v1/competitors/", {"name": "Helix"}).status_code == 400
    assert api_for(admin_user).delete(f"/api/v1/competitors/{rival.pk}/").status_code == 405


def test_presences_at_an_account(api_for, account, owner, outsider, executive, rival):
    api = api_for(owner)
    url = "/api/v1/competitor-presences/"
    unit = BusinessUnitFactory(account=account, name="Operations")
    body = {"account": account.pk, "competitor": rival.pk, "business_unit": unit.pk}
    created = api.post(url, body, format="json")
    assert created.status_code == 201, created.json()
    again = api.post(url, body, format="json")
    assert again.status_code == 400 and "already recorded" in again.json()["competitor"][0]
    elsewhere = BusinessUnitFactory(name="Not theirs")
    refused = api.post(url, body | {"business_unit": elsewhere.pk}, format="json")
    assert refused.status_code == 400
    pk = created.json()["id"]
    assert api_for(outsider).get(f"{url}{pk}/").status_code == 404
    assert api_for(executive).get(f"{url}{pk}/").status_code == 200
    assert api_for(executive).delete(f"{url}{pk}/").status_code == 403
    assert api.delete(f"{url}{pk}/").status_code == 204
    assert not CompetitorPresence.objects.exists()
    gone = CompetitorPresence.history.filter(history_type="-").get()
    assert (gone.history_user, gone.history_account_id) == (owner, account.pk)


def test_competitors_at_my_accounts(client_for, account, owner, outsider, rival):
    empty = client_for(owner).get(reverse("opportunities:competitors"))
    assert "No competitor recorded yet" in text(empty)
    services.competitor_presence_add(account=account, by=owner, competitor=rival)
    deal = OpportunityFactory(account=account, by=owner, name="Line 4 retrofit", value=250000)
    services.opportunity_update(
        opportunity=deal, by=owner, stage=lost(), lost_to=rival, loss_reason="Installed base"
    )
    OpportunityFactory(account=account, by=owner, stage=lost(), value=5000)  # no decision
    # The outsider's own account: its competitors are not shown to the owner.
    other = Account.objects.get(owner=outsider)
    hidden = Competitor.objects.create(name="Hidden Rival")
    services.competitor_presence_add(account=other, by=outsider, competitor=hidden)
    client = client_for(owner)
    with CaptureQueriesContext(connection) as few:
        page = text(client.get(reverse("opportunities:competitors")))
    assert "Northwind Automation" in page and "Acme Industrial" in page
    assert "1 · €250,000" in page and "Installed base" in page
    assert "lost to no decision" in page and "Hidden Rival" not in page
    for n in range(10):
        services.competitor_presence_add(
            account=account, by=owner, competitor=Competitor.objects.create(name=f"Rival {n}")
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("opportunities:competitors"))
    assert len(many) == len(few)
