"""After an import, the touched accounts' snapshots follow (a job of their own)."""

import pytest

from accounts_app.models import Account

pytestmark = pytest.mark.django_db


def test_imported_contacts_count_in_the_accounts_snapshot(
    run_import, owner, account, django_capture_on_commit_callbacks
):
    text = "Account,Name,Level\nAcme Industrial,Ada One,Executive\nAcme Industrial,Bo Two,Senior\n"
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(owner, "contacts", text, apply=True)
    assert job.created == 2
    account = Account.objects.select_related("latest_snapshot").get(pk=account.pk)
    assert account.latest_snapshot.contact_count == account.contacts.count() == 2
