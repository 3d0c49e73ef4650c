"""One undo pattern for every delete (DESIGN §11, §12): the message that says a record
was archived carries an Undo button, a plain POST to its restore, which brings it back."""

import re

import pytest
from django.urls import reverse

from accounts_app.models import Account, BusinessUnit, Contact
from demo.factories import BusinessUnitFactory, ContactFactory, OpportunityFactory
from opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def undo_url(response) -> str:
    found = re.search(
        r'<form method="post" action="([^"]+)" class="inline undo-form">.*?>Undo</button>',
        response.content.decode(),
        re.S,
    )
    assert found, "no Undo in the message"
    return found.group(1)


def test_an_archived_contact_comes_back_with_undo(client_for, owner, account):
    contact = ContactFactory(account=account, name="Carla Buyer")
    client = client_for(owner)
    url = reverse("accounts:contact_delete", args=[account.pk, contact.pk])
    response = client.post(url, follow=True)
    assert Contact.objects.get(pk=contact.pk).archived
    restore = undo_url(response)
    assert restore == reverse("accounts:contact_restore", args=[account.pk, contact.pk])
    client.post(restore)
    assert not Contact.objects.get(pk=contact.pk).archived


def test_an_archived_business_unit_comes_back_with_undo(client_for, owner, account):
    unit = BusinessUnitFactory(account=account, name="Rail")
    client = client_for(owner)
    url = reverse("accounts:business_unit_delete", args=[account.pk, unit.pk])
    response = client.post(url, follow=True)
    client.post(undo_url(response))
    assert not BusinessUnit.objects.get(pk=unit.pk).archived


def test_an_archived_account_comes_back_with_undo(client_for, owner, account):
    client = client_for(owner)
    response = client.post(reverse("accounts:archive", args=[account.pk]), follow=True)
    assert Account.objects.get(pk=account.pk).archived
    client.post(undo_url(response))
    assert not Account.objects.get(pk=account.pk).archived


def test_an_archived_opportunity_comes_back_with_undo(client_for, owner, account):
    opportunity = OpportunityFactory(account=account, owner=owner)
    client = client_for(owner)
    response = client.post(reverse("opportunities:delete", args=[opportunity.pk]), follow=True)
    client.post(undo_url(response))
    assert not Opportunity.objects.get(pk=opportunity.pk).archived


def test_undo_is_the_restore_so_an_outsider_cannot_use_it(client_for, owner, outsider, account):
    contact = ContactFactory(account=account)
    response = client_for(owner).post(
        reverse("accounts:contact_delete", args=[account.pk, contact.pk]), follow=True
    )
    restore = undo_url(response)
    assert client_for(outsider).post(restore).status_code == 404
    assert Contact.objects.get(pk=contact.pk).archived
