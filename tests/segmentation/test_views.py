"""The segmentation pages: the model and runs (admins only) and the account's Tier tab
(everyone who may see the account; overrides by its managers and admins)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts_app.models import TeamMember
from core.periods import fiscal_year
from demo.factories import (
    AccountFactory,
    TeamMemberFactory,
    TierAssignmentFactory,
    TierFactory,
    UserFactory,
)
from segmentation import services
from segmentation.models import (
    Criterion,
    SegmentationRun,
    Tier,
    TierAssignment,
    TierChange,
)

pytestmark = pytest.mark.django_db


def names():
    return list(Tier.objects.order_by("rank").values_list("name", flat=True))


def text(response):
    """The page's visible text, tags stripped and whitespace folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


TIER_FORM = {
    "name": "Watch list",
    "position": "3",
    "description": "High margin, watched closely",
    "threshold_margin": "90",
    "cap": "",
    "external_review_days": "120",
    "internal_review_days": "",
    "rpi_target": "",
    "service_level": "Watched",
    "required_team_roles": ["service"],
}


# --- The model (admins only) -----------------------------------------------------------

MODEL_URLS = [
    ("get", "segmentation:model", {}),
    ("post", "segmentation:model", {}),
    ("get", "segmentation:tier_create", {}),
    ("post", "segmentation:preset", {}),
    ("get", "segmentation:runs", {}),
    ("post", "segmentation:runs", {}),
]


@pytest.mark.parametrize("role", ["owner", "manager", "executive"])
@pytest.mark.parametrize(("method", "url_name", "kwargs"), MODEL_URLS)
def test_only_admins_reach_the_model_and_runs(client_for, request, role, method, url_name, kwargs):
    client = client_for(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs), {"dry_run": "false"})
    assert response.status_code == 403
    assert not SegmentationRun.objects.exists()


