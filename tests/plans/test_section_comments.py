"""Coaching comments next to the section they are about (DESIGN §12): written from
under the section, shown there while unresolved, and back there after the save."""

import re

import pytest

from demo.factories import PlanFactory
from plans import services

pytestmark = pytest.mark.django_db


def test_a_comment_written_under_a_section_is_shown_there(client_for, manager, owner, account):
    plan = PlanFactory(account=account)
    client = client_for(manager)
    response = client.post(
        f"/plans/{plan.pk}/comments/",
        {"section": "swot", "text": "Which threat worries the CFO most?", "beside": "1"},
    )
    assert response["Location"] == f"/plans/{plan.pk}/#swot-comments"
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    beside = re.search(
        r'<details class="section-comments" id="swot-comments" open>(.*?)</details>', html, re.S
    )
    assert beside and "Which threat worries the CFO most?" in beside.group(1)
    assert "1 open comment on the SWOT" in beside.group(1)
    # Other sections offer a box, with nothing in it.
    goals = re.search(r'id="goals-comments">(.*?)</details>', html, re.S).group(1)
    assert "Comment on the goals, strategies and tactics" in goals and "CFO" not in goals


def test_a_resolved_comment_leaves_the_section(client_for, manager, owner, account):
    plan = PlanFactory(account=account)
    comment = services.comment_add(plan=plan, by=manager, section="goals", text="Date them.")
    services.comment_resolve(comment=comment, by=owner, resolved=True)
    html = client_for(owner).get(f"/plans/{plan.pk}/").content.decode()
    goals = re.search(r'id="goals-comments">(.*?)</details>', html, re.S).group(1)
    assert "Date them." not in goals


def test_a_comment_from_the_list_goes_back_to_the_list(client_for, manager, account):
    plan = PlanFactory(account=account)
    response = client_for(manager).post(
        f"/plans/{plan.pk}/comments/", {"section": "general", "text": "Overall: good."}
    )
    assert response["Location"] == f"/plans/{plan.pk}/#comments"
