"""What a review of the plans found, each pinned by a test: notifications only for those
who may see the plan, transitions on the reviewed version, figures in range, the stored
quality following people and relationships, clones without former team members, long
comments refused not dropped, the changes page's queries, items under deleted goals,
executives reading without commenting."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_app import services as accounts
from accounts_app.models import TeamMember
from plans import services
from plans.models import Goal, Notification, Plan, PlanComment, Strategy, Tactic

pytestmark = pytest.mark.django_db


def tree(plan, by):
    goal = services.item_create(model=Goal, by=by, parent=plan, text="G")
    strategy = services.item_create(model=Strategy, by=by, parent=goal, text="S")
    return goal, strategy


def test_no_notification_reaches_someone_who_can_no_longer_see_the_plan(
    client_for, plan, owner, teammate
):
    note = services.comment_add(plan=plan, by=teammate, text="Question")
    TeamMember.objects.filter(account=plan.account, user=teammate).delete()
    services.comment_add(plan=plan, by=owner, text="Secret reply", parent=note)
    assert not Notification.objects.filter(user=teammate, text__contains="Secret").exists()
    # And an older notification of a plan they no longer see is not listed.
    Notification.objects.create(user=teammate, plan=plan, text="Old news of Acme")
    page = client_for(teammate).get(reverse("plans:notifications")).content.decode()
    assert "Old news of Acme" not in page


def test_a_step_on_a_stale_version_is_refused(api_for, client_for, plan, owner, manager):
    services.plan_submit(plan=plan, by=owner)
    reviewed = Plan.objects.get(pk=plan.pk).version
    services.plan_update(plan=plan, by=owner, version=None, overview="Edited after submitting")
    response = api_for(manager).post(
        f"/api/v1/plans/{plan.pk}/approve/", {}, format="json", HTTP_IF_MATCH=f'"{reviewed}"'
    )
    assert response.status_code == 409 and response.json()["current"]["overview"].startswith(
        "Edited"
    )
    client_for(manager).post(
        reverse("plans:step", args=[plan.pk, "approve"]), {"version": reviewed}
    )
    assert Plan.objects.get(pk=plan.pk).status == "submitted"
    current = Plan.objects.get(pk=plan.pk).version
    response = api_for(manager).post(
        f"/api/v1/plans/{plan.pk}/approve/", {}, format="json", HTTP_IF_MATCH=f'"{current}"'
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"


@pytest.mark.parametrize(
    ("field", "value"),
    [("margin_target_pct", "150"), ("revenue_target", "-5"), ("revenue_q1", "-1")],
)
def test_figures_out_of_range_are_400(api_for, plan, owner, field, value):
    response = api_for(owner).patch(
        f"/api/v1/plans/{plan.pk}/", {field: value, "version": plan.version}, format="json"
    )
    assert response.status_code == 400 and field in response.json()


def test_the_recompute_keeps_the_stored_quality_following_decision_makers(
    plan, account, owner, teammate, django_capture_on_commit_callbacks
):
    """The account's recompute, queued by the change, refreshes the plan's quality."""
    before = Plan.objects.get(pk=plan.pk).quality
    with django_capture_on_commit_callbacks(execute=True):
        contact = accounts.contact_create(
            account=account, by=owner, name="Dana Decider", buying_role="decision_maker"
        )
    assert Plan.objects.get(pk=plan.pk).quality == before - Decimal("12.5")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.relationship_create(contact=contact, user=teammate, by=owner, strength=3)
    assert Plan.objects.get(pk=plan.pk).quality == before


def test_a_clone_leaves_tactics_of_former_team_members_unowned(plan, owner, teammate):
    _, strategy = tree(plan, owner)
    services.item_create(model=Tactic, by=owner, parent=strategy, text="T", owner=teammate)
    TeamMember.objects.filter(account=plan.account, user=teammate).delete()
    new = services.plan_clone(plan=plan, by=owner)
    assert Tactic.objects.get(strategy__goal__plan=new).owner is None


def test_a_too_long_step_comment_is_refused_not_dropped(client_for, plan, owner, manager):
    services.plan_submit(plan=plan, by=owner)
    client_for(manager).post(
        reverse("plans:step", args=[plan.pk, "approve"]), {"comment": "x" * 2500}
    )
    assert Plan.objects.get(pk=plan.pk).status == "submitted"


def test_the_changes_page_queries_do_not_grow_with_changes(client_for, plan, owner, teammate):
    _, strategy = tree(plan, owner)
    client = client_for(owner)
    url = reverse("plans:changes", args=[plan.pk])
    client.get(url)

    def count(n):
        for i in range(n):
            tactic = services.item_create(model=Tactic, by=owner, parent=strategy, text=f"T{i}")
            services.item_update(
                item=tactic, by=owner, version=None, owner=teammate, due_date=date(2027, 1, i + 1)
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(12)
    page = client.get(url).content.decode()
    assert "Tom Mate" in page  # the owner shown by name, not id


def test_the_changes_page_does_not_list_the_approval_itself(client_for, plan, owner, manager):
    services.plan_submit(plan=plan, by=owner)
    services.plan_approve(plan=plan, by=manager)
    page = client_for(manager).get(reverse("plans:changes", args=[plan.pk])).content.decode()
    assert "Nothing changed" in page


def test_no_tactic_under_a_deleted_goal(api_for, client_for, plan, owner):
    goal, strategy = tree(plan, owner)
    services.item_delete(item=goal, by=owner)
    response = api_for(owner).post(
        "/api/v1/tactics/", {"strategy": strategy.pk, "text": "Ghost"}, format="json"
    )
    assert response.status_code == 400
    response = client_for(owner).post(
        reverse("plans:item_create", args=[plan.pk, "tactic"]),
        {"parent": strategy.pk, "text": "Ghost", "status": "open"},
    )
    assert response.status_code == 404
    assert not Tactic.objects.exists()


def test_executives_read_but_do_not_comment(client_for, plan, executive):
    with pytest.raises(PermissionDenied):
        services.comment_add(plan=plan, by=executive, text="Hello")
    url = reverse("plans:comment_add", args=[plan.pk])
    assert client_for(executive).post(url, {"text": "Hello"}).status_code == 403
    page = client_for(executive).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Add comment" not in page
    assert not PlanComment.objects.exists()