@pytest.mark.parametrize("role", ["owner", "manager", "executive"])
@pytest.mark.parametrize("url_name", ["tier_edit", "tier_move", "tier_delete"])
def test_only_admins_edit_move_or_delete_a_tier(client_for, request, role, url_name):
    pk = TierFactory(name="Tier I").pk
    client = client_for(request.getfixturevalue(role))
    assert (
        client.post(
            reverse(f"segmentation:{url_name}", args=[pk]), {"direction": "down"}
        ).status_code
        == 403
    )
    assert names() == ["Tier I", "Tier II", "Tier III"]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("segmentation:model"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_model_page_shows_weights_rules_and_servicing(client_for, admin_user):
    page = text(client_for(admin_user).get(reverse("segmentation:model")))
    assert "Revenue ≥ 80 or Strategic value ≥ 75" in page
    assert "Growth potential ≥ 70 or Lifetime value ≥ 70" in page
    assert "Every remaining account (catch-all)" in page
    assert "Needs: Executive sponsor" in page
    assert "External review every 90 days" in page


def test_saving_weights(client_for, admin_user):
    client = client_for(admin_user)
    data = {f"weight_{c.key}": "1" for c in Criterion.objects.all()}
    response = client.post(
        reverse("segmentation:model"),
        {**data, "weight_strategic": "3", "expected_years": "7", "scheduled_apply": "on"},
        follow=True,
    )
    assert "Scoring saved" in text(response)
    assert Criterion.objects.get(key="strategic").weight == 3
    settings_row = services.SegmentationSettings.load()
    assert (settings_row.expected_years, settings_row.scheduled_apply) == (7, True)


def test_bad_weights_show_errors_keep_what_was_typed_and_change_nothing(client_for, admin_user):
    client = client_for(admin_user)
    zero = {f"weight_{c.key}": "0" for c in Criterion.objects.all()}
    response = client.post(reverse("segmentation:model"), {**zero, "expected_years": "5"})
    assert "At least one criterion needs a weight above zero." in text(response)
    response = client.post(
        reverse("segmentation:model"),
        {**zero, "weight_revenue": "-2", "weight_margin": "4", "expected_years": "5"},
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in text(response)
    assert 'value="-2"' in response.content.decode() and 'value="4"' in response.content.decode()
    assert set(Criterion.objects.values_list("weight", flat=True)) == {Decimal(1)}


def test_adding_a_tier(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("segmentation:tier_create"), TIER_FORM, follow=True
    )
    assert "Tier “Watch list” added." in text(response)
    assert names() == ["Tier I", "Tier II", "Watch list", "Tier III"]
    created = TierFactory(name="Watch list")
    assert [(c.criterion, c.threshold) for c in created.conditions.all()] == [
        ("margin", Decimal(90))
    ]
    assert created.required_team_roles == ["service"] and created.external_review_days == 120


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"threshold_margin": ""}, "Exactly one tier must be the catch-all"),
        ({"threshold_margin": "150"}, "Ensure this value is less than or equal to 100."),
        ({"name": "tier ii"}, "There is already a tier called “tier ii”."),
        ({"position": "4"}, "The catch-all tier must come last."),
        ({"rpi_target": "150"}, "less than or equal to 100"),
    ],
)
def test_an_invalid_tier_is_refused_with_the_reason_and_the_typing_kept(
    client_for, admin_user, change, message
):
    response = client_for(admin_user).post(
        reverse("segmentation:tier_create"), {**TIER_FORM, **change}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert "High margin, watched closely" in response.content.decode()
    assert names() == ["Tier I", "Tier II", "Tier III"]


def test_editing_a_tier_rule(client_for, admin_user):
    tier_one = TierFactory(name="Tier I")
    response = client_for(admin_user).get(reverse("segmentation:tier_edit", args=[tier_one.pk]))
    assert 'name="threshold_revenue"' in response.content.decode()
    assert 'value="80"' in response.content.decode()
    response = client_for(admin_user).post(
        reverse("segmentation:tier_edit", args=[tier_one.pk]),
        {
            "name": "Tier I",
            "position": "1",
            "threshold_revenue": "90",
            "cap": "25",
            "plan_required": "on",
            "required_team_roles": ["executive_sponsor"],
        },
    )
    assert response.status_code == 302
    tier_one.refresh_from_db()
    assert [(c.criterion, c.threshold) for c in tier_one.conditions.all()] == [
        ("revenue", Decimal(90))
    ]
    assert tier_one.cap == 25


def test_moving_and_deleting_tiers(client_for, admin_user):
    client = client_for(admin_user)
    client.post(
        reverse("segmentation:tier_move", args=[TierFactory(name="Tier II").pk]),
        {"direction": "up"},
    )
    assert names() == ["Tier II", "Tier I", "Tier III"]
    response = client.post(
        reverse("segmentation:tier_move", args=[TierFactory(name="Tier III").pk]),
        {"direction": "up"},
        follow=True,
    )
    assert "The catch-all tier must come last." in text(response)
    TierAssignmentFactory(account=AccountFactory(), tier=TierFactory(name="Tier I"))
    response = client.post(
        reverse("segmentation:tier_delete", args=[TierFactory(name="Tier I").pk]), follow=True
    )
    assert "1 account is in “Tier I”" in text(response)
    client.post(reverse("segmentation:tier_delete", args=[TierFactory(name="Tier II").pk]))
    assert names() == ["Tier I", "Tier III"]


def test_choosing_a_preset(client_for, admin_user):
    client = client_for(admin_user)
    client.post(reverse("segmentation:preset"), {"preset": "key-strategic-marginal"})
    assert names() == ["Key", "Strategic", "Marginal"]
    TierAssignmentFactory(account=AccountFactory(), tier=TierFactory(name="Key"))
    page = text(client.get(reverse("segmentation:model")))
    assert "a preset can no longer replace them" in page
    response = client.post(reverse("segmentation:preset"), {"preset": "tiers"})
    assert "already placed" in text(response)
    assert names() == ["Key", "Strategic", "Marginal"]


# --- Runs ----------------------------------------------------------------------------


@pytest.fixture
def accounts(owner):
    # No wallet or margin recorded: growth and lifetime value tie (50 each), below 70.
    facts = {"wallet_estimate": None, "gross_margin_pct": None, "owner": owner}
    big = AccountFactory(name="Big Co", annual_revenue=900, strategic_value=2, **facts)
    small = AccountFactory(name="Small Co", annual_revenue=10, strategic_value=1, **facts)
    return big, small


def test_a_dry_run_from_the_page_lists_changes_then_applying_writes_them(
    client_for, admin_user, accounts, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("segmentation:runs"), {"dry_run": "true"})
    run = SegmentationRun.objects.get()
    assert response["Location"] == reverse("segmentation:run", args=[run.pk])
    page = text(client.get(response["Location"]))
    assert "Dry run #" in page and "Apply these changes" in page
    assert "Big Co — Tier I" in page and "Small Co — Tier III" in page
    assert "Not yet tiered → Tier I 1" in page
    assert not TierAssignment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("segmentation:runs"), {"dry_run": "false"})
    applied = SegmentationRun.objects.first()
    assert applied.dry_run is False and applied.status == "done"
    assert dict(TierAssignment.objects.values_list("account__name", "tier__name")) == {
        "Big Co": "Tier I",
        "Small Co": "Tier III",
    }
    runs_page = text(client.get(reverse("segmentation:runs")))
    assert "Applied" in runs_page and "Dry run" in runs_page


