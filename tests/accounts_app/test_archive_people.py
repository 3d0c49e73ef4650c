"""Deleting a contact or a business unit archives it (issue 17, DESIGN §11): who and
when, in the history; out of the lists, the tabs, the pickers, the org chart and the
matrix, listed with `archived=true`; restore brings it back with everything under it."""

import csv
import io

import pytest
from django.urls import reverse

from accounts_app import services
from accounts_app.forms import ContactForm, InteractionForm
from accounts_app.models import BusinessUnit, Contact, Interaction, Relationship
from accounts_app.relmap import map_contacts, map_units
from accounts_app.selectors import relationship_matrix, relationship_matrix_team
from demo.factories import (
    BusinessUnitFactory,
    ContactFactory,
    InteractionFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def unit(account):
    return BusinessUnitFactory(account=account, name="Rail Division")


@pytest.fixture
def boss(account, unit, owner):
    """A contact with a relationship, an interaction and a direct report."""
    boss = ContactFactory(account=account, name="Bea Boss", business_unit=unit)
    RelationshipFactory(contact=boss, user=owner, strength=3)
    interaction = InteractionFactory(account=account, created_by=owner, subject="Kick-off")
    interaction.contacts.set([boss])
    ContactFactory(account=account, name="Rita Report", reports_to=boss)
    return boss


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def what_hangs_off(contact):
    return (
        list(Relationship.objects.filter(contact=contact).values_list("user_id", "strength")),
        list(Interaction.objects.filter(contacts=contact).values_list("pk", "subject")),
        list(contact.direct_reports.values_list("pk", "name")),
        contact.business_unit_id,
    )


# --- API -------------------------------------------------------------------------------


def test_api_delete_archives_a_contact_with_who_and_when_in_the_history(api_for, owner, boss):
    before = boss.history.count()
    response = api_for(owner).delete(f"/api/v1/contacts/{boss.pk}/")
    assert response.status_code == 204
    boss.refresh_from_db()
    assert boss.archived and boss.archived_by == owner and boss.archived_at
    assert boss.history.count() == before + 1
    assert boss.history.first().history_user == owner
    assert boss.history.first().archived is True


def test_an_archived_contact_leaves_the_api_list_and_comes_back_with_archived_true(
    api_for, owner, boss
):
    client = api_for(owner)
    client.delete(f"/api/v1/contacts/{boss.pk}/")
    assert "Bea Boss" not in listed(client, "/api/v1/contacts/")
    assert listed(client, "/api/v1/contacts/", archived="true") == ["Bea Boss"]
    assert "Bea Boss" not in listed(client, "/api/v1/contacts/", archived="false")
    detail = client.get(f"/api/v1/contacts/{boss.pk}/").json()
    assert detail["archived"] is True and detail["archived_by"] == owner.pk
    exported = client.get("/api/v1/contacts/export/", {"file_format": "csv"})
    rows = csv.DictReader(io.StringIO(exported.getvalue().decode("utf-8-sig")))
    assert [row["name"] for row in rows] == ["Rita Report"]


def test_restore_brings_a_contact_back_with_everything_under_it(api_for, owner, boss):
    kept = what_hangs_off(boss)
    client = api_for(owner)
    client.delete(f"/api/v1/contacts/{boss.pk}/")

    def relationships():
        rows = client.get("/api/v1/relationships/", {"contact": boss.pk}).json()["results"]
        return [row["strength"] for row in rows]

    assert relationships() == []  # an archived contact's relationships leave the list
    response = client.post(f"/api/v1/contacts/{boss.pk}/restore/")
    assert response.status_code == 200, response.json()
    assert response.json()["archived"] is False and response.json()["archived_by"] is None
    boss.refresh_from_db()
    assert not boss.archived and what_hangs_off(boss) == kept
    assert "Bea Boss" in listed(client, "/api/v1/contacts/")
    assert boss.history.first().history_user == owner
    assert [h.archived for h in boss.history.all()[:2]] == [False, True]
    assert relationships() == [3]


def test_the_archived_field_cannot_be_written(api_for, owner, boss):
    response = api_for(owner).patch(
        f"/api/v1/contacts/{boss.pk}/", {"archived": True}, format="json"
    )
    assert response.status_code == 200
    assert not Contact.objects.get(pk=boss.pk).archived


def test_api_business_unit_archive_and_restore(api_for, owner, unit, boss):
    client = api_for(owner)
    before = unit.history.count()
    assert client.delete(f"/api/v1/business-units/{unit.pk}/").status_code == 204
    unit.refresh_from_db()
    assert unit.archived and unit.archived_by == owner
    assert unit.history.count() == before + 1 and unit.history.first().history_user == owner
    assert "Rail Division" not in listed(client, "/api/v1/business-units/")
    assert listed(client, "/api/v1/business-units/", archived="true") == ["Rail Division"]
    assert Contact.objects.get(pk=boss.pk).business_unit_id == unit.pk  # kept
    response = client.post(f"/api/v1/business-units/{unit.pk}/restore/")
    assert response.status_code == 200 and response.json()["archived"] is False
    assert "Rail Division" in listed(client, "/api/v1/business-units/")


@pytest.mark.parametrize("resource", ["contacts", "business-units"])
def test_outsiders_get_404_on_delete_and_restore(api_for, outsider, owner, boss, unit, resource):
    record = boss if resource == "contacts" else unit
    client = api_for(outsider)
    assert client.delete(f"/api/v1/{resource}/{record.pk}/").status_code == 404
    assert client.post(f"/api/v1/{resource}/{record.pk}/restore/").status_code == 404
    record.refresh_from_db()
    assert not record.archived


@pytest.mark.parametrize("resource", ["contacts", "business-units"])
def test_read_only_users_cannot_archive_or_restore(api_for, executive, owner, boss, unit, resource):
    record = boss if resource == "contacts" else unit
    assert api_for(executive).delete(f"/api/v1/{resource}/{record.pk}/").status_code == 403
    record.refresh_from_db()
    assert not record.archived
    api_for(owner).delete(f"/api/v1/{resource}/{record.pk}/")
    assert api_for(executive).post(f"/api/v1/{resource}/{record.pk}/restore/").status_code == 403
    record.refresh_from_db()
    assert record.archived


def test_restore_of_an_unknown_or_odd_id_is_a_404(api_for, owner):
    client = api_for(owner)
    assert client.post("/api/v1/contacts/999999/restore/").status_code == 404
    assert client.post("/api/v1/contacts/abc/restore/").status_code == 404
    assert client.get("/api/v1/contacts/", {"archived": "banana"}).status_code in (200, 400)


# --- Pages -----------------------------------------------------------------------------


def test_page_archive_hides_the_contact_from_the_tab_and_offers_show_archived(
    client_for, owner, account, boss
):
    client = client_for(owner)
    url = reverse("accounts:contact_delete", args=[account.pk, boss.pk])
    response = client.post(url)
    assert response.status_code == 302
    boss.refresh_from_db()
    assert boss.archived and boss.history.first().history_user == owner
    tab = client.get(reverse("accounts:contacts", args=[account.pk])).content.decode()
    assert f'id="contact-{boss.pk}"' not in tab and "Rita Report" in tab
    assert "Show archived (1)" in tab
    archived_tab = client.get(
        reverse("accounts:contacts", args=[account.pk]), {"archived": "true"}
    ).content.decode()
    assert f'id="contact-{boss.pk}"' in archived_tab and "Rita Report" not in archived_tab
    assert reverse("accounts:contact_restore", args=[account.pk, boss.pk]) in archived_tab


def test_page_restore_brings_the_contact_back_as_it_was(client_for, owner, account, boss):
    kept = what_hangs_off(boss)
    services.contact_archive(contact=boss, by=owner)
    client = client_for(owner)
    url = reverse("accounts:contact_restore", args=[account.pk, boss.pk])
    response = client.post(url, **HTMX)
    assert response.status_code == 200 and "HX-Location" in response
    boss.refresh_from_db()
    assert not boss.archived and what_hangs_off(boss) == kept
    assert "Bea Boss" in client.get(reverse("accounts:contacts", args=[account.pk])).text


def test_page_business_unit_archive_and_restore_on_the_overview(client_for, owner, account, unit):
    client = client_for(owner)
    client.post(reverse("accounts:business_unit_delete", args=[account.pk, unit.pk]))
    assert BusinessUnit.objects.get(pk=unit.pk).archived
    overview = client.get(reverse("accounts:detail", args=[account.pk])).text
    restore = reverse("accounts:business_unit_restore", args=[account.pk, unit.pk])
    assert "Show archived (1)" in overview and restore in overview
    client.post(restore)
    assert not BusinessUnit.objects.get(pk=unit.pk).archived


@pytest.mark.parametrize("name", ["contact_delete", "contact_restore"])
def test_page_outsider_gets_404_and_read_only_403(
    client_for, outsider, executive, account, boss, name
):
    url = reverse(f"accounts:{name}", args=[account.pk, boss.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(executive).post(url).status_code == 403
    assert not Contact.objects.get(pk=boss.pk).archived


@pytest.mark.parametrize("name", ["business_unit_delete", "business_unit_restore"])
def test_page_business_unit_outsider_404_read_only_403(
    client_for, outsider, executive, account, unit, name
):
    url = reverse(f"accounts:{name}", args=[account.pk, unit.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(executive).post(url).status_code == 403
    assert not BusinessUnit.objects.get(pk=unit.pk).archived


# --- Everywhere else ---------------------------------------------------------------------


def test_archived_people_leave_the_pickers_org_chart_and_matrix(owner, account, unit, boss):
    report = Contact.objects.get(name="Rita Report")
    services.contact_archive(contact=boss, by=owner)
    other_unit = BusinessUnitFactory(account=account, name="Old Division")
    services.business_unit_archive(business_unit=other_unit, by=owner)
    form = ContactForm(account=account)
    assert list(form.fields["reports_to"].queryset) == [report]
    assert list(form.fields["business_unit"].queryset) == [unit]
    assert boss not in InteractionForm(account=account, user=owner).fields["contacts"].queryset
    # The org chart skips the archived boss; the report keeps the link for a restore.
    assert [c.name for c in map_contacts(account=account)] == ["Rita Report"]
    assert [u.name for u in map_units(account=account)] == ["Rail Division"]
    report.refresh_from_db()
    assert report.reports_to_id == boss.pk
    groups, _ = relationship_matrix(account=account, team=relationship_matrix_team(account=account))
    names = [row.contact.name for group in groups for row in group.rows]
    assert names == ["Rita Report"]


def test_the_current_choice_stays_choosable_once_archived(owner, account, unit, boss):
    services.business_unit_archive(business_unit=unit, by=owner)
    services.contact_archive(contact=boss, by=owner)
    assert unit in ContactForm(instance=boss, account=account).fields["business_unit"].queryset
    report = Contact.objects.get(name="Rita Report")
    assert boss in ContactForm(instance=report, account=account).fields["reports_to"].queryset
