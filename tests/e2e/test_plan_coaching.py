"""The coaching loop in real browsers: alice submits her plan, her manager requests
changes with a comment, alice resolves it and resubmits, the manager approves — and the
plan is then read-only for alice."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts_app.models import User
from demo.factories import UserFactory
from plans import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_request_changes_resolve_resubmit_approve(
    page: Page, live_server, sign_in, sign_in_elsewhere, alice, alice_account
):
    manager = UserFactory(
        username="maya", role=User.Role.MANAGER, first_name="Maya", last_name="Manager"
    )
    alice.manager = manager
    alice.save(update_fields=["manager"])
    plan = services.plan_create(account=alice_account, by=alice, period=2027)
    plan_url = f"{live_server.url}/plans/{plan.pk}/"

    sign_in(alice)
    page.goto(plan_url)
    lifecycle = page.locator("#lifecycle")
    expect(lifecycle).to_contain_text("Draft")
    page.get_by_role("button", name="Submit for approval").click()
    expect(lifecycle).to_contain_text("Submitted")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # not hers to approve

    coach = sign_in_elsewhere(manager)
    coach.goto(plan_url)
    coach.get_by_text("Request changes…").click()
    coach.get_by_label("What should change?").fill("Add a revenue target before approval.")
    coach.get_by_role("button", name="Request changes", exact=True).click()
    expect(coach.locator("#lifecycle")).to_contain_text("Changes requested")
    comments = coach.locator("#plan-comments, #comments").first
    coach.get_by_label("Comment about").select_option(label="Financials")
    coach.get_by_label("Comment", exact=True).fill(
        "The target should be at least last year's revenue."
    )
    coach.get_by_role("button", name="Add comment").click()
    expect(comments).to_contain_text("at least last year's revenue")

    page.reload()
    expect(lifecycle).to_contain_text("Changes requested")
    expect(lifecycle).to_contain_text("1 unresolved comment")
    expect(page.locator(".coach-request")).to_contain_text("Add a revenue target before approval.")
    page.get_by_role("link", name="Notifications").first.click()
    expect(page.locator("ul.notifications")).to_contain_text("Maya Manager commented on financials")
    page.goto(plan_url)
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#lifecycle")).not_to_contain_text("unresolved comment")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#lifecycle")).to_contain_text("Submitted")

    coach.reload()
    coach.get_by_role("button", name="Approve").click()
    expect(coach.locator("#lifecycle")).to_contain_text("Approved")

    page.reload()
    expect(page.locator("#lifecycle")).to_contain_text("Approved plans are read-only")
    sections = page.locator("#overview, #knowledge, #financials, #swot, #goals")
    expect(sections.get_by_role("button", name=re.compile(r"^(Add|Edit)"))).to_have_count(0)
    expect(page.get_by_role("button", name="Add comment")).to_be_visible()  # coaching goes on
    expect(page.get_by_role("button", name="Reopen the plan")).to_be_visible()
    plan.refresh_from_db()
    assert [t.to_status for t in plan.transitions.order_by("at", "id")] == [
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
    ]