def test_a_run_in_progress_polls_and_blocks_another(client_for, admin_user):
    client = client_for(admin_user)
    run = SegmentationRun.objects.create(
        status="running", total=10_000, processed=3_000, started_by=admin_user
    )
    response = client.get(reverse("segmentation:run", args=[run.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and "3,000 of 10,000 accounts" in text(response)
    fragment = client.get(reverse("segmentation:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and 'id="runbody"' in fragment.content.decode()
    response = client.post(reverse("segmentation:runs"), {"dry_run": "true"}, follow=True)
    assert f"Run #{run.pk} is still running" in text(response)
    assert SegmentationRun.objects.count() == 1
    run.status = "done"
    run.save()
    done = client.get(reverse("segmentation:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode()


def test_the_changes_filter_and_the_failed_run(client_for, admin_user, accounts):
    big, small = accounts
    run = SegmentationRun.objects.create(
        status="done",
        total=2,
        processed=2,
        changes=[
            {
                "account": big.pk,
                "from_tier": "Tier II",
                "to_tier": "Tier I",
                "scores": {},
                "composite": 50.0,
                "capped": False,
                "overridden": True,
            },
            {
                "account": small.pk,
                "from_tier": "Tier I",
                "to_tier": "Tier II",
                "scores": {},
                "composite": 10.0,
                "capped": True,
                "overridden": False,
            },
        ],
    )
    client = client_for(admin_user)
    url = reverse("segmentation:run", args=[run.pk])
    overridden = text(client.get(url, {"show": "overridden"}))
    assert "Big Co" in overridden and "Small Co" not in overridden
    capped = text(client.get(url, {"show": "capped"}))
    assert "Small Co" in capped and "Big Co" not in capped
    assert client.get(url, {"show": "nonsense", "page": "x"}).status_code == 200
    failed = SegmentationRun.objects.create(
        status="failed", error="At least one criterion needs a weight above zero."
    )
    assert "The run failed. At least one criterion" in text(
        client.get(reverse("segmentation:run", args=[failed.pk]))
    )
    assert client.get(reverse("segmentation:run", args=[987654])).status_code == 404


# --- The account's Tier tab ----------------------------------------------------------


def test_the_tier_tab_shows_tier_breakdown_servicing_gaps_and_history(
    client_for, owner, account, manager
):
    services.tier_pin(
        account=account, tier=TierFactory(name="Tier I"), reason="Board mandate", by=manager
    )
    assignment = account.tier_assignment
    assignment.scores = {
        "revenue": 90.0,
        "growth": 40.0,
        "margin": 60.0,
        "lifetime_value": 80.0,
        "strategic": 50.0,
    }
    assignment.composite = Decimal("64.00")
    assignment.save()
    response = client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk]))
    page = text(response)
    assert "Tier I Pinned by override" in page
    assert "Composite score 64.0 / 100" in page
    # equal weights: each criterion is 20% of the composite; revenue 90 → 18 points
    assert "Revenue 90.0 1 (20%) 18.0" in page
    assert "Override: Board mandate" in page and "Set by Maya Manager" in page
    year = fiscal_year()
    body = response.content.decode()
    # Each requirement, and each unmet one with what fixes it and a link there.
    assert (
        "✗ A team member in the executive sponsor role : No team member in the executive "
        "sponsor role → Add a team member in the executive sponsor role"
    ) in page
    assert f'href="{reverse("accounts:team", args=[account.pk])}#team-add"' in body
    assert (
        f"✗ An approved account plan for FY{year} : No account plan for FY{year} → "
        f"Start the FY{year} plan"
    ) in page
    assert f'href="{reverse("plans:start", args=[account.pk])}"' in body
    # Placed in the tier today: the first external review is due in 90 days.
    due = timezone.localdate() + timedelta(days=90)
    assert (
        f"✓ An external business review at least every 90 days : met · next due "
        f"{due.day} {due:%b %Y}"
    ) in page
    assert "2 of 4 requirements not met." in page
    # pinned before any run: no score to record with the change
    assert "— Tier I — Override Maya Manager Board mandate" in page
    assert "Pin this tier" not in page  # the owner does not override
    TeamMemberFactory(account=account, user=UserFactory(), role=TeamMember.Role.EXECUTIVE_SPONSOR)
    page = text(client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk])))
    assert "✓ A team member in the executive sponsor role : met · on the team" in page
    assert "1 of 4 requirements not met." in page
    from plans import services as plans

    plan = plans.plan_create(account=account, by=owner)
    response = client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk]))
    assert (
        f"✗ An approved account plan for FY{year} : The FY{year} plan is draft, not approved "
        f"→ Finish and submit the FY{year} plan"
    ) in text(response)
    assert f'href="{reverse("plans:detail", args=[plan.pk])}"' in response.content.decode()
    plans.plan_submit(plan=plan, by=owner)
    page = text(client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk])))
    assert f"→ Review the submitted FY{year} plan" in page
    plans.plan_approve(plan=plan, by=manager)
    page = text(client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk])))
    assert f"✓ An approved account plan for FY{year} : met · approved" in page


