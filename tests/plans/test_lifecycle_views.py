"""The plans list, starting a plan, the life-cycle steps, coaching comments, what
changed since the last approval and notifications, through the views."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.periods import fiscal_year
from demo.factories import AccountFactory, TeamMemberFactory
from plans import services
from plans.models import Notification, Plan, PlanComment, SwotItem

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def step(client, plan, action, **data):
    return client.post(reverse("plans:step", args=[plan.pk, action]), data)


# --- starting a plan ----------------------------------------------------------------------


def test_the_owner_starts_this_years_plan_from_the_overview(client_for, owner, account):
    page = text(client_for(owner).get(account.get_absolute_url()))
    assert "Account plan Start the FY" in page
    response = client_for(owner).post(reverse("plans:start", args=[account.pk]))
    plan = Plan.objects.get(account=account)
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    page = text(client_for(owner).get(account.get_absolute_url()))
    assert f"Account plan {plan.label} plan Draft" in page
    # Starting again leads to the same plan.
    again = client_for(owner).post(reverse("plans:start", args=[account.pk]))
    assert again["Location"] == reverse("plans:detail", args=[plan.pk])
    assert Plan.objects.count() == 1


def test_the_start_page_offers_the_years_plan_to_the_team_only(
    client_for, owner, executive, outsider, account
):
    """Where the servicing verdict's "no plan" links: a page, since starting is a POST."""
    url = reverse("plans:start", args=[account.pk])
    page = text(client_for(owner).get(url))
    assert f"Acme Industrial has no plan for FY{fiscal_year()}" in page
    assert f"Start the FY{fiscal_year()} plan" in page
    page = text(client_for(executive).get(url))
    assert "Only the account team starts its plan." in page
    assert f"Start the FY{fiscal_year()} plan" not in page
    assert client_for(outsider).get(url).status_code == 404
    plan = services.plan_create(account=account, by=owner)
    assert client_for(owner).get(url)["Location"] == reverse("plans:detail", args=[plan.pk])
    assert not Plan.objects.exclude(pk=plan.pk).exists()  # a GET starts nothing


def test_who_may_start_a_plan(client_for, executive, outsider, account):
    assert client_for(executive).post(reverse("plans:start", args=[account.pk])).status_code == 403
    assert client_for(outsider).post(reverse("plans:start", args=[account.pk])).status_code == 404
    assert not Plan.objects.exists()


# --- steps --------------------------------------------------------------------------------


def test_the_coaching_loop_through_the_views(client_for, owner, manager, plan):
    assert step(client_for(owner), plan, "submit", comment="Ready").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    response = step(client_for(manager), plan, "request-changes", comment="", follow=False)
    plan.refresh_from_db()
    assert plan.status == "submitted"  # a comment is required
    step(client_for(manager), plan, "request-changes", comment="Add a weakness")
    plan.refresh_from_db()
    assert plan.status == "changes_requested"
    step(client_for(owner), plan, "submit")
    step(client_for(manager), plan, "approve")
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        ("teammate", "submit", 403),
        ("executive", "submit", 403),
        ("outsider", "submit", 404),
        ("owner", "approve", 403),
        ("teammate", "approve", 403),
        ("executive", "approve", 403),
        ("outsider", "approve", 404),
    ],
)
def test_who_may_take_each_step(request, client_for, owner, plan, role, action, status):
    if action == "approve":
        services.plan_submit(plan=plan, by=owner)
    response = step(client_for(request.getfixturevalue(role)), plan, action, comment="x")
    assert response.status_code == status
    plan.refresh_from_db()
    assert plan.status == ("submitted" if action == "approve" else "draft")


def test_unknown_steps_and_plans_are_404(client_for, owner, plan):
    assert step(client_for(owner), plan, "publish").status_code == 404
    assert client_for(owner).post("/plans/99999999999999999999/step/submit/").status_code == 404
    assert client_for(owner).post("/plans/987654/step/submit/").status_code == 404


def test_cloning_from_the_page(client_for, owner, plan):
    response = client_for(owner).post(reverse("plans:clone", args=[plan.pk]))
    new = Plan.objects.get(period=2028)
    assert response["Location"] == reverse("plans:detail", args=[new.pk])


# --- comments -----------------------------------------------------------------------------


