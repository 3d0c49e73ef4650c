"""An account's Activity (DESIGN §11): what the history tables say, read as entries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_app import services as account_services
from accounts_app.models import Contact
from core.history import acting_as
from demo.factories import ContactFactory
from demo.factories.plans import GoalFactory, StrategyFactory, TacticFactory
from demo.factories.scorecards import AlertFactory
from demo.factories.segmentation import TierChangeFactory
from insights.activity import ActivityFilters, activity_page
from plans.services.items import item_delete, item_restore, item_update
from scorecards.models import AlertEvent

pytestmark = pytest.mark.django_db


def entries(account, **filters):
    return activity_page(ActivityFilters(account_id=account.pk, **filters), per_page=100).entries


def test_contact_created_changed_archived_deleted_with_actor_and_values(account, owner, teammate):
    with acting_as(owner):
        contact = account_services.contact_create(
            account=account, by=owner, name="Maria Lopez", attitude="neutral", level="middle"
        )
    with acting_as(teammate):
        account_services.contact_update(
            contact=contact, by=teammate, attitude="champion", level="senior"
        )
    account_services.contact_archive(contact=contact, by=owner)
    with acting_as(owner):  # a purge (or the admin site) deletes for good
        Contact.objects.get(pk=contact.pk).delete()
    mine = [e for e in entries(account) if e.object_type == "contact"]
    assert [e.action for e in mine] == ["deleted", "archived", "changed", "created"]
    deleted, archived, changed, created = mine
    assert archived.by_name == owner.name
    assert deleted.by_name == owner.name and deleted.changes == [] and deleted.url is None
    assert changed.by_name == teammate.name and changed.by_id == teammate.pk
    assert changed.object_label == "Maria Lopez" and changed.object_id == contact.pk
    assert {c.field: (c.old, c.new) for c in changed.changes} == {
        "attitude": ("Neutral", "Champion"),
        "level": ("Middle", "Senior"),
    }
    assert changed.url == f"/accounts/{account.pk}/contacts/"
    assert ("name", None, "Maria Lopez") in [(c.field, c.old, c.new) for c in created.changes]


def test_account_archived_and_restored(account, owner):
    with acting_as(owner):
        account_services.account_archive(account=account, by=owner)
        account_services.account_restore(account=account, by=owner)
    mine = entries(account, kind="account")
    assert [e.action for e in mine][:2] == ["restored", "archived"]
    assert all(e.by_name == owner.name for e in mine[:2])
    assert mine[0].changes == [] and mine[0].object_label == "Acme Industrial"


def test_a_job_is_strata(account):
    with acting_as(None):
        account_services.account_update(account=account, by=None, description="By the job")
    latest = entries(account, kind="account")[0]
    assert latest.by_name == "Strata" and latest.by_id is None
    assert [(c.field, c.new) for c in latest.changes] == [("description", "By the job")]


def test_plan_items_deleted_restored_and_relations_named(plan, owner, teammate):
    goal = GoalFactory(plan=plan, text="Grow")
    tactic = TacticFactory(strategy=StrategyFactory(goal=goal), text="Call the CFO")
    item_update(item=tactic, by=owner, version=tactic.version, owner=teammate, status="done")
    item_delete(item=tactic, by=owner)
    item_restore(item=tactic, by=owner)
    mine = entries(plan.account, kind="tactic")
    assert [e.action for e in mine] == ["restored", "deleted", "changed", "created"]
    assert mine[1].changes == [] and mine[1].object_label == "Call the CFO"
    changed = {c.field: (c.old, c.new) for c in mine[2].changes}
    assert changed["owner"] == (None, teammate.name)
    assert changed["status"] == ("Open", "Done")
    assert mine[2].by_name == owner.name


def test_alert_states_and_tier_changes_are_entries(account, owner, seeded_tiers):
    alert = AlertFactory(account=account, subject_label="Carla")
    now = timezone.now()
    AlertEvent.objects.create(alert=alert, kind="raised", at=now)
    AlertEvent.objects.create(alert=alert, kind="notified", at=now, user=owner)
    AlertEvent.objects.create(alert=alert, kind="acknowledged", at=now, user=owner)
    TierChangeFactory(account=account, to_tier=seeded_tiers[0], by=owner)
    alerts = entries(account, kind="alert")
    assert [(e.action, e.by_name) for e in alerts] == [
        ("changed", owner.name),
        ("created", "Strata"),
    ]
    assert alerts[0].object_id == alert.pk and alerts[0].object_label.endswith(": Carla")
    assert [(c.field, c.new) for c in alerts[0].changes] == [("status", "Acknowledged")]
    (tier,) = entries(account, kind="tier")
    assert tier.by_name == owner.name
    assert [(c.field, c.old, c.new) for c in tier.changes] == [("tier", None, seeded_tiers[0].name)]


def test_filters_by_person_and_dates(account, owner, teammate):
    with acting_as(owner):
        ContactFactory(account=account, name="By owner")
    with acting_as(teammate):
        ContactFactory(account=account, name="By teammate")
    assert {e.object_label for e in entries(account, user_id=teammate.pk)} == {"By teammate"}
    today = timezone.localdate()
    assert entries(account, since=today + dt.timedelta(days=1)) == []
    assert entries(account, until=today - dt.timedelta(days=1)) == []
    assert {"By owner", "By teammate"} <= {
        e.object_label for e in entries(account, since=today, until=today)
    }


def test_pages_newest_first_with_an_older_page(account, owner):
    for n in range(7):
        ContactFactory(account=account, name=f"Contact {n}")
    filters = ActivityFilters(account_id=account.pk, kind="contact")
    first = activity_page(filters, page=1, per_page=5)
    second = activity_page(filters, page=2, per_page=5)
    assert [e.object_label for e in first.entries] == [f"Contact {n}" for n in (6, 5, 4, 3, 2)]
    assert first.has_older and not first.has_newer
    assert [e.object_label for e in second.entries] == ["Contact 1", "Contact 0"]
    assert second.has_newer and not second.has_older


def _many_changes(account, owner, plan, n):
    """n changed entries across several kinds, each naming related records."""
    with acting_as(owner):
        for i in range(n):
            contact = ContactFactory(account=account, name=f"C{i}")
            account_services.contact_update(contact=contact, by=owner, attitude="champion")
            tactic = TacticFactory(strategy__goal__plan=plan, text=f"T{i}")
            item_update(item=tactic, by=owner, version=tactic.version, owner=owner)


def test_the_number_of_queries_does_not_grow_with_the_entries(account, owner, plan):
    def queries(per_page):
        with CaptureQueriesContext(connection) as ctx:
            page = activity_page(
                ActivityFilters(account_id=account.pk), per_page=per_page, with_accounts=True
            )
        assert len(page.entries) == per_page
        return len(ctx.captured_queries)

    _many_changes(account, owner, plan, 15)
    # The newest 5 already hold both kinds: the same sources, the same related models.
    assert queries(50) == queries(5) <= 12


def test_retention_removes_only_history_older_than_the_setting(account, owner, settings):
    from accounts_app.models import Account
    from insights.tasks import prune_history

    old = timezone.now() - dt.timedelta(days=40)
    Account.history.filter(id=account.pk).update(history_date=old)
    with acting_as(owner):
        account_services.account_update(account=account, by=owner, description="Recent")
    settings.STRATA_HISTORY_DAYS = 0
    assert prune_history() == 0
    settings.STRATA_HISTORY_DAYS = 30
    assert prune_history() >= 1
    assert list(Account.history.filter(id=account.pk).values_list("description", flat=True)) == [
        "Recent"
    ]
    assert "prune-history" in settings.CELERY_BEAT_SCHEDULE
