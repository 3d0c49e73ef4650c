"""Plans: creation, edits with optimistic locking, the life cycle and who may take each
step, comments and notifications, history, cloning, quality from real rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from accounts_app.models import TeamMember
from demo.factories import ContactFactory, RelationshipFactory
from plans import services
from plans.models import (
    Goal,
    KnowledgePoint,
    Notification,
    Plan,
    PlanComment,
    Strategy,
    SwotItem,
    Tactic,
)
from plans.selectors import plan_get_for_user, plan_quality_for

pytestmark = pytest.mark.django_db


def tactic_in(plan, by, **data):
    goal = services.item_create(model=Goal, by=by, parent=plan, text="Grow services")
    strategy = services.item_create(model=Strategy, by=by, parent=goal, text="Land a pilot")
    return services.item_create(model=Tactic, by=by, parent=strategy, text="Workshop", **data)


# --- creation, fiscal year ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_month", "on", "year"),
    [(1, date(2026, 11, 22), 2026), (4, date(2026, 3, 31), 2026), (4, date(2026, 4, 1), 2027)],
)
def test_the_fiscal_year_is_named_by_the_year_it_ends_in(start_month, on, year):
    with override_settings(STRATA_FISCAL_YEAR_START_MONTH=start_month):
        assert services.fiscal_year(on) == year


def test_a_plan_starts_as_a_draft_with_the_accounts_figures(plan, account):
    assert (plan.status, plan.version, plan.label) == ("draft", 1, "FY2027")
    assert plan.wallet_estimate == account.wallet_estimate


def test_one_plan_per_account_and_period(plan, account, owner):
    with pytest.raises(ValidationError, match="already has a plan for FY2027"):
        services.plan_create(account=account, by=owner, period=2027)


@pytest.mark.parametrize("role", ["executive", "manager", "outsider"])
def test_only_the_team_starts_a_plan(request, role, account):
    with pytest.raises(PermissionDenied):
        services.plan_create(account=account, by=request.getfixturevalue(role), period=2027)


# --- who sees ------------------------------------------------------------------------------


def test_visibility_follows_the_account(plan, owner, teammate, manager, executive, outsider):
    for user in (owner, teammate, manager, executive):
        assert plan_get_for_user(user=user, plan_id=plan.pk) == plan
    with pytest.raises(Http404):
        plan_get_for_user(user=outsider, plan_id=plan.pk)
    with pytest.raises(Http404):
        plan_get_for_user(user=owner, plan_id="99999999999999999999")


# --- optimistic locking --------------------------------------------------------------------


def test_a_stale_save_is_refused_with_the_newer_content(plan, owner, teammate):
    services.plan_update(plan=plan, by=owner, version=1, overview="Owner's words")
    stale = Plan.objects.get(pk=plan.pk)
    stale.version = 1  # the teammate read version 1 before the owner saved
    with pytest.raises(services.StaleVersion) as exc:
        services.plan_update(plan=stale, by=teammate, version=1, overview="Teammate's words")
    assert exc.value.current.overview == "Owner's words" and exc.value.current.version == 2
    assert Plan.objects.get(pk=plan.pk).overview == "Owner's words"


def test_item_versions(plan, owner, teammate):
    item = services.item_create(model=SwotItem, by=owner, parent=plan, kind="strength", text="A")
    services.item_update(item=item, by=owner, version=1, text="B")
    assert item.version == 2
    with pytest.raises(services.StaleVersion) as exc:
        services.item_update(
            item=SwotItem.objects.get(pk=item.pk), by=teammate, version=1, text="C"
        )
    assert exc.value.current.text == "B"


# --- items, delete with undo, reorder, history --------------------------------------------


def test_delete_and_undo(plan, owner):
    point = services.item_create(model=KnowledgePoint, by=owner, parent=plan, text="Expand in Asia")
    services.item_delete(item=point, by=owner)
    assert not plan.knowledge_points.filter(deleted_at=None).exists()
    services.item_restore(item=point, by=owner)
    assert plan.knowledge_points.filter(deleted_at=None).get() == point


def test_reorder_is_one_bulk_update_recorded_in_history(plan, owner):
    a, b, c = (
        services.item_create(model=KnowledgePoint, by=owner, parent=plan, text=t) for t in "abc"
    )
    services.items_reorder(model=KnowledgePoint, by=owner, parent=plan, ids=[c.pk, a.pk, b.pk])
    assert list(plan.knowledge_points.order_by("position").values_list("text", flat=True)) == [
        "c",
        "a",
        "b",
    ]
    moved = KnowledgePoint.history.filter(id=c.pk).order_by("-history_date").first()
    assert moved.position == 1 and moved.history_user == owner
    with pytest.raises(ValidationError):
        services.items_reorder(model=KnowledgePoint, by=owner, parent=plan, ids=[a.pk, b.pk])


def test_history_keeps_old_and_new_values(plan, owner):
    services.plan_update(plan=plan, by=owner, version=1, overview="First")
    services.plan_update(plan=plan, by=owner, version=2, overview="Second")
    newest, older = plan.history.order_by("-history_date", "-history_id")[:2]
    delta = newest.diff_against(older, excluded_fields=["version", "updated_at"])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("overview", "First", "Second")]


def test_a_tactic_owner_is_on_the_team(plan, owner, outsider):
    with pytest.raises(ValidationError, match="on the account team"):
        tactic_in(plan, owner, owner=outsider)


def test_a_goal_serves_one_of_this_plans_customer_goals(plan, owner, account):
    other = services.plan_create(account=account, by=owner, period=2028)
    foreign = services.item_create(model=KnowledgePoint, by=owner, parent=other, text="x")
    with pytest.raises(ValidationError, match="customer goals"):
        services.item_create(model=Goal, by=owner, parent=plan, text="G", customer_goal=foreign)


@pytest.mark.parametrize("role", ["executive", "manager", "outsider"])
def test_only_the_team_edits(request, role, plan):
    with pytest.raises(PermissionDenied):
        services.plan_update(
            plan=plan, by=request.getfixturevalue(role), version=None, overview="x"
        )


# --- life cycle -----------------------------------------------------------------------------


def test_the_coaching_loop(plan, owner, teammate, manager):
    with pytest.raises(PermissionDenied):
        services.plan_submit(plan=plan, by=teammate)  # the owner submits
    services.plan_submit(plan=plan, by=owner, comment="Ready")
    with pytest.raises(ValidationError, match="Say what should change"):
        services.plan_request_changes(plan=plan, by=manager, comment=" ")
    services.plan_request_changes(plan=plan, by=manager, comment="Add a weakness")
    assert plan.status == "changes_requested"
    services.plan_submit(plan=plan, by=owner)
    services.plan_approve(plan=plan, by=manager, comment="Good")
    assert plan.status == "approved" and plan.read_only
    with pytest.raises(PermissionDenied, match="reopen"):
        services.plan_update(plan=plan, by=owner, version=None, overview="late edit")
    services.plan_reopen(plan=plan, by=owner)
    assert plan.status == "draft"
    assert [t.to_status for t in plan.transitions.order_by("at", "id")] == [
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
        "draft",
    ]


@pytest.mark.parametrize("role", ["owner", "teammate", "executive"])
def test_only_coaches_approve(request, role, plan, owner):
    services.plan_submit(plan=plan, by=owner)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=request.getfixturevalue(role))
    with pytest.raises(PermissionDenied):
        services.plan_request_changes(plan=plan, by=request.getfixturevalue(role), comment="x")


def test_a_manager_who_submitted_does_not_approve_it(account, manager, plan):
    TeamMember.objects.filter(account=account, role="owner").update(user=manager)
    services.plan_submit(plan=plan, by=manager)
    with pytest.raises(PermissionDenied, match="Someone other"):
        services.plan_approve(plan=plan, by=manager)


def test_steps_out_of_order_are_refused(plan, owner, manager):
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, by=manager)
    with pytest.raises(ValidationError):
        services.plan_reopen(plan=plan, by=owner)


# --- comments and notifications ------------------------------------------------------------


def test_comments_thread_notify_and_resolve(plan, owner, teammate, manager, executive):
    note = services.comment_add(
        plan=plan, by=manager, text="Where is the target?", section="financials"
    )
    reply = services.comment_add(plan=plan, by=owner, text="Added", parent=note)
    assert list(note.replies.all()) == [reply]
    inbox = set(Notification.objects.filter(comment=note).values_list("user__username", flat=True))
    assert inbox == {"owner", "teammate"}  # the team; not the author
    assert Notification.objects.filter(comment=reply, user=manager).exists()
    with pytest.raises(PermissionDenied):
        services.comment_resolve(comment=note, by=executive)
    services.comment_resolve(comment=note, by=owner)
    assert PlanComment.objects.get(pk=note.pk).resolved
    assert services.notifications_mark_read(user=teammate) == 2  # the note and the reply


def test_submitting_notifies_the_coaches_and_deciding_the_team(plan, owner, teammate, manager):
    services.plan_submit(plan=plan, by=owner)
    assert Notification.objects.filter(user=manager, text__contains="submitted").exists()
    services.plan_approve(plan=plan, by=manager)
    assert set(
        Notification.objects.filter(text__contains="approved").values_list(
            "user__username", flat=True
        )
    ) == {"owner", "teammate"}


# --- clone ------------------------------------------------------------------------------------


def test_cloning_carries_open_items_and_leaves_done_tactics(plan, owner):
    services.plan_update(plan=plan, by=owner, version=None, overview="O", revenue_target=Decimal(5))
    goal_point = services.item_create(
        model=KnowledgePoint, by=owner, parent=plan, text="Grow", kind="goal"
    )
    gone = services.item_create(model=KnowledgePoint, by=owner, parent=plan, text="Old")
    services.item_delete(item=gone, by=owner)
    goal = services.item_create(
        model=Goal, by=owner, parent=plan, text="G", customer_goal=goal_point
    )
    strategy = services.item_create(model=Strategy, by=owner, parent=goal, text="S")
    services.item_create(model=Tactic, by=owner, parent=strategy, text="Open one")
    services.item_create(model=Tactic, by=owner, parent=strategy, text="Done one", status="done")
    new = services.plan_clone(plan=plan, by=owner)
    assert (new.period, new.status, new.overview, new.revenue_target) == (2028, "draft", "O", 5)
    assert list(new.knowledge_points.values_list("text", flat=True)) == ["Grow"]
    new_goal = new.goals.get()
    assert new_goal.customer_goal.plan == new
    assert list(Tactic.objects.filter(strategy__goal__plan=new).values_list("text", flat=True)) == [
        "Open one"
    ]
    with pytest.raises(ValidationError):
        services.plan_clone(plan=plan, by=owner)


# --- quality from real rows ------------------------------------------------------------------


def test_quality_from_the_plans_rows(plan, owner, account, teammate):
    """Empty plan: passes the vacuous checks and freshness (3/8 = 37.5)."""
    assert plan_quality_for(plan=plan).score == Decimal("37.5")
    services.plan_update(plan=plan, by=owner, version=None, overview="O", revenue_target=Decimal(1))
    for text in "abc":
        services.item_create(model=KnowledgePoint, by=owner, parent=plan, text=text)
    services.item_create(model=SwotItem, by=owner, parent=plan, kind="strength", text="s")
    services.item_create(model=SwotItem, by=owner, parent=plan, kind="weakness", text="w")
    tactic = tactic_in(plan, owner)  # open, no owner and no due date
    quality = plan_quality_for(plan=plan)
    assert [c.key for c in quality.failing] == ["tactics"]
    services.item_update(
        item=tactic, by=owner, version=None, owner=teammate, due_date=date(2027, 1, 1)
    )
    dm = ContactFactory(account=account, buying_role="decision_maker")
    assert [c.key for c in plan_quality_for(plan=plan).failing] == ["decision_makers"]
    RelationshipFactory(contact=dm, user=teammate, strength=2)
    assert plan_quality_for(plan=plan).score == 100
    later = timezone.localdate() + timedelta(days=91)
    assert [c.key for c in plan_quality_for(plan=plan, today=later).failing] == ["fresh"]


def test_every_change_records_who_made_it(plan, owner, manager):
    item = services.item_create(model=SwotItem, by=owner, parent=plan, kind="threat", text="T")
    services.item_delete(item=item, by=owner)
    services.plan_submit(plan=plan, by=owner)
    services.plan_approve(plan=plan, by=manager)
    assert {h.history_user for h in SwotItem.history.filter(id=item.pk)} == {owner}
    statuses = [
        (h.status, h.history_user) for h in plan.history.order_by("history_date", "history_id")
    ]
    assert statuses[-2:] == [("submitted", owner), ("approved", manager)]


def test_the_stored_quality_follows_changes_and_the_nightly_job(plan, owner):
    from plans.tasks import refresh_plan_quality

    assert Plan.objects.get(pk=plan.pk).quality == Decimal("37.5")
    services.plan_update(plan=plan, by=owner, version=None, overview="Now written")
    assert Plan.objects.get(pk=plan.pk).quality == Decimal("50.0")
    Plan.objects.filter(pk=plan.pk).update(quality=None)
    assert refresh_plan_quality.delay().get() == 1
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.quality == Decimal("50.0") and "overview" not in stored.quality_failing
