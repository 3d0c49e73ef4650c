"""A backup and its restore give back the same counts and the same content, on the
database the tests run on (SQLite, or PostgreSQL in CI's second run)."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts_app.models import Account, Contact, Relationship
from demo.factories import AccountFactory, ContactFactory, RelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def state():
    return {
        "accounts": sorted(Account.objects.values_list("name", "annual_revenue", "region__name")),
        "contacts": sorted(Contact.objects.values_list("name", "account__name", "level")),
        "relationships": sorted(
            Relationship.objects.values_list("contact__name", "user__username", "strength")
        ),
    }


def counts():
    """Rows of every model of Strata's apps."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts_app", "segmentation", "plans", "opportunities", "scorecards", "imports"}
    }


def test_the_demo_comes_back_from_its_backup_with_the_same_counts_and_content(tmp_path):
    call_command("seed_demo")
    owner = UserFactory(username="olivia")
    for n in range(3):
        account = AccountFactory(name=f"Backup Co {n}", owner=owner, annual_revenue=1000 * n)
        for m in range(2):
            contact = ContactFactory(account=account, name=f"Person {n}.{m}")
            RelationshipFactory(contact=contact, user=owner, strength=m + 1)
    before, rows = state(), counts()
    assert rows["accounts_app.Account"] > 60 and rows["plans.Plan"] > 0
    file = tmp_path / "strata.backup"
    call_command("backup", output=str(file))
    assert file.stat().st_size > 0

    # Things go wrong after the backup: a contact deleted, an account renamed, one added.
    Contact.objects.filter(name="Person 0.0").delete()
    Account.objects.filter(name="Backup Co 1").update(name="Renamed")
    AccountFactory(name="After the backup", owner=owner)
    assert state() != before

    call_command("restore", str(file), yes=True)
    assert state() == before
    assert counts() == rows
    assert Account.objects.filter(name="After the backup").count() == 0


def test_a_backup_never_overwrites_and_a_wrong_file_restores_nothing(tmp_path):
    AccountFactory(name="Kept Co")
    file = tmp_path / "one.backup"
    call_command("backup", output=str(file))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(file))
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(wrong), yes=True)
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing"), yes=True)
    assert Account.objects.filter(name="Kept Co").exists()
