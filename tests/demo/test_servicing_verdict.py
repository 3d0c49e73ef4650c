"""One servicing verdict (DESIGN §12): for every demo account, what the accounts list,
the Overview, the Tier tab, the portfolio dashboard and the alerts say about whether it
meets its tier's servicing model is the same — read from the pages as a person reads
them, not from the function that computes it."""

import html
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Account, User
from core.periods import fiscal_year, fiscal_year_start
from insights.alerts.evaluate import rules_evaluate
from insights.dashboards import portfolio_snapshot_refresh
from scorecards.alerts import kinds
from scorecards.models import Alert, AlertRule

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr>\s*<td class="account-name"><a href="/accounts/(\d+)/".*?</tr>', re.S)
LIST_GAPS = re.compile(r'class="badge servicing-gaps" title="([^"]*)"')
OVERVIEW_GAPS = re.compile(r'<small class="gap-inline">([^<]*)</small>')
TAB_REQUIREMENT = re.compile(
    r'<li class="req-(met|missing|unchecked)">.*?</span>\s*(.*?)\s*<span', re.S
)


def listed_gaps(client) -> dict[int, list[str] | None]:
    """Each account's servicing gaps as the accounts list shows them, every page read:
    None for an account not tiered ("—"), [] for "OK"."""
    found, page = {}, 1
    while True:
        response = client.get(reverse("accounts:list"), {"page": page})
        body = response.content.decode()
        for match in ROW.finditer(body):
            row = match.group(0)
            gaps = LIST_GAPS.search(row)
            if gaps:
                found[int(match.group(1))] = html.unescape(gaps.group(1)).split("; ")
            elif "servicing-ok" in row:
                found[int(match.group(1))] = []
            else:
                found[int(match.group(1))] = None
        if not response.context["page"].has_next():
            return found
        page += 1


def test_every_demo_account_has_one_servicing_verdict_on_every_page_and_in_the_alerts(demo, client):
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    accounts = {a.pk: a for a in Account.objects.select_related("tier_assignment__tier")}

    listed = listed_gaps(client)
    assert set(listed) == set(accounts)
    assert any(listed.values()), "the demo should show some accounts off their model"
    assert any(gaps == [] for gaps in listed.values()), "and some that meet it"

    for pk, gaps in listed.items():
        # The Overview's tier line lists the same gaps.
        overview = client.get(reverse("accounts:detail", args=[pk])).content.decode()
        shown = OVERVIEW_GAPS.search(overview)
        assert (html.unescape(shown.group(1)).split("; ") if shown else []) == (gaps or []), pk

        # The Tier tab marks as missing exactly as many requirements, the plan's alike.
        tab = client.get(reverse("segmentation:account_tier", args=[pk])).content.decode()
        marks = [(state, html.unescape(label)) for state, label in TAB_REQUIREMENT.findall(tab)]
        if gaps is None:
            assert marks == [], pk
            continue
        missing = [label for state, label in marks if state == "missing"]
        assert len(missing) == len(gaps), (pk, missing, gaps)
        plan_missing = any(label.startswith("An approved account plan") for label in missing)
        assert plan_missing == any("plan" in gap for gap in gaps), (pk, missing, gaps)

    # The portfolio dashboard counts, per tier, the accounts that meet their model.
    portfolio_snapshot_refresh()
    meeting = Counter(
        accounts[pk].tier_assignment.tier.name
        for pk, gaps in listed.items()
        if gaps == [] and not accounts[pk].archived
    )
    page = client.get(reverse("dashboards_portfolio")).content.decode()
    for tier in {a.tier_assignment.tier for a in accounts.values() if listed[a.pk] is not None}:
        row = re.search(rf">{re.escape(tier.name)}</a></th>(.*?)</tr>", page, re.S).group(1)
        if (
            tier.required_team_roles
            or tier.plan_required
            or tier.external_review_days
            or tier.internal_review_days
        ):
            assert f"> {meeting[tier.name]} of " in row, (tier.name, row)

    # The alerts: a live plan alert exactly where the plan requirement is unmet (once
    # past the rule's grace, for a plan that exists but is not approved); a live review
    # alert only where the list shows that review overdue.
    rules_evaluate()
    rule = AlertRule.objects.get(kind=kinds.PLAN_MISSING)
    assert rule.active
    grace = int((rule.parameters or {}).get("grace_days", kinds.defaults(rule.kind)["grace_days"]))
    into_year = (timezone.localdate() - fiscal_year_start(fiscal_year())).days
    live = Alert.objects.filter(status__in=Alert.LIVE)
    plan_alerts = set(live.filter(rule=rule).values_list("account_id", flat=True))
    for pk, gaps in listed.items():
        no_plan = any(gap.startswith("No account plan") for gap in gaps or [])
        unapproved = any("not approved" in gap for gap in gaps or [])
        expected = no_plan or (unapproved and into_year >= grace)
        assert (pk in plan_alerts) == expected, (accounts[pk].name, gaps)
    for alert in live.filter(rule__kind=kinds.REVIEW_OVERDUE):
        kind = alert.subject_key.split(":")[1]
        what = "External business review" if kind == "external" else "Internal account review"
        assert f"{what} overdue" in (listed[alert.account_id] or []), alert.description