def test_the_tier_tab_links_an_overdue_review_to_the_reviews_tab_not_the_team(
    client_for, owner, account, manager
):
    """The measured contradiction: "1 requirement not met — add to the team" linked to
    the Team tab when the missing item was the internal review."""
    tier = TierFactory(name="Watch list", required_team_roles=[], plan_required=False)
    tier.external_review_days, tier.internal_review_days = None, 30
    tier.save()
    services.tier_pin(account=account, tier=tier, reason="Watched", by=manager)
    TierChange.objects.update(at=timezone.now() - timedelta(days=31))
    response = client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk]))
    page, body = text(response), response.content.decode()
    assert "1 of 1 requirement not met." in page
    assert "Internal business review overdue (due" in page
    assert "→ Record or schedule an internal review" in page
    reviews_tab = reverse("reviews:account", args=[account.pk])
    assert f'href="{reviews_tab}?kind=internal#reviews-due-heading"' in body
    assert (
        reverse("accounts:team", args=[account.pk]) not in body.split('id="servicing-heading"')[1]
    )


def test_an_untiered_account(client_for, owner, account):
    page = text(client_for(owner).get(reverse("segmentation:account_tier", args=[account.pk])))
    assert "Not placed in a tier yet" in page and "No tier changes recorded yet." in page
    overview = text(client_for(owner).get(account.get_absolute_url()))
    assert "Tier Not segmented yet" in overview


def test_the_overview_names_the_tier_and_its_gaps(client_for, owner, account, manager):
    services.tier_pin(
        account=account, tier=TierFactory(name="Tier I"), reason="Mandate", by=manager
    )
    response = client_for(owner).get(account.get_absolute_url())
    assert (
        "Tier Tier I override No team member in the executive sponsor role ; "
        f"No account plan for FY{fiscal_year()}"
    ) in text(response)
    assert f'href="{reverse("accounts:team", args=[account.pk])}#team-add"' in (
        response.content.decode()
    )


