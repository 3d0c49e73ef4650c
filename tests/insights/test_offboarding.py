"""Offboarding (issue 17): a leaver is deactivated and their accounts, open tactics,
action items, live alerts and open opportunities go to a named successor, recorded."""

import pytest

from accounts_app.models import Account, Offboarding, TeamMember, User
from demo.factories import (
    AlertFactory,
    OpportunityFactory,
    ReviewActionItemFactory,
    TacticFactory,
    UserFactory,
)
from plans.models import Tactic

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver_work(owner, account, plan, seeded_stages_and_criteria):
    tactic = TacticFactory(strategy__goal__plan=plan, owner=owner, status="open")
    done = TacticFactory(strategy__goal__plan=plan, owner=owner, status="done")
    action = ReviewActionItemFactory(review__account=account, owner=owner)
    alert = AlertFactory(account=account, assignee=owner, status="open")
    deal = OpportunityFactory(account=account, owner=owner)
    return {"tactic": tactic, "done": done, "action": action, "alert": alert, "deal": deal}


def test_an_admin_offboards_a_leaver_to_a_successor(
    api_for, admin_user, owner, account, leaver_work
):
    successor = UserFactory(username="sam", first_name="Sam")
    response = api_for(admin_user).post(
        f"/api/v1/users/{owner.pk}/offboard/", {"successor": successor.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["handed_over"] == {
        "accounts": [account.pk],
        "tactics": 1,
        "action_items": 1,
        "alerts": 1,
        "opportunities": 1,
    }
    owner.refresh_from_db()
    assert not owner.is_active
    account = Account.objects.get(pk=account.pk)
    assert account.owner == successor
    roles = dict(account.team_members.values_list("user__username", "role"))
    assert roles[successor.username] == TeamMember.Role.OWNER
    assert roles[owner.username] == TeamMember.Role.SALES  # their place and past stay
    work = leaver_work
    for item in (work["tactic"], work["action"], work["deal"]):
        item.refresh_from_db()
        assert item.owner == successor
    work["alert"].refresh_from_db()
    assert work["alert"].assignee == successor
    assert Tactic.objects.get(pk=work["done"].pk).owner == owner  # finished work keeps its doer
    record = Offboarding.objects.get()
    assert (record.user, record.successor, record.by) == (owner, successor, admin_user)


def test_only_admins_offboard_and_the_successor_must_be_active(
    api_for, manager, admin_user, owner, teammate
):
    url = f"/api/v1/users/{owner.pk}/offboard/"
    assert api_for(manager).post(url, {"successor": teammate.pk}, format="json").status_code == 403
    gone = UserFactory(username="gone", is_active=False)
    refused = api_for(admin_user).post(url, {"successor": gone.pk}, format="json")
    assert refused.status_code == 400 and "successor" in refused.json()
    itself = api_for(admin_user).post(url, {"successor": owner.pk}, format="json")
    assert itself.status_code == 400
    missing = api_for(admin_user).post("/api/v1/users/999999/offboard/", {"successor": teammate.pk})
    assert missing.status_code == 404
    assert User.objects.get(pk=owner.pk).is_active
    assert not Offboarding.objects.exists()


def test_the_offboarding_page_shows_what_they_hold_and_hands_it_over(
    client_for, admin_user, manager, owner, account, leaver_work
):
    from django.urls import reverse

    url = reverse("people:offboard", args=[owner.pk])
    assert client_for(manager).get(url).status_code == 404  # admins only
    listing = client_for(admin_user).get(reverse("admin:accounts_app_user_changelist"))
    assert url in listing.text
    page = client_for(admin_user).get(url)
    assert page.status_code == 200 and account.name in page.text
    refused = client_for(admin_user).post(url, {"successor": ""})
    assert refused.status_code == 422 and User.objects.get(pk=owner.pk).is_active
    successor = UserFactory(username="sam", first_name="Sam", last_name="Lee")
    done = client_for(admin_user).post(url, {"successor": successor.pk}, follow=True)
    assert "is deactivated" in done.text and "to Sam Lee" in done.text
    assert not User.objects.get(pk=owner.pk).is_active
    assert Account.objects.get(pk=account.pk).owner == successor
