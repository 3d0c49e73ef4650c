"""Archive, restore and purge of an account (issue 17): DELETE archives with who and
when; the account leaves lists and recomputes, keeps everything under it and comes
back whole by restore; purge is for admins, with the name typed in, and recorded."""

import pytest

from accounts_app.models import Account, AccountPurge, Contact, TeamMember
from demo.factories import AccountFactory, ContactFactory, OpportunityFactory
from insights.recompute import account_recompute
from insights.tasks import nightly_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(api_for, owner, account, contact, plan, seeded_stages_and_criteria):
    OpportunityFactory(account=account, owner=owner)
    response = api_for(owner).delete(f"/api/v1/accounts/{account.pk}/")
    assert response.status_code == 204
    return Account.objects.get(pk=account.pk)


def test_delete_archives_with_who_and_when_and_keeps_everything(archived, owner):
    assert archived.archived and archived.archived_by == owner and archived.archived_at
    assert archived.contacts.count() == 1 and archived.plans.count() == 1
    assert archived.opportunities.count() == 1 and archived.team_members.count() == 2


def test_an_archived_account_leaves_the_lists_and_the_recomputes(
    api_for, client_for, owner, archived
):
    client = api_for(owner)
    names = [a["name"] for a in client.get("/api/v1/accounts/").json()["results"]]
    assert archived.name not in names
    listed = client.get("/api/v1/accounts/", {"archived": "true"}).json()["results"]
    assert [(a["name"], a["archived_by"]) for a in listed] == [(archived.name, owner.pk)]
    assert client.get(f"/api/v1/accounts/{archived.pk}/").json()["archived"] is True
    page = client_for(owner).get("/accounts/")
    assert archived.name not in page.text
    assert account_recompute(account_id=archived.pk) is None
    AccountFactory(name="Live Co", owner=owner)
    assert nightly_recompute.delay().get() == 1  # the live account only


def test_restore_brings_it_back_whole(api_for, owner, archived):
    response = api_for(owner).post(f"/api/v1/accounts/{archived.pk}/restore/")
    assert response.status_code == 200, response.json()
    assert response.json()["archived"] is False and response.json()["archived_by"] is None
    account = Account.objects.get(pk=archived.pk)
    assert not account.archived and account.contacts.count() == 1 and account.plans.count() == 1
    names = [a["name"] for a in api_for(owner).get("/api/v1/accounts/").json()["results"]]
    assert account.name in names


def test_who_may_archive_restore_and_purge(api_for, teammate, outsider, admin_user, archived):
    url = f"/api/v1/accounts/{archived.pk}"
    assert api_for(outsider).post(f"{url}/restore/").status_code == 404
    assert api_for(outsider).post(f"{url}/purge/", {"confirm": archived.name}).status_code == 404
    assert api_for(teammate).post(f"{url}/restore/").status_code == 403
    assert api_for(teammate).post(f"{url}/purge/", {"confirm": archived.name}).status_code == 403
    live = AccountFactory(name="Other Co")
    TeamMember.objects.create(account=live, user=teammate, role=TeamMember.Role.SALES)
    assert api_for(teammate).delete(f"/api/v1/accounts/{live.pk}/").status_code == 403
    assert not Account.objects.get(pk=live.pk).archived


def test_purge_asks_for_the_name_and_is_recorded(api_for, admin_user, archived):
    child = AccountFactory(name="Child Co", parent=archived)
    url = f"/api/v1/accounts/{archived.pk}/purge/"
    wrong = api_for(admin_user).post(url, {"confirm": "acme"}, format="json")
    assert wrong.status_code == 400 and "confirm" in wrong.json()
    assert Account.objects.filter(pk=archived.pk).exists()
    done = api_for(admin_user).post(url, {"confirm": archived.name}, format="json")
    assert done.status_code == 204
    assert not Account.objects.filter(pk=archived.pk).exists()
    assert not Contact.objects.filter(account_id=archived.pk).exists()
    record = AccountPurge.objects.get()
    assert (record.account_id, record.name, record.by) == (archived.pk, archived.name, admin_user)
    child.refresh_from_db()
    assert child.parent is None  # the subsidiary stays, on its own


def test_archived_is_not_written_through_the_api(api_for, owner, account):
    response = api_for(owner).patch(
        f"/api/v1/accounts/{account.pk}/", {"archived": True}, format="json"
    )
    assert response.status_code == 200
    assert not Account.objects.get(pk=account.pk).archived
    ContactFactory(account=account)


def test_the_account_page_archives_restores_and_purges(
    client_for, owner, teammate, admin_user, account
):
    from django.urls import reverse

    page = client_for(owner).get(reverse("accounts:detail", args=[account.pk]))
    assert reverse("accounts:archive", args=[account.pk]) in page.text
    teammate_page = client_for(teammate).get(reverse("accounts:detail", args=[account.pk]))
    assert reverse("accounts:archive", args=[account.pk]) not in teammate_page.text
    assert (
        client_for(teammate).post(reverse("accounts:archive", args=[account.pk])).status_code == 403
    )

    response = client_for(owner).post(reverse("accounts:archive", args=[account.pk]), follow=True)
    assert "is archived" in response.text and "Archived by Olivia Owner" in response.text
    assert "Restore the account" in response.text and "Purge for good" not in response.text
    response = client_for(owner).post(reverse("accounts:restore", args=[account.pk]), follow=True)
    assert "is back" in response.text and not Account.objects.get(pk=account.pk).archived

    client_for(owner).post(reverse("accounts:archive", args=[account.pk]))
    admin = client_for(admin_user)
    assert "Purge for good" in admin.get(reverse("accounts:detail", args=[account.pk])).text
    wrong = admin.post(
        reverse("accounts:purge", args=[account.pk]), {"confirm": "nope"}, follow=True
    )
    assert "Nothing was purged" in wrong.text and Account.objects.filter(pk=account.pk).exists()
    admin.post(reverse("accounts:purge", args=[account.pk]), {"confirm": account.name})
    assert not Account.objects.filter(pk=account.pk).exists()
    assert client_for(owner).post(reverse("accounts:purge", args=[account.pk])).status_code == 404


def test_the_accounts_page_shows_archived_accounts_when_asked(client_for, owner, account):
    from django.urls import reverse

    AccountFactory(name="Live Co", owner=owner)
    client = client_for(owner)
    client.post(reverse("accounts:archive", args=[account.pk]), follow=True)  # its message read
    active = client.get(reverse("accounts:list"))
    assert "Live Co" in active.text and account.name not in active.text
    assert '<option value="true">Archived accounts</option>' in active.text
    shown = client.get(reverse("accounts:list"), {"archived": "true"})
    assert account.name in shown.text and "Live Co" not in shown.text
    assert '<span class="badge">Archived</span>' in shown.text
