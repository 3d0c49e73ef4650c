"""One account whole as JSON: `accounts/{id}/export/` (DESIGN §10): everything the
account holds and nothing of another, under the account's own permissions."""

import json
from decimal import Decimal

import pytest

from demo.factories import (
    AccountFactory,
    AlertFactory,
    BusinessReviewFactory,
    BusinessUnitFactory,
    ContactFactory,
    GoalFactory,
    InteractionFactory,
    KnowledgePointFactory,
    OpportunityFactory,
    PlanFactory,
    RelationshipFactory,
    StrategyFactory,
    SwotItemFactory,
    TacticFactory,
    TierAssignmentFactory,
    TierChangeFactory,
)
from opportunities.services import ensure_defaults

pytestmark = pytest.mark.django_db


def url(account):
    return f"/api/v1/accounts/{account.pk}/export/"


def fill(account, owner, *, many=1):
    """Give `account` one (or `many`) of every kind of record."""
    unit = BusinessUnitFactory(account=account, name=f"Unit of {account.name}")
    boss = ContactFactory(account=account, name=f"Boss of {account.name}", business_unit=unit)
    for n in range(many):
        contact = ContactFactory(account=account, name=f"Contact {n} of {account.name}")
        contact.reports_to = boss
        contact.save()
        RelationshipFactory(contact=contact, user=owner, strength=3)
        interaction = InteractionFactory(account=account, subject=f"Lunch {n}")
        interaction.contacts.add(contact)
        interaction.team_users.add(owner)
    plan = PlanFactory(account=account, by=owner, period=2027, overview=f"Plan of {account.name}")
    for n in range(many):
        goal = GoalFactory(plan=plan, by=owner, text=f"Goal {n} of {account.name}")
        strategy = StrategyFactory(goal=goal, by=owner, text=f"Strategy {n}")
        TacticFactory(strategy=strategy, by=owner, text=f"Tactic {n}")
        SwotItemFactory(plan=plan, by=owner, text=f"Strength {n}")
        KnowledgePointFactory(plan=plan, by=owner, text=f"Point {n}")
        OpportunityFactory(account=account, by=owner, name=f"Deal {n} of {account.name}", yes=3)
        AlertFactory(account=account, subject_label=f"Alert {n} of {account.name}")
    BusinessReviewFactory(account=account, by=owner, title=f"QBR of {account.name}")
    return {"plan": plan, "boss": boss}


@pytest.fixture
def whole(account, owner, outsider, seeded_tiers, seeded_metrics):
    ensure_defaults()
    TierAssignmentFactory(account=account, tier=seeded_tiers[0], composite=Decimal("81.5"))
    TierChangeFactory(account=account, to_tier=seeded_tiers[0], score=Decimal("81.5"))
    records = fill(account, owner) | {"tier": seeded_tiers[0]}
    other = AccountFactory(name="Elsewhere", owner=outsider)
    fill(other, outsider)
    return records


def test_the_account_downloads_whole_as_a_json_attachment(api_for, owner, account, whole):
    response = api_for(owner).get(url(account))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="strata-account-{account.pk}-')
    assert disposition.endswith('.json"')
    data = json.loads(response.content)
    assert data["account"]["name"] == "Acme Industrial"
    assert data["account"]["annual_revenue"] == 1_000_000
    assert data["tier"]["tier_name"] == whole["tier"].name
    assert data["tier"]["composite"] == 81.5
    assert len(data["tier_history"]) == 1
    assert {c["name"] for c in data["contacts"]} == {
        "Boss of Acme Industrial",
        "Contact 0 of Acme Industrial",
    }
    report = next(c for c in data["contacts"] if c["name"].startswith("Contact"))
    assert report["reports_to_id"] == whole["boss"].pk
    assert data["business_units"][0]["name"] == "Unit of Acme Industrial"
    assert {m["user_id"] for m in data["team_members"]} >= {account.owner_id}
    assert data["relationships"][0]["strength"] == 3
    assert data["interactions"][0]["contact_ids"] == [report["id"]]
    (plan,) = data["plans"]
    assert plan["overview"] == "Plan of Acme Industrial"
    (goal,) = plan["goals"]
    assert goal["strategies"][0]["tactics"][0]["text"] == "Tactic 0"
    assert [s["text"] for s in plan["swot_items"]] == ["Strength 0"]
    assert [k["text"] for k in plan["knowledge_points"]] == ["Point 0"]
    (opportunity,) = data["opportunities"]
    assert len(opportunity["qualification_answers"]) == 3
    assert opportunity["stage_name"]
    assert data["alerts"][0]["subject_label"] == "Alert 0 of Acme Industrial"
    assert data["business_reviews"][0]["title"] == "QBR of Acme Industrial"
    assert data["people"][str(owner.pk)] == "Olivia Owner"


def test_nothing_of_another_account_is_in_it(api_for, owner, account, whole):
    content = api_for(owner).get(url(account)).content.decode()
    assert "Elsewhere" not in content
    assert "Otto Outsider" not in content


def test_no_secrets_leave_with_it(api_for, owner, account, whole):
    content = api_for(owner).get(url(account)).content.decode()
    assert "password" not in content
    assert "token" not in content


def test_an_account_one_may_not_see_is_a_404(api_for, outsider, account, whole):
    assert api_for(outsider).get(url(account)).status_code == 404
    assert api_for(outsider).get("/api/v1/accounts/999999/export/").status_code == 404


def test_anonymous_is_refused(client, account, whole):
    assert client.get(url(account)).status_code in (401, 403)


def test_its_queries_do_not_grow_with_what_the_account_holds(
    api_for, owner, account, whole, django_assert_max_num_queries
):
    fill(AccountFactory(name="Bigger", owner=owner), owner, many=6)
    bigger = AccountFactory._meta.model.objects.get(name="Bigger")
    with django_assert_max_num_queries(30) as small:
        api_for(owner).get(url(account))
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = api_for(owner).get(url(bigger)).json()
    assert len(data["opportunities"]) == 6


def test_the_account_page_links_to_its_whole_export(client_for, owner, account):
    page = client_for(owner).get(account.get_absolute_url())
    assert f'href="{url(account)}"' in page.content.decode()
