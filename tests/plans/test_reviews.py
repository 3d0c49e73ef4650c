"""Business reviews: the next review due by the tier's cadence (worked by hand), the
Reviews tab, scheduling and recording a review (with clear errors), action items ticked
off and turned into tactics of the plan, permissions on every URL and query counts."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import (
    AccountFactory,
    BusinessReviewFactory,
    ContactFactory,
    TierAssignmentFactory,
    TierChangeFactory,
)
from plans import reviews, services
from plans.models import BusinessReview, Goal, Plan, ReviewActionItem, Strategy, Tactic
from segmentation.models import TierChange

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def tier(account, seeded_tiers):
    tier = seeded_tiers[0]
    tier.external_review_days, tier.internal_review_days = 90, 30
    tier.save()
    TierAssignmentFactory(account=account, tier=tier)
    return tier


# --- When the next review is due --------------------------------------------------------------


def test_due_date_by_hand():
    held = date(2026, 9, 1)
    assert reviews.due_date(cadence_days=90, last_held=held, since=None) == date(2026, 11, 30)
    # Never held: the cadence counts from the day the account entered its tier.
    assert reviews.due_date(cadence_days=30, last_held=None, since=date(2026, 1, 31)) == date(
        2026, 3, 2
    )
    # The last held wins over the tier's start.
    assert reviews.due_date(cadence_days=30, last_held=held, since=date(2020, 1, 1)) == date(
        2026, 10, 1
    )
    assert reviews.due_date(cadence_days=None, last_held=held, since=None) is None
    assert reviews.due_date(cadence_days=0, last_held=held, since=None) is None


def test_reviews_due_per_kind(account, owner, tier):
    today = timezone.localdate()
    TierChangeFactory(account=account, to_tier=tier)
    TierChange.objects.filter(account=account).update(
        at=timezone.now() - timedelta(days=40)
    )  # entered the tier 40 days ago
    BusinessReviewFactory(
        account=account,
        by=owner,
        scheduled_for=today - timedelta(days=100),
        held_on=today - timedelta(days=100),
    )
    BusinessReviewFactory(
        account=account, by=owner, scheduled_for=today + timedelta(days=5)
    )  # upcoming, not held
    due = {d.kind: d for d in reviews.reviews_due(account=account)}
    external, internal = due["external"], due["internal"]
    # Held 100 days ago, every 90 days: due 10 days ago.
    assert external.last_held == today - timedelta(days=100)
    assert external.due == today - timedelta(days=10) and external.overdue_days == 10
    assert external.next_scheduled == today + timedelta(days=5)
    # No internal review held: 30 days after entering the tier, 40 days ago → 10 overdue.
    assert internal.last_held is None and internal.due == today - timedelta(days=10)
    assert internal.cadence_days == 30


def test_no_tier_means_nothing_due(account, owner):
    due = reviews.reviews_due(account=account)
    assert [(d.kind, d.due, d.overdue_days) for d in due] == [
        ("external", None, 0),
        ("internal", None, 0),
    ]


# --- Scheduling and recording ---------------------------------------------------------------


def test_the_team_schedules_a_review_from_the_tab(client_for, owner, account, contact, tier):
    client = client_for(owner)
    tab = text(client.get(reverse("reviews:account", args=[account.pk])))
    assert "No business reviews yet" in tab and "Schedule a review" in tab
    assert "None held yet" in tab
    when = timezone.localdate() + timedelta(days=14)
    response = client.post(
        reverse("reviews:create", args=[account.pk]),
        {
            "kind": "external",
            "scheduled_for": when.isoformat(),
            "attendees": [owner.pk],
            "customer_attendees": [contact.pk],
            "agenda": "Roadmap\nPricing for 2027",
        },
    )
    created = BusinessReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[created.pk])
    assert created.title == f"External business review, {when:%B %Y}"
    assert list(created.attendees.all()) == [owner]
    assert list(created.customer_attendees.all()) == [contact]
    page = text(client.get(response["Location"]))
    assert "Carla Buyer" in page and "Pricing for 2027" in page and "Olivia Owner" in page
    tab = text(client.get(reverse("reviews:account", args=[account.pk])))
    assert f"next scheduled {when:%-d %b %Y}" in tab and "Upcoming" in tab


def test_bad_input_gets_field_errors_and_keeps_what_was_typed(client_for, owner, account):
    other = ContactFactory(account=AccountFactory(name="Elsewhere"), name="Not Ours")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(owner).post(
        reverse("reviews:create", args=[account.pk]),
        {
            "kind": "external",
            "scheduled_for": "",
            "held_on": tomorrow.isoformat(),
            "customer_attendees": [other.pk],
            "agenda": "Keep this agenda",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "This field is required." in page  # scheduled for
    assert "Select a valid choice." in page  # another account's contact
    assert "Keep this agenda" in response.content.decode()
    assert not BusinessReview.objects.exists()

    response = client_for(owner).post(
        reverse("reviews:create", args=[account.pk]),
        {"kind": "internal", "scheduled_for": "2026-01-10", "held_on": tomorrow.isoformat()},
    )
    assert "cannot have been held in the future" in text(response)
    response = client_for(owner).post(
        reverse("reviews:create", args=[account.pk]),
        {"kind": "internal", "scheduled_for": "2026-01-10", "outcomes": "Agreed on pricing"},
    )
    assert "Give the day it was held" in text(response)
    assert "Agreed on pricing" in response.content.decode()
    assert not BusinessReview.objects.exists()


def test_recording_the_review_and_deleting_it(client_for, owner, account):
    scheduled = BusinessReviewFactory(account=account, by=owner, scheduled_for=date(2026, 11, 2))
    client = client_for(owner)
    response = client.post(
        reverse("reviews:edit", args=[scheduled.pk]),
        {
            "kind": "external",
            "title": "Q4 review",
            "scheduled_for": "2026-11-02",
            "held_on": "2026-11-03",
            "outcomes": "Volume up 10 %",
            "decisions": "Pilot in Lyon",
            "customer_feedback": "Faster answers, please.",
        },
    )
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert (scheduled.title, scheduled.held_on) == ("Q4 review", date(2026, 11, 3))
    assert scheduled.history.count() == 2  # scheduled, then recorded: who and when
    page = text(client.get(reverse("reviews:detail", args=[scheduled.pk])))
    assert "Pilot in Lyon" in page and "Faster answers, please." in page
    assert "Delete “Q4 review”?" in text(client.get(reverse("reviews:delete", args=[scheduled.pk])))
    assert client.post(reverse("reviews:delete", args=[scheduled.pk])).status_code == 302
    assert not BusinessReview.objects.exists()


# --- Action items ---------------------------------------------------------------------------


@pytest.fixture
def strategy(account, owner):
    plan = services.plan_create(account=account, by=owner, period=services.fiscal_year())
    goal = services.item_create(model=Goal, by=owner, parent=plan, text="Grow in Europe")
    return services.item_create(model=Strategy, by=owner, parent=goal, text="Win Lyon")


def test_action_items_are_added_ticked_off_and_become_tactics(
    client_for, owner, teammate, account, strategy
):
    held = BusinessReviewFactory(
        account=account, by=owner, held_on=timezone.localdate(), scheduled_for=timezone.localdate()
    )
    client = client_for(owner)
    add = reverse("reviews:action_add", args=[held.pk])
    response = client.post(add, {"text": "", "owner": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "This field is required." in text(response)
    response = client.post(
        add,
        {
            "text": "Send the pilot proposal",
            "owner": teammate.pk,
            "due_date": "2026-12-20",
            "agreed_with_customer": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Send the pilot proposal" in text(response)
    item = ReviewActionItem.objects.get()
    assert (item.owner, item.due_date, item.agreed_with_customer) == (
        teammate,
        date(2026, 12, 20),
        True,
    )

    client.post(reverse("reviews:action", args=[held.pk, item.pk]), {"done": "1"})
    item.refresh_from_db()
    assert item.done

    response = client.post(
        reverse("reviews:action_tactic", args=[held.pk, item.pk]), {"strategy": strategy.pk}
    )
    assert response.status_code == 302
    tactic = Tactic.objects.get()
    assert (tactic.text, tactic.owner, tactic.strategy, tactic.status) == (
        "Send the pilot proposal",
        teammate,
        strategy,
        "done",
    )
    item.refresh_from_db()
    assert item.tactic == tactic
    page = text(client.get(reverse("reviews:detail", args=[held.pk])))
    assert "Tactic in the plan" in page
    # Twice is refused, with a reason.
    response = client.post(
        reverse("reviews:action_tactic", args=[held.pk, item.pk]),
        {"strategy": strategy.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422 and "a tactic of the plan already" in text(response)
    assert Tactic.objects.count() == 1

    client.post(reverse("reviews:action", args=[held.pk, item.pk]), {"delete": "1"})
    assert not ReviewActionItem.objects.exists() and Tactic.objects.count() == 1


def test_an_approved_plan_takes_no_tactic_and_owners_are_on_the_team(
    owner, outsider, account, strategy
):
    held = BusinessReviewFactory(account=account, by=owner)
    with pytest.raises(Exception, match="on the account team"):
        reviews.action_add(review=held, by=owner, text="x", owner=outsider)
    item = reviews.action_add(review=held, by=owner, text="Call back")
    Plan.objects.filter(pk=strategy.goal.plan_id).update(status="approved")
    strategy.refresh_from_db()
    with pytest.raises(Exception, match="approved: reopen it"):
        reviews.action_to_tactic(item=item, by=owner, strategy=strategy)
    other_plan = services.plan_create(
        account=AccountFactory(owner=owner), by=owner, period=services.fiscal_year()
    )
    goal = services.item_create(model=Goal, by=owner, parent=other_plan, text="g")
    foreign = services.item_create(model=Strategy, by=owner, parent=goal, text="s")
    with pytest.raises(Exception, match="strategy of this account's plan"):
        reviews.action_to_tactic(item=item, by=owner, strategy=foreign)


# --- Who sees what --------------------------------------------------------------------------


def urls(account, held, item):
    return {
        "tab": ("get", reverse("reviews:account", args=[account.pk])),
        "create": ("get", reverse("reviews:create", args=[account.pk])),
        "detail": ("get", reverse("reviews:detail", args=[held.pk])),
        "edit": ("get", reverse("reviews:edit", args=[held.pk])),
        "delete": ("get", reverse("reviews:delete", args=[held.pk])),
        "action_add": ("post", reverse("reviews:action_add", args=[held.pk])),
        "action": ("post", reverse("reviews:action", args=[held.pk, item.pk])),
        "tactic": ("post", reverse("reviews:action_tactic", args=[held.pk, item.pk])),
    }


READS = {"tab", "detail"}


def test_permissions_on_every_url(client_for, owner, manager, executive, outsider, account):
    held = BusinessReviewFactory(account=account, by=owner)
    item = reviews.action_add(review=held, by=owner, text="Follow up")
    for name, (method, url) in urls(account, held, item).items():
        assert getattr(client_for(outsider), method)(url).status_code == 404, name
        for reader in (manager, executive):  # see the account, are not on its team
            status = getattr(client_for(reader), method)(url).status_code
            assert status == (200 if name in READS else 403), (name, reader)
    # Another account's review id under this one's action: 404.
    other = BusinessReviewFactory(account=AccountFactory(owner=owner), by=owner)
    url = reverse("reviews:action", args=[other.pk, item.pk])
    assert client_for(owner).post(url, {"done": "1"}).status_code == 404
    assert not ReviewActionItem.objects.get().done


def test_the_tab_queries_do_not_grow_with_reviews(client_for, owner, account, tier):
    client = client_for(owner)
    url = reverse("reviews:account", args=[account.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    BusinessReviewFactory(account=account, by=owner)
    few = count()
    for day in range(15):
        held = BusinessReviewFactory(
            account=account, by=owner, scheduled_for=date(2026, 1, 1) + timedelta(days=day)
        )
        reviews.action_add(review=held, by=owner, text="x")
    assert count() == few


def test_the_next_review_shows_on_the_overview_and_the_dashboard(
    client_for, owner, manager, account, tier
):
    last = timezone.localdate() - timedelta(days=100)
    BusinessReviewFactory(
        account=account, by=owner, scheduled_for=last, held_on=last
    )  # every 90 days: 10 overdue
    overview = text(client_for(owner).get(reverse("accounts:detail", args=[account.pk])))
    due = last + timedelta(days=90)
    assert f"Next external review Overdue by 10 days due {due:%-d %b %Y}" in overview
    dashboard = text(client_for(manager).get("/dashboards/"))
    assert "Acme Industrial" in dashboard and "overdue" in dashboard


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_creates_and_refuses_like_the_pages(
    api_for, owner, manager, outsider, account, contact
):
    api = api_for(owner)
    created = api.post(
        "/api/v1/business-reviews/",
        {
            "account": account.pk,
            "kind": "external",
            "scheduled_for": "2026-11-02",
            "held_on": "2026-11-03",
            "customer_attendees": [contact.pk],
            "outcomes": "Volumes up.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["title"] == "External business review, November 2026"
    assert body["customer_attendees"] == [contact.pk] and body["actions"] == []
    pk = body["id"]
    listed = api.get(f"/api/v1/business-reviews/?account={account.pk}&held=true").json()
    assert [r["id"] for r in listed["results"]] == [pk]
    # Bad input: 400 with field errors, nothing saved.
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = api.patch(f"/api/v1/business-reviews/{pk}/", {"held_on": future}, format="json")
    assert bad.status_code == 400 and "held_on" in bad.json()
    assert BusinessReview.objects.get(pk=pk).held_on == date(2026, 11, 3)
    other = ContactFactory(account=AccountFactory(owner=outsider))
    bad = api.post(
        "/api/v1/business-reviews/",
        {"account": account.pk, "scheduled_for": "2026-12-01", "customer_attendees": [other.pk]},
        format="json",
    )
    assert bad.status_code == 400 and "customer_attendees" in bad.json()
    # A manager reads but may not change; an outsider sees nothing.
    assert api_for(manager).get(f"/api/v1/business-reviews/{pk}/").status_code == 200
    refused = api_for(manager).patch(
        f"/api/v1/business-reviews/{pk}/", {"agenda": "x"}, format="json"
    )
    assert refused.status_code == 403
    assert api_for(outsider).get(f"/api/v1/business-reviews/{pk}/").status_code == 404
    assert api_for(outsider).get("/api/v1/business-reviews/").json()["count"] == 0
    created = api_for(outsider).post(
        "/api/v1/business-reviews/",
        {"account": account.pk, "scheduled_for": "2026-12-01"},
        format="json",
    )
    assert created.status_code == 400 and "account" in created.json()
    assert api.delete(f"/api/v1/business-reviews/{pk}/").status_code == 204
