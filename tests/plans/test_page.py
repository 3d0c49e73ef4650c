"""The plan page and its editing in place (plans/views/page.py): every section with its
items and empty states, each write through the views (htmx and plain POST), lost-update
protection (409 with both versions), validation (422), who may see and change what,
and a query count that does not grow with the plan."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Contact
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
)
from plans import services
from plans.models import Goal, KnowledgePoint, Plan, Strategy, SwotItem, Tactic

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
KINDS = {
    "knowledge": KnowledgePoint,
    "swot": SwotItem,
    "goal": Goal,
    "strategy": Strategy,
    "tactic": Tactic,
}


def detail(plan):
    return reverse("plans:detail", args=[plan.pk])


def fields_url(plan, section):
    return reverse("plans:fields", args=[plan.pk, section])


def item_url(plan, kind, item, name="plans:item"):
    return reverse(name, args=[plan.pk, kind, item.pk])


def create_url(plan, kind):
    return reverse("plans:item_create", args=[plan.pk, kind])


def reorder_url(plan, kind):
    return reverse("plans:items_reorder", args=[plan.pk, kind])


def fill(plan, by, *, goals=1, strategies=1, tactics=1):
    """A plan with a knowledge point of each kind, a SWOT item of each kind and a tree of
    goals → strategies → tactics."""
    customer_goal = services.item_create(
        model=KnowledgePoint, by=by, parent=plan, kind="goal", text="Cut energy use by 20 %"
    )
    services.item_create(
        model=KnowledgePoint, by=by, parent=plan, kind="initiative", text="Plant automation"
    )
    services.item_create(
        model=KnowledgePoint, by=by, parent=plan, kind="challenge", text="Skilled labour"
    )
    for kind in ("strength", "weakness", "opportunity", "threat"):
        services.item_create(model=SwotItem, by=by, parent=plan, kind=kind, text=f"A {kind}")
    for g in range(goals):
        goal = services.item_create(
            model=Goal, by=by, parent=plan, text=f"Goal {g}", customer_goal=customer_goal
        )
        for s in range(strategies):
            strategy = services.item_create(
                model=Strategy, by=by, parent=goal, text=f"Strategy {g}.{s}"
            )
            for t in range(tactics):
                services.item_create(
                    model=Tactic,
                    by=by,
                    parent=strategy,
                    text=f"Tactic {g}.{s}.{t}",
                    owner=by,
                    due_date=timezone.localdate() + timedelta(days=30),
                )
    return plan


def first(model, plan):
    path = {Strategy: "goal__plan", Tactic: "strategy__goal__plan"}.get(model, "plan")
    return model.objects.filter(**{path: plan}).order_by("pk").first()


def item_data(kind, plan, item=None, text="New text"):
    """A valid POST for an item of `kind`."""
    data = {"text": text}
    if item is not None:
        data["version"] = item.version
    if kind == "knowledge":
        data["kind"] = item.kind if item else "initiative"
    elif kind == "swot":
        data["kind"] = item.kind if item else "threat"
    elif kind == "goal":
        data["customer_goal"] = ""
    elif kind == "strategy" and item is None:
        data["parent"] = first(Goal, plan).pk
    elif kind == "tactic":
        data.update(
            {
                "owner": plan.account.owner_id,
                "due_date": "2027-03-31",
                "status": "in_progress",
            }
        )
        if item is None:
            data["parent"] = first(Strategy, plan).pk
    return data


def parent_of(kind, plan):
    if kind == "strategy":
        return first(Goal, plan).pk
    if kind == "tactic":
        return first(Strategy, plan).pk
    return ""


# --- The page -------------------------------------------------------------------------------


def test_the_page_shows_every_section_in_order_with_its_items(client_for, plan, owner, account):
    fill(plan, owner)
    services.plan_update(
        plan=plan,
        by=owner,
        version=plan.version,
        overview="Acme is our largest customer in the north.",
        revenue_q1=Decimal("100000"),
        revenue_q2=Decimal("150000"),
        revenue_target=Decimal("1000000"),
        wallet_estimate=Decimal("2500000"),
        margin_target_pct=Decimal("31.5"),
    )
    response = client_for(owner).get(detail(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme Industrial — FY2027 account plan" in html
    assert f'href="{account.get_absolute_url()}"' in html
    positions = [
        html.index(f'id="{section}"')
        for section in (
            "overview",
            "knowledge",
            "financials",
            "swot",
            "goals",
            "alignment",
            "plan-comments",
        )
    ]
    assert positions == sorted(positions)
    for text in (
        "Acme is our largest customer in the north.",
        "Cut energy use by 20 %",
        "Plant automation",
        "Skilled labour",
        "A strength",
        "A weakness",
        "A opportunity",
        "A threat",
        "Goal 0",
        "Strategy 0.0",
        "Tactic 0.0.0",
        "Serves the customer goal “Cut energy use by 20 %”",
        "Olivia Owner",
    ):
        assert text in html, text
    # Financials: the sum of actuals, progress to target, share of wallet.
    assert "250,000" in html
    assert "25.0 %" in html  # 250,000 of 1,000,000
    assert "10.0 %" in html  # 250,000 of 2,500,000
    assert "31.5 %" in html
    assert 'class="swot-grid"' in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_an_overdue_open_tactic_is_marked(client_for, plan, owner):
    fill(plan, owner)
    tactic = first(Tactic, plan)
    services.item_update(
        item=tactic, by=owner, version=tactic.version, due_date=timezone.localdate() - timedelta(1)
    )
    html = client_for(owner).get(detail(plan)).content.decode()
    assert "due overdue" in html and "overdue</time>" in html
    services.item_update(item=tactic, by=owner, version=tactic.version, status="done")
    assert "due overdue" not in client_for(owner).get(detail(plan)).content.decode()


def test_deleted_items_are_left_out(client_for, plan, owner):
    fill(plan, owner)
    services.item_delete(item=first(Goal, plan), by=owner)
    html = client_for(owner).get(detail(plan)).content.decode()
    assert "Goal 0" not in html and "Tactic 0.0.0" not in html


def test_team_alignment_shows_who_covers_which_units_and_decision_makers(
    client_for, plan, owner, teammate, account
):
    unit = BusinessUnitFactory(account=account, name="Rail Systems")
    boss = ContactFactory(
        account=account,
        name="Dana Decider",
        business_unit=unit,
        buying_role=Contact.BuyingRole.DECISION_MAKER,
    )
    weak = ContactFactory(
        account=account,
        name="Walt Weak",
        business_unit=BusinessUnitFactory(account=account, name="Marine"),
    )
    RelationshipFactory(contact=boss, user=teammate, strength=3)
    RelationshipFactory(contact=weak, user=owner, strength=1)
    html = client_for(owner).get(detail(plan)).content.decode()
    section = html[html.index('id="alignment"') :]
    assert "Rail Systems" in section and "Dana Decider" in section
    assert "Marine" not in section and "Walt Weak" not in section  # strength 1 only
    assert "Tom Mate" in section and "Olivia Owner" in section


def test_an_empty_plan_shows_empty_states_with_add_buttons_for_editors(client_for, plan, owner):
    html = client_for(owner).get(detail(plan)).content.decode()
    for text in (
        "No overview yet",
        "No figures yet",
        "No customer goals recorded yet.",
        "No initiatives recorded yet.",
        "No challenges recorded yet.",
        "No strengths yet.",
        "No threats yet.",
        "No goals yet.",
        "Nobody on the team has a relationship of strength 2 or more",
    ):
        assert text in html, text
    for button in (
        "Add an overview",
        "Add financials",
        "+ Add customer goal",
        "+ Add initiative",
        "+ Add challenge",
        "+ Add strength",
        "+ Add weakness",
        "+ Add opportunity",
        "+ Add threat",
        "+ Add goal",
    ):
        assert button in html, button


def test_the_item_urls_built_in_the_templates_are_the_routes(client_for, plan, owner):
    fill(plan, owner)
    html = client_for(owner).get(detail(plan)).content.decode()
    tactic = first(Tactic, plan)
    for name in ("plans:item", "plans:item_delete"):
        assert f'"{item_url(plan, "tactic", tactic, name)}"' in html
    assert f'data-reorder-url="{reorder_url(plan, "tactic")}"' in html
    assert f'"{create_url(plan, "tactic")}?parent={tactic.strategy_id}"' in html


# --- Overview and financials --------------------------------------------------------------


def test_the_overview_form_carries_the_version_it_read(client_for, plan, owner):
    response = client_for(owner).get(fields_url(plan, "overview"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="version" value="1"' in html
    assert "<section" in html and "<html" not in html


@pytest.mark.parametrize("htmx", [True, False])
def test_saving_the_overview(client_for, plan, owner, htmx):
    data = {"overview": "Our biggest account.", "version": plan.version}
    response = client_for(owner).post(fields_url(plan, "overview"), data, **(HTMX if htmx else {}))
    plan.refresh_from_db()
    assert plan.overview == "Our biggest account." and plan.version == 2
    if htmx:
        assert response.status_code == 200
        assert "Our biggest account." in response.content.decode()
        assert "strata:plan-changed" in response["HX-Trigger"]
    else:
        assert response.status_code == 302
        assert response["Location"] == detail(plan) + "#overview"


@pytest.mark.parametrize("htmx", [True, False])
def test_saving_the_financials(client_for, plan, owner, htmx):
    data = {
        "version": plan.version,
        "revenue_q1": "1000",
        "revenue_q2": "2000",
        "revenue_q3": "",
        "revenue_q4": "",
        "revenue_target": "10000",
        "wallet_estimate": "30000",
        "margin_target_pct": "30",
    }
    response = client_for(owner).post(
        fields_url(plan, "financials"), data, **(HTMX if htmx else {})
    )
    assert response.status_code == (200 if htmx else 302)
    plan.refresh_from_db()
    assert (plan.revenue_q1, plan.revenue_q3, plan.revenue_target) == (1000, None, 10000)
    if htmx:
        html = response.content.decode()
        assert "3,000" in html and "30.0 %" in html and "10.0 %" in html


def test_financials_are_validated_with_what_was_typed_kept(client_for, plan, owner):
    data = {"version": plan.version, "revenue_q1": "lots", "margin_target_pct": "140"}
    response = client_for(owner).post(fields_url(plan, "financials"), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="lots"' in html and 'value="140"' in html
    assert "Enter an amount such as 12k, 1.2M or 3,034,500." in html
    assert "less than or equal to 100" in html


@pytest.mark.parametrize("htmx", [True, False])
def test_financials_read_shorthand_and_show_the_currency(client_for, plan, owner, htmx):
    data = {"version": plan.version, "revenue_q1": "12k", "revenue_target": "1.2M"}
    response = client_for(owner).post(
        fields_url(plan, "financials"), data, **(HTMX if htmx else {})
    )
    assert response.status_code == (200 if htmx else 302)
    plan.refresh_from_db()
    assert (plan.revenue_q1, plan.revenue_target) == (Decimal(12_000), Decimal(1_200_000))
    page = client_for(owner).get(detail(plan)).content.decode()
    assert "€12,000" in page and "€1,200,000" in page


def test_a_refused_financial_amount_stays_in_its_input(client_for, plan, owner):
    data = {"version": plan.version, "revenue_q1": "12kk", "revenue_target": "1.2M"}
    response = client_for(owner).post(fields_url(plan, "financials"), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="revenue_q1" value="12kk"' in html and 'value="1.2M"' in html
    assert 'inputmode="decimal"' in html and 'type="number" name="revenue_q1"' not in html
    plan.refresh_from_db()
    assert (plan.revenue_q1, plan.revenue_target) == (None, None)


def test_a_stale_overview_answers_409_with_both_versions(client_for, plan, owner, teammate):
    read = plan.version
    services.plan_update(plan=plan, by=teammate, version=read, overview="Tom's overview.")
    response = client_for(owner).post(
        fields_url(plan, "overview"), {"overview": "Olivia's overview.", "version": read}, **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert "Tom&#x27;s overview." in html and "Olivia&#x27;s overview." in html
    assert "Tom Mate" in html
    assert f'name="version" value="{read + 1}"' in html
    assert re.search(r"<textarea[^>]*>\s*Olivia&#x27;s overview.</textarea>", html)
    plan.refresh_from_db()
    assert plan.overview == "Tom's overview."


def test_an_unknown_section_is_404(client_for, plan, owner):
    assert client_for(owner).get(fields_url(plan, "status")).status_code == 404


# --- Items: add, edit, delete and undo, reorder, for each kind ------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("htmx", [True, False])
def test_adding_an_item(client_for, plan, owner, kind, htmx):
    fill(plan, owner)
    model = KINDS[kind]
    before = set(model.objects.values_list("pk", flat=True))
    client = client_for(owner)
    form = client.get(create_url(plan, kind) + f"?parent={parent_of(kind, plan)}", **HTMX)
    assert form.status_code == 200 and 'name="text"' in form.content.decode()
    response = client.post(
        create_url(plan, kind), item_data(kind, plan, text="Brand new"), **(HTMX if htmx else {})
    )
    new = model.objects.exclude(pk__in=before).get()
    assert new.text == "Brand new"
    if htmx:
        assert response.status_code == 200
        assert "Brand new" in response.content.decode()
        assert response["HX-Retarget"].startswith("#")
        assert "strata:reopen-add" in response["HX-Trigger-After-Settle"]
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(detail(plan) + "#")


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("htmx", [True, False])
def test_editing_an_item(client_for, plan, owner, kind, htmx):
    fill(plan, owner)
    item = first(KINDS[kind], plan)
    client = client_for(owner)
    form = client.get(item_url(plan, kind, item), **HTMX)
    assert form.status_code == 200
    assert f'name="version" value="{item.version}"' in form.content.decode()
    response = client.post(
        item_url(plan, kind, item), item_data(kind, plan, item, "Edited"), **(HTMX if htmx else {})
    )
    item.refresh_from_db()
    assert item.text == "Edited" and item.version == 2
    if htmx:
        assert response.status_code == 200 and "Edited" in response.content.decode()
        assert f'id="{kind}-{item.pk}-row"' in response.content.decode()
    else:
        assert response.status_code == 302


def test_cancel_answers_the_row_as_it_is(client_for, plan, owner):
    fill(plan, owner)
    tactic = first(Tactic, plan)
    response = client_for(owner).get(item_url(plan, "tactic", tactic) + "?cancel=1", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tactic 0.0.0" in html and "<form" not in html and "<html" not in html


def test_without_javascript_edit_opens_a_page_with_the_form_and_delete(client_for, plan, owner):
    fill(plan, owner)
    tactic = first(Tactic, plan)
    response = client_for(owner).get(item_url(plan, "tactic", tactic))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'name="version" value="1"' in html and "Tactic 0.0.0</textarea>" in html
    assert f'action="{item_url(plan, "tactic", tactic, "plans:item_delete")}"' in html


def test_a_tactic_saves_owner_due_date_and_status(client_for, plan, owner, teammate):
    fill(plan, owner)
    tactic = first(Tactic, plan)
    data = {
        "text": "Run the workshop",
        "owner": teammate.pk,
        "due_date": "2027-02-01",
        "status": "done",
        "version": tactic.version,
    }
    response = client_for(owner).post(item_url(plan, "tactic", tactic), data, **HTMX)
    assert response.status_code == 200
    tactic.refresh_from_db()
    assert (tactic.owner, str(tactic.due_date), tactic.status) == (teammate, "2027-02-01", "done")
    html = response.content.decode()
    assert "Tom Mate" in html and "Done" in html and "1 Feb 2027" in html


def test_moving_a_knowledge_point_to_another_kind_answers_the_whole_section(
    client_for, plan, owner
):
    fill(plan, owner)
    point = KnowledgePoint.objects.get(plan=plan, kind="challenge")
    data = {"text": point.text, "kind": "initiative", "version": point.version}
    response = client_for(owner).post(item_url(plan, "knowledge", point), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#knowledge-body"
    assert "No challenges recorded yet." in response.content.decode()


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("htmx", [True, False])
def test_delete_and_undo(client_for, plan, owner, kind, htmx):
    fill(plan, owner)
    item = first(KINDS[kind], plan)
    client = client_for(owner)
    extra = HTMX if htmx else {}
    response = client.post(item_url(plan, kind, item, "plans:item_delete"), **extra)
    item.refresh_from_db()
    assert item.deleted_at is not None
    restore = item_url(plan, kind, item, "plans:item_restore")
    if htmx:
        html = response.content.decode()
        assert response.status_code == 200
        assert "Deleted" in html and "Undo" in html and f'hx-post="{restore}"' in html
    else:
        assert response.status_code == 302
    response = client.post(restore, **extra)
    item.refresh_from_db()
    assert item.deleted_at is None
    if htmx:
        assert item.text in response.content.decode()
        assert f'id="{kind}-{item.pk}"' in response.content.decode()


def test_undo_brings_a_goal_back_with_its_strategies_and_tactics(client_for, plan, owner):
    fill(plan, owner)
    goal = first(Goal, plan)
    client = client_for(owner)
    client.post(item_url(plan, "goal", goal, "plans:item_delete"), **HTMX)
    html = client.post(item_url(plan, "goal", goal, "plans:item_restore"), **HTMX)
    assert "Strategy 0.0" in html.content.decode() and "Tactic 0.0.0" in html.content.decode()


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("htmx", [True, False])
def test_reordering(client_for, plan, owner, kind, htmx):
    fill(plan, owner, goals=2, strategies=2, tactics=2)
    model = KINDS[kind]
    parent = parent_of(kind, plan)
    siblings = {
        "strategy": {"goal_id": parent},
        "tactic": {"strategy_id": parent},
    }.get(kind, {"plan": plan})
    ids = list(model.objects.filter(**siblings, deleted_at=None).values_list("pk", flat=True))
    reversed_ids = ids[::-1]
    data = {"ids": ",".join(map(str, reversed_ids)), "parent": parent}
    response = client_for(owner).post(reorder_url(plan, kind), data, **(HTMX if htmx else {}))
    assert response.status_code == (200 if htmx else 302)
    assert (
        list(
            model.objects.filter(**siblings, deleted_at=None)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        == reversed_ids
    )


def test_reordering_with_the_ids_as_a_list(client_for, plan, owner):
    fill(plan, owner, goals=3)
    ids = list(Goal.objects.filter(plan=plan).values_list("pk", flat=True))
    response = client_for(owner).post(
        reorder_url(plan, "goal"), {"ids": [ids[1], ids[0], ids[2]]}, **HTMX
    )
    assert response.status_code == 200
    assert list(Goal.objects.filter(plan=plan).values_list("pk", flat=True)) == [
        ids[1],
        ids[0],
        ids[2],
    ]


def test_a_reorder_of_a_list_that_changed_answers_409_with_the_list_as_it_is(
    client_for, plan, owner
):
    fill(plan, owner, goals=2)
    ids = list(Goal.objects.filter(plan=plan).values_list("pk", flat=True))
    response = client_for(owner).post(reorder_url(plan, "goal"), {"ids": str(ids[0])}, **HTMX)
    assert response.status_code == 409
    assert "The list changed" in response.content.decode()
    assert "Goal 1" in response.content.decode()


# --- No lost updates ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_stale_item_answers_409_with_both_versions_and_the_typed_text(
    client_for, plan, owner, teammate, kind
):
    fill(plan, owner)
    item = first(KINDS[kind], plan)
    read = item.version
    services.item_update(item=item, by=teammate, version=read, text="Tom was here first")
    data = item_data(kind, plan, item, "Olivia typed this")
    data["version"] = read
    client = client_for(owner)
    response = client.post(item_url(plan, kind, item), data, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert "Tom was here first" in html and "Tom Mate" in html
    assert re.search(r"<textarea[^>]*>\s*Olivia typed this</textarea>", html)
    assert f'name="version" value="{read + 1}"' in html
    item.refresh_from_db()
    assert item.text == "Tom was here first"
    # Saving again, with the version the conflict showed, overwrites deliberately.
    data["version"] = read + 1
    assert client.post(item_url(plan, kind, item), data, **HTMX).status_code == 200
    item.refresh_from_db()
    assert item.text == "Olivia typed this"
    texts = list(
        KINDS[kind]
        .history.filter(id=item.pk)
        .order_by("history_date")
        .values_list("text", flat=True)
    )
    assert "Tom was here first" in texts and texts[-1] == "Olivia typed this"


def test_a_stale_save_without_htmx_answers_409_on_a_page_of_its_own(
    client_for, plan, owner, teammate
):
    fill(plan, owner)
    item = first(Goal, plan)
    services.item_update(item=item, by=teammate, version=1, text="Tom's goal")
    response = client_for(owner).post(
        item_url(plan, "goal", item), {"text": "Mine", "version": 1, "customer_goal": ""}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html and "Someone else changed this" in html and "Tom&#x27;s goal" in html


# --- Validation --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_empty_text_answers_422_with_the_rest_kept(client_for, plan, owner, kind):
    fill(plan, owner)
    item = first(KINDS[kind], plan)
    data = item_data(kind, plan, item, "")
    response = client_for(owner).post(item_url(plan, kind, item), data, **HTMX)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    response = client_for(owner).post(
        create_url(plan, kind), item_data(kind, plan, text=""), **HTMX
    )
    assert response.status_code == 422


def test_a_bad_due_date_answers_422_with_the_typed_text_kept(client_for, plan, owner):
    fill(plan, owner)
    tactic = first(Tactic, plan)
    data = {"text": "Keep me", "due_date": "someday", "status": "open", "version": 1}
    response = client_for(owner).post(item_url(plan, "tactic", tactic), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Keep me</textarea>" in html and "Enter a valid date." in html


def test_a_tactic_owner_must_be_on_the_team(client_for, plan, owner, outsider):
    fill(plan, owner)
    tactic = first(Tactic, plan)
    data = {"text": "X", "owner": outsider.pk, "status": "open", "version": 1}
    response = client_for(owner).post(item_url(plan, "tactic", tactic), data, **HTMX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_a_goal_serves_a_customer_goal_of_this_plan_only(client_for, plan, owner, outsider):
    fill(plan, owner)
    other = services.plan_create(account=outsider.owned_accounts.get(), by=outsider, period=2027)
    foreign = services.item_create(
        model=KnowledgePoint, by=outsider, parent=other, kind="goal", text="Not yours"
    )
    data = {"text": "Goal", "customer_goal": foreign.pk}
    response = client_for(owner).post(create_url(plan, "goal"), data, **HTMX)
    assert response.status_code == 422


# --- Who may do what -----------------------------------------------------------------------


def every_write(plan):
    """Each write of the page, as (url, data)."""
    fill(plan, plan.account.owner)
    writes = [
        (fields_url(plan, "overview"), {"overview": "x", "version": plan.version}),
        (fields_url(plan, "financials"), {"revenue_q1": "1", "version": plan.version}),
    ]
    for kind, model in KINDS.items():
        item = first(model, plan)
        writes += [
            (create_url(plan, kind), item_data(kind, plan, text="x")),
            (item_url(plan, kind, item), item_data(kind, plan, item, "x")),
            (item_url(plan, kind, item, "plans:item_delete"), {}),
            (item_url(plan, kind, item, "plans:item_restore"), {}),
            (reorder_url(plan, kind), {"ids": str(item.pk), "parent": parent_of(kind, plan)}),
        ]
    return writes


def edit_forms(plan):
    urls = [fields_url(plan, "overview"), fields_url(plan, "financials")]
    for kind, model in KINDS.items():
        urls += [item_url(plan, kind, first(model, plan)), create_url(plan, kind)]
    return urls


@pytest.mark.parametrize("role", ["owner", "teammate", "admin_user"])
def test_the_team_and_admins_edit(request, client_for, plan, role):
    user = request.getfixturevalue(role)
    fill(plan, plan.account.owner)
    client = client_for(user)
    html = client.get(detail(plan)).content.decode()
    assert "data-move" in html and "+ Add goal" in html and "Delete</button>" in html
    tactic = first(Tactic, plan)
    response = client.post(
        item_url(plan, "tactic", tactic), item_data("tactic", plan, tactic, "By me"), **HTMX
    )
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["manager", "executive"])
def test_read_only_roles_see_no_edit_affordances_and_get_403_on_every_write(
    request, client_for, plan, role
):
    user = request.getfixturevalue(role)
    writes = every_write(plan)
    client = client_for(user)
    response = client.get(detail(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tactic 0.0.0" in html
    for affordance in ("data-move", "+ Add", "Delete</button>", "hx-post", "Edit overview"):
        assert affordance not in html, affordance
    assert 'role="button"' not in html
    for url, data in writes:
        assert client.post(url, data, **HTMX).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    for url in edit_forms(plan):
        assert client.get(url, **HTMX).status_code == 403, url


def test_an_approved_plan_is_read_only_even_for_its_team(client_for, plan, owner):
    writes = every_write(plan)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    client = client_for(owner)
    html = client.get(detail(plan)).content.decode()
    assert "data-move" not in html and "+ Add" not in html
    for url, data in writes:
        assert client.post(url, data, **HTMX).status_code == 403, url


def test_an_outsider_gets_404_everywhere(client_for, plan, outsider):
    writes = every_write(plan)
    client = client_for(outsider)
    assert client.get(detail(plan)).status_code == 404
    for url in edit_forms(plan):
        assert client.get(url, **HTMX).status_code == 404, url
        assert client.get(url + "?cancel=1", **HTMX).status_code == 404, url
    for url, data in writes:
        assert client.post(url, data, **HTMX).status_code == 404, url


def test_an_item_of_another_plan_is_404(client_for, plan, owner, outsider):
    fill(plan, owner)
    other = services.plan_create(account=outsider.owned_accounts.get(), by=outsider, period=2027)
    foreign_goal = services.item_create(model=Goal, by=outsider, parent=other, text="Theirs")
    mine_too = services.plan_create(
        account=AccountFactory(name="Also mine", owner=owner), by=owner, period=2027
    )
    client = client_for(owner)
    for target_plan in (plan, mine_too):
        for name in ("plans:item", "plans:item_delete", "plans:item_restore"):
            url = reverse(name, args=[target_plan.pk, "goal", foreign_goal.pk])
            method = client.get if name == "plans:item" else client.post
            assert method(url, **HTMX).status_code == 404
    # A strategy added under a goal of another plan.
    response = client.post(
        create_url(plan, "strategy"), {"text": "x", "parent": foreign_goal.pk}, **HTMX
    )
    assert response.status_code == 404
    # A goal of this plan asked for through another plan of the same user.
    goal = first(Goal, plan)
    assert client.get(item_url(mine_too, "goal", goal), **HTMX).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/plans/99999999999999999999/",
        "/plans/99999999999999999999/fields/overview/",
        "/plans/{plan}/items/goal/99999999999999999999/",
        "/plans/{plan}/items/widget/1/",
        "/plans/{plan}/items/widget/new/",
    ],
)
def test_a_huge_id_or_unknown_kind_is_404(client_for, plan, owner, url):
    assert client_for(owner).get(url.format(plan=plan.pk)).status_code == 404


def test_a_reorder_with_a_huge_parent_id_is_404(client_for, plan, owner):
    response = client_for(owner).post(
        reorder_url(plan, "tactic"), {"ids": "1", "parent": "99999999999999999999"}, **HTMX
    )
    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_the_login(client, plan):
    response = client.get(detail(plan))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- Queries ------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_the_plan(client_for, owner, teammate, account):
    small = fill(services.plan_create(account=account, by=owner, period=2027), owner)
    big = fill(
        services.plan_create(account=account, by=owner, period=2028),
        owner,
        goals=4,
        strategies=3,
        tactics=3,
    )
    for _ in range(3):
        RelationshipFactory(
            contact=ContactFactory(
                account=account,
                business_unit=BusinessUnitFactory(account=account),
                buying_role=Contact.BuyingRole.DECISION_MAKER,
            ),
            user=teammate,
            strength=3,
        )
    client = client_for(owner)
    count_queries(client, detail(small))  # warm the session
    assert count_queries(client, detail(small)) == count_queries(client, detail(big))