def test_the_tier_tab_is_an_htmx_fragment_too(client_for, owner, account):
    response = client_for(owner).get(
        reverse("segmentation:account_tier", args=[account.pk]), HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    assert 'id="account-tabs"' in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_managers_and_admins_pin_and_unpin(client_for, request, role, account):
    user = request.getfixturevalue(role)
    client = client_for(user)
    url = reverse("segmentation:tier_override", args=[account.pk])
    response = client.post(
        url, {"action": "pin", "tier": TierFactory(name="Tier II").pk, "reason": "  "}
    )
    assert "Say why this account belongs in this tier." in text(response)
    assert not TierAssignment.objects.exists() and not TierChange.objects.exists()

    response = client.post(
        url, {"action": "pin", "tier": TierFactory(name="Tier II").pk, "reason": "Pilot site"}
    )
    assert response.status_code == 302
    assignment = TierAssignment.objects.get(account=account)
    assert (assignment.tier.name, assignment.pinned, assignment.pin_reason) == (
        "Tier II",
        True,
        "Pilot site",
    )

    response = client.post(url, {"action": "unpin"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Location" in response.headers
    assignment.refresh_from_db()
    assert assignment.pinned is False and assignment.tier.name == "Tier II"
    assert list(TierChange.objects.order_by("id").values_list("cause", "by")) == [
        ("override", user.pk),
        ("unpin", user.pk),
    ]


@pytest.mark.parametrize("role", ["owner", "teammate", "executive"])
def test_others_who_see_the_account_cannot_override(client_for, request, role, account):
    client = client_for(request.getfixturevalue(role))
    url = reverse("segmentation:tier_override", args=[account.pk])
    response = client.post(
        url, {"action": "pin", "tier": TierFactory(name="Tier I").pk, "reason": "Me"}
    )
    assert response.status_code == 403
    assert not TierAssignment.objects.exists()


def test_a_manager_of_another_team_gets_404(client_for, account):
    stranger = UserFactory(role="manager")
    url = reverse("segmentation:tier_override", args=[account.pk])
    response = client_for(stranger).post(
        url, {"action": "pin", "tier": TierFactory(name="Tier I").pk, "reason": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/accounts/{pk}/tier/"),
        ("post", "/accounts/{pk}/tier/override/"),
        ("api_get", "/api/v1/accounts/{pk}/tier-history/"),
        ("api_post", "/api/v1/accounts/{pk}/tier-override/"),
        ("api_delete", "/api/v1/accounts/{pk}/tier-override/"),
    ],
)
def test_outsiders_get_404_on_everything_account_specific(
    client_for, outsider, account, method, url, manager
):
    services.tier_pin(
        account=account, tier=TierFactory(name="Tier I"), reason="Mandate", by=manager
    )
    for pk in (account.pk, 987654):
        path = url.format(pk=pk)
        if method.startswith("api_"):
            api = APIClient()
            api.force_authenticate(outsider)
            response = getattr(api, method[4:])(
                path, {"tier": TierFactory(name="Tier III").pk, "reason": "x"}, format="json"
            )
        else:
            response = getattr(client_for(outsider), method)(
                path, {"tier": TierFactory(name="Tier III").pk, "reason": "x"}
            )
        assert response.status_code == 404, path
    assert account.tier_assignment.tier.name == "Tier I" and account.tier_assignment.pinned


def test_the_override_api(manager, owner, account):
    api = APIClient()
    api.force_authenticate(manager)
    url = f"/api/v1/accounts/{account.pk}/tier-override/"
    response = api.post(url, {"tier": TierFactory(name="Tier II").pk}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api.post(url, {"tier": 987654, "reason": "x"}, format="json")
    assert response.status_code == 400 and "tier" in response.json()
    response = api.post(
        url, {"tier": TierFactory(name="Tier II").pk, "reason": "Pilot"}, format="json"
    )
    assert response.status_code == 200 and response.json()["tier_pinned"] is True
    body = api.get(f"/api/v1/accounts/{account.pk}/").json()
    assert (body["tier"], body["tier_pinned"]) == ("Tier II", True)
    api.force_authenticate(owner)
    assert api.delete(url).status_code == 403
    api.force_authenticate(manager)
    assert api.delete(url).status_code == 204
    assert api.get(f"/api/v1/accounts/{account.pk}/").json()["tier_pinned"] is False


def test_the_tier_tab_queries_do_not_grow_with_history(
    client_for, owner, account, manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner)
    url = reverse("segmentation:account_tier", args=[account.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.tier_pin(account=account, tier=TierFactory(name="Tier I"), reason="One", by=manager)
    few = count()
    for i in range(13):  # ending in Tier I, whose requirements the first count read
        services.tier_pin(
            account=account,
            tier=TierFactory(name="Tier II" if i % 2 else "Tier I"),
            reason=f"r{i}",
            by=manager,
        )
    assert count() == few