def test_comments_reply_and_resolve(client_for, manager, owner, executive, outsider, plan):
    url = reverse("plans:comment_add", args=[plan.pk])
    client_for(manager).post(url, {"section": "swot", "text": "Where are the threats?"})
    note = PlanComment.objects.get()
    client_for(owner).post(url, {"section": "swot", "text": "Added two", "parent": note.pk})
    assert note.replies.get().text == "Added two"
    assert client_for(outsider).post(url, {"text": "hi"}).status_code == 404
    resolve = reverse("plans:comment_resolve", args=[plan.pk, note.pk])
    assert client_for(executive).post(resolve).status_code == 403
    client_for(owner).post(resolve)
    note.refresh_from_db()
    assert note.resolved
    other_plan = services.plan_create(account=plan.account, by=owner, period=2028)
    wrong = reverse("plans:comment_resolve", args=[other_plan.pk, note.pk])
    assert client_for(owner).post(wrong).status_code == 404


def test_an_empty_comment_is_refused(client_for, owner, plan):
    response = client_for(owner).post(
        reverse("plans:comment_add", args=[plan.pk]), {"section": "general", "text": " "}
    )
    assert not PlanComment.objects.exists()
    assert response["Location"] == reverse("plans:detail", args=[plan.pk]) + "#comments"


# --- changes since approval ---------------------------------------------------------------


def test_changes_since_the_last_approval(client_for, owner, manager, plan):
    services.plan_update(plan=plan, by=owner, version=None, overview="Before")
    services.plan_submit(plan=plan, by=owner)
    services.plan_approve(plan=plan, by=manager)
    services.plan_reopen(plan=plan, by=owner)
    services.plan_update(plan=plan, by=owner, version=None, overview="After")
    services.item_create(model=SwotItem, by=owner, parent=plan, kind="threat", text="New entrant")
    page = text(client_for(manager).get(reverse("plans:changes", args=[plan.pk])))
    assert "What changed since the last approval" in page
    assert "overview: Before → After" in page
    assert "SWOT item added : New entrant" in page
    assert "Plan changed" in page and "Olivia Owner" in page


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_the_plans_the_user_may_see(client_for, owner, outsider, plan):
    theirs = AccountFactory(name="Their Co")
    TeamMemberFactory(account=theirs, user=outsider)
    services.plan_create(account=theirs, by=outsider, period=2027)
    page = text(client_for(owner).get(reverse("plans:list")))
    assert "Acme Industrial" in page and "Their Co" not in page
    assert "1 plan" in page


def test_filters_and_sorting(client_for, owner, manager, plan, account):
    second = AccountFactory(name="Beta Co", owner=owner)
    good = services.plan_create(account=second, by=owner, period=2027)
    Plan.objects.filter(pk=good.pk).update(quality=Decimal("87.5"), status="submitted")
    client = client_for(owner)

    def names(**q):
        return [p.account.name for p in client.get(reverse("plans:list"), q).context["page"]]

    assert names(status="submitted") == ["Beta Co"]
    assert names(quality="high") == ["Beta Co"]
    assert names(quality="low") == ["Acme Industrial"]
    assert names(sort="-quality") == ["Beta Co", "Acme Industrial"]
    assert names(sort="quality") == ["Acme Industrial", "Beta Co"]
    assert client.get(reverse("plans:list"), {"tier": "abc", "period": "x"}).status_code == 200


def test_the_list_queries_do_not_grow_with_plans(client_for, owner):
    client = client_for(owner)
    client.get(reverse("plans:list"))  # the session's first request costs more

    def count(n):
        for _ in range(n):
            services.plan_create(account=AccountFactory(owner=owner), by=owner, period=2027)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plans:list")).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(12)


def test_the_empty_list(client_for, owner):
    assert "No account plans yet" in text(client_for(owner).get(reverse("plans:list")))


# --- notifications ------------------------------------------------------------------------


def test_notifications_list_and_mark_read(client_for, owner, manager, plan):
    services.comment_add(plan=plan, by=manager, text="Please add a target")
    client = client_for(owner)
    page = client.get(reverse("plans:notifications"))
    assert "Maya Manager commented on the plan as a whole" in text(page)
    assert 'class="notif-count">1<' in page.content.decode()
    client.post(reverse("plans:notifications"))
    assert not Notification.objects.filter(user=owner, read_at__isnull=True).exists()
    assert "notif-count" not in client.get(reverse("plans:notifications")).content.decode()
