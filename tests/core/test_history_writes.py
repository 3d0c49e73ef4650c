"""Every write path leaves history with its actor and its account (DESIGN §11): the
API in a request, the services outside one, the bulk paths (imports, offboarding, plan
carry-over, reordering, new scorecards) and a purge."""

import pytest

from accounts_app.models import Account, BusinessUnit, Contact, Relationship, TeamMember
from accounts_app.services import account_purge, team_member_make_owner
from demo.factories import (
    ContactFactory,
    GoalFactory,
    MetricFactory,
    OpportunityFactory,
    RelationshipFactory,
    ReviewActionItemFactory,
    ScorecardFactory,
    StrategyFactory,
    TacticFactory,
    UserFactory,
)
from insights.offboarding import user_offboard
from opportunities.models import Opportunity
from plans.models import Plan, ReviewActionItem, Strategy, Tactic
from plans.services import items_reorder, plan_clone
from scorecards.models import ScorecardLine
from scorecards.services import scorecard_create

pytestmark = pytest.mark.django_db


def last(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_date", "-history_id").first()


def test_an_api_change_is_recorded_with_who_and_old_and_new(api_for, owner, account):
    response = api_for(owner).patch(
        f"/api/v1/accounts/{account.pk}/", {"strategic_value": 5}, format="json"
    )
    assert response.status_code == 200, response.json()
    before, after = account.history.order_by("history_date", "history_id")[:2]
    assert after.history_type == "~" and after.history_user == owner
    assert (before.strategic_value, after.strategic_value) == (3, 5)
    assert after.history_account_id == account.pk


def test_records_deep_under_an_account_know_their_account(owner, account, plan):
    tactic = TacticFactory(strategy__goal__plan=plan, owner=owner)
    contact = ContactFactory(account=account)
    relationship = RelationshipFactory(contact=contact, user=owner, strength=2)
    for record in (tactic, contact, relationship):
        row = last(type(record), id=record.pk)
        assert row.history_type == "+" and row.history_account_id == account.pk


def test_an_import_records_each_row_by_the_importer(run_import, admin_user, account, teammate):
    text = (
        "External id,Name,Parent,Industry,Region,Business units,Owner\n"
        "G1,Globex Group,,Manufacturing,Germany,Rail; Power,teammate\n"
        "G2,Globex Rail,G1,Retail,Germany,,\n"
    )
    job = run_import(admin_user, "accounts", text, apply=True)
    assert job.status == "done", job.message
    group, rail = Account.objects.get(external_id="G1"), Account.objects.get(external_id="G2")
    for account_row in (group, rail):
        rows = list(Account.history.filter(id=account_row.pk))
        assert rows and {r.history_user for r in rows} == {admin_user}
    assert last(Account, id=rail.pk).parent_id == group.pk  # the link, recorded
    assert last(Account, id=group.pk).owner_id == teammate.pk
    units = BusinessUnit.history.filter(history_account_id=group.pk)
    assert sorted(units.values_list("name", flat=True)) == ["Power", "Rail"]
    assert {u.history_user for u in units} == {admin_user}
    owner_row = last(TeamMember, account_id=group.pk)
    assert (owner_row.history_user, owner_row.role) == (admin_user, TeamMember.Role.OWNER)

    contacts = (
        "External id,Account,Name,Reports to\nB-1,Globex Group,Boss,\nB-2,Globex Group,Ann,B-1\n"
    )
    run_import(admin_user, "contacts", contacts, apply=True)
    ann = Contact.objects.get(external_id="B-2")
    row = last(Contact, id=ann.pk)
    assert row.reports_to_id == Contact.objects.get(external_id="B-1").pk
    assert row.history_user == admin_user and row.history_account_id == group.pk


def test_an_import_update_is_a_change_by_the_importer(run_import, owner, teammate, account):
    text = "Account,User,Role\nAcme Industrial,teammate,Owner\n"
    run_import(owner, "team-members", text, apply=True)
    teammate_row = last(TeamMember, user_id=teammate.pk, account_id=account.pk)
    owner_row = last(TeamMember, user_id=owner.pk, account_id=account.pk)
    assert (teammate_row.history_type, teammate_row.role) == ("~", TeamMember.Role.OWNER)
    assert (owner_row.role, owner_row.history_user) == (TeamMember.Role.SALES, owner)
    assert last(Account, id=account.pk).owner_id == teammate.pk


def test_offboarding_records_every_hand_over_by_the_admin(
    admin_user, owner, account, plan, seeded_stages_and_criteria
):
    tactic = TacticFactory(strategy__goal__plan=plan, owner=owner, status="open")
    action = ReviewActionItemFactory(review__account=account, owner=owner)
    deal = OpportunityFactory(account=account, owner=owner)
    successor = UserFactory(username="sam")

    user_offboard(user=owner, successor=successor, by=admin_user)

    for model, pk, field in (
        (Account, account.pk, "owner_id"),
        (Tactic, tactic.pk, "owner_id"),
        (ReviewActionItem, action.pk, "owner_id"),
        (Opportunity, deal.pk, "owner_id"),
    ):
        row = last(model, id=pk)
        assert (row.history_user, getattr(row, field)) == (admin_user, successor.pk), model
        assert row.history_account_id == account.pk
    assert last(TeamMember, user_id=owner.pk).role == TeamMember.Role.SALES
    assert last(TeamMember, user_id=successor.pk).history_user == admin_user


def test_bulk_writes_of_plans_and_scorecards_record_their_actor(owner, account, plan):
    goal = GoalFactory(plan=plan)
    first, second = StrategyFactory(goal=goal), StrategyFactory(goal=goal)
    TacticFactory(strategy=first, owner=owner, status="open")

    items_reorder(model=Strategy, by=owner, parent=goal, ids=[second.pk, first.pk])
    moved = last(Strategy, id=first.pk)
    assert (moved.history_type, moved.history_user, moved.position) == ("~", owner, 2)
    assert moved.history_account_id == account.pk

    carried = plan_clone(plan=plan, by=owner)
    assert Plan.history.filter(id=carried.pk, history_user=owner).exists()
    new_tactics = Tactic.objects.filter(strategy__goal__plan=carried)
    assert new_tactics.exists()
    for tactic in new_tactics:
        row = last(Tactic, id=tactic.pk)
        assert (row.history_user, row.history_account_id) == (owner, account.pk)

    metric = MetricFactory()
    previous = ScorecardFactory(account=account, by=owner, metrics=[metric])
    later = previous.period_start.replace(year=previous.period_start.year + 1)
    card = scorecard_create(account=account, by=owner, period_start=later)
    lines = ScorecardLine.history.filter(scorecard_id=card.pk)
    assert lines.count() == 1 and lines.get().history_user == owner
    assert lines.get().history_account_id == account.pk


def test_a_service_outside_a_request_records_its_by(owner, teammate, account):
    member = account.team_members.get(user=teammate)
    team_member_make_owner(member=member, by=owner)  # no request: a command, a worker
    stepped_down = last(TeamMember, user_id=owner.pk, account_id=account.pk)
    assert (stepped_down.role, stepped_down.history_user) == (TeamMember.Role.SALES, owner)
    assert last(TeamMember, id=member.pk).history_user == owner
    assert last(Account, id=account.pk).history_user == owner


def test_a_purge_leaves_the_deletions_in_the_history_by_the_admin(admin_user, owner, account):
    child = Account.objects.create(
        name="Acme Child", parent=account, industry=account.industry, region=account.region
    )
    contact = ContactFactory(account=account)
    RelationshipFactory(contact=contact, user=owner)
    account_id = account.pk
    account_purge(account=account, by=admin_user, confirm=account.name)

    assert last(Account, id=child.pk).parent_id is None
    assert last(Account, id=child.pk).history_user == admin_user
    for model, lookup in ((Account, {"id": account_id}), (Contact, {"id": contact.pk})):
        gone = last(model, **lookup)
        assert (gone.history_type, gone.history_user) == ("-", admin_user)
    assert last(Relationship, contact_id=contact.pk).history_type == "-"
