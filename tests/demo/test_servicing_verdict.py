"""One servicing verdict (DESIGN §12): for every demo account, what the accounts list,
the team dashboard, the Overview, the Tier tab, the portfolio dashboard, the managers'
home pages, the live alerts and their pages say about whether it meets its tier's
servicing model is the same, and each unmet requirement links to the page that fixes
it — read from the pages as a person reads them, then held against the function that
computes it."""

import html
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import Account, User
from core.periods import fiscal_year, fiscal_year_start
from insights.dashboards import dashboard_accounts, portfolio_snapshot_refresh
from insights.servicing import servicing_verdicts
from scorecards.alerts import kinds
from scorecards.models import Alert, AlertRule

pytestmark = pytest.mark.django_db

LIST_ROW = re.compile(r'<tr>\s*<td class="account-name"><a href="/accounts/(\d+)/".*?</tr>', re.S)
DASHBOARD_ROW = re.compile(
    r'<tr>\s*<td><a class="strong" href="/accounts/(\d+)/health/".*?</tr>', re.S
)
BADGE_GAPS = re.compile(r'class="badge servicing-gaps" href="([^"]*)" title="([^"]*)"')
OVERVIEW_GAPS = re.compile(r'<small class="gap-inline">(.*?)</small>', re.S)
LINK = re.compile(r'<a href="([^"]*)"[^>]*>([^<]*)</a>')
TAB_SECTION = re.compile(r'id="servicing-heading".*?</ul>', re.S)
TAB_REQUIREMENT = re.compile(
    r'<li class="req-(met|missing)">.*?</span>\s*(.*?)<span class="visually-hidden">:</span>'
    r"\s*<small>(.*?)</small>",
    re.S,
)
FIX_LINK = re.compile(r'<a class="req-fix" href="([^"]*)">([^<]*)</a>')


def badge(row: str) -> tuple[list[str] | None, str | None]:
    """What a list's servicing cell says — None ("—", no tier), [] ("OK"), or the gaps
    — and where its badge leads."""
    found = BADGE_GAPS.search(row)
    if found:
        return html.unescape(found.group(2)).split("; "), found.group(1)
    return ([] if "servicing-ok" in row else None), None


def read_pages(client, url: str, row: re.Pattern) -> dict[int, tuple]:
    """Each account's servicing cell (badge) on every page of a list."""
    found, page = {}, 1
    while True:
        response = client.get(url, {"page": page})
        for match in row.finditer(response.content.decode()):
            found[int(match.group(1))] = badge(match.group(0))
        if not response.context["page"].has_next():
            return found
        page += 1


def tier_tab(client, pk: int) -> list[tuple[bool, str, str, str | None]]:
    """Each requirement the Tier tab lists: (met, label, what it says, its fix link)."""
    body = client.get(reverse("segmentation:account_tier", args=[pk])).content.decode()
    section = TAB_SECTION.search(body)
    if section is None:
        return []
    rows = []
    for state, label, said in TAB_REQUIREMENT.findall(section.group(0)):
        link = FIX_LINK.search(said)
        shown = html.unescape(re.sub(r"<[^>]+>", "", said.split(" → ")[0]).strip())
        rows.append((state == "met", html.unescape(label.strip()), shown, link and link.group(1)))
    return rows


def expected_fix(account_id: int, requirement) -> str:
    """The page each kind of requirement is fixed on, spelled out here, not read back
    from the code that builds the links."""
    if requirement.key.startswith("role:"):
        return reverse("accounts:team", args=[account_id]) + "#team-add"
    if requirement.key == "plan":
        plan_id = requirement.facts["plan_id"]
        if plan_id is None:
            return reverse("plans:start", args=[account_id])
        return reverse("plans:detail", args=[plan_id])
    kind = requirement.key.split(":")[1]
    return reverse("reviews:account", args=[account_id]) + f"?kind={kind}#reviews-due-heading"


def check_home_of(client, manager: User, verdicts) -> None:
    """A manager's home lists their team's accounts off their servicing model: as many
    as the verdict finds, each with its gaps linked to where they are fixed."""
    client.force_login(manager)
    body = client.get(reverse("home")).content.decode()
    section = body[body.index('id="model-heading"') :].split("</section>")[0]
    team = dashboard_accounts(user=manager).values_list("pk", flat=True)
    off = [pk for pk in team if verdicts[pk].meets is False]
    assert re.search(rf'Off their servicing model\s*<span class="count-pill">{len(off)}<', section)
    rows = re.findall(r'href="/accounts/(\d+)/tier/">.*?</li>', section, re.S)
    assert rows and set(map(int, rows)) <= set(off), manager
    for pk, row in re.findall(r'href="/accounts/(\d+)/tier/">(.*?)</li>', section, re.S):
        verdict = verdicts[int(pk)]
        links = LINK.findall(OVERVIEW_GAPS.search(row).group(1))
        assert [html.unescape(text) for _, text in links] == verdict.gaps, pk
        assert [html.unescape(url) for url, _ in links] == [
            expected_fix(int(pk), r) for r in verdict.unmet
        ], pk


def test_every_demo_account_has_one_servicing_verdict_on_every_page_and_in_the_alerts(demo, client):
    client.force_login(User.objects.get(username="admin"))
    accounts = {a.pk: a for a in Account.objects.select_related("tier_assignment__tier")}
    verdicts = servicing_verdicts(account_ids=list(accounts))

    cells = read_pages(client, reverse("accounts:list"), LIST_ROW)
    assert read_pages(client, reverse("dashboards"), DASHBOARD_ROW) == cells
    listed = {pk: gaps for pk, (gaps, _) in cells.items()}
    assert set(listed) == set(accounts)
    assert any(listed.values()), "the demo should show some accounts off their model"
    assert any(gaps == [] for gaps in listed.values()), "and some that meet it"

    for pk, gaps in listed.items():
        verdict = verdicts[pk]
        assert gaps == (None if verdict.meets is None else verdict.gaps), pk
        # A badge with gaps leads to the Tier tab, which says how to fix each.
        tier_url = reverse("segmentation:account_tier", args=[pk])
        assert cells[pk][1] == (tier_url if gaps else None), pk

        # The Overview's tier line: the same gaps, each a link to where it is fixed.
        overview = client.get(reverse("accounts:detail", args=[pk])).content.decode()
        shown = OVERVIEW_GAPS.search(overview)
        links = LINK.findall(shown.group(1)) if shown else []
        assert [html.unescape(text) for _, text in links] == (gaps or []), pk
        assert [html.unescape(url) for url, _ in links] == [
            expected_fix(pk, r) for r in verdict.unmet
        ], pk

        # The Tier tab: every requirement, met or not as the list says, each unmet one
        # with a link to the page that fixes it.
        tab = tier_tab(client, pk)
        assert [(met, label) for met, label, _, _ in tab] == [
            (r.met, r.label) for r in verdict.requirements
        ], pk
        assert [said for met, _, said, _ in tab if not met] == (gaps or []), pk
        assert [html.unescape(link) for met, _, _, link in tab if not met] == [
            expected_fix(pk, r) for r in verdict.unmet
        ], pk

    # The portfolio dashboard counts, per tier, the accounts that meet their model.
    portfolio_snapshot_refresh()
    page = client.get(reverse("dashboards_portfolio")).content.decode()
    meeting = Counter(
        accounts[pk].tier_assignment.tier.name for pk, gaps in listed.items() if gaps == []
    )
    for tier in {a.tier_assignment.tier for a in accounts.values() if listed[a.pk] is not None}:
        row = re.search(rf">{re.escape(tier.name)}</a></th>(.*?)</tr>", page, re.S).group(1)
        if (
            tier.required_team_roles
            or tier.plan_required
            or tier.external_review_days
            or tier.internal_review_days
        ):
            assert f"> {meeting[tier.name]} of " in row, (tier.name, row)

    for username in ("manager", "mira"):
        check_home_of(client, User.objects.get(username=username), verdicts)
    client.force_login(User.objects.get(username="admin"))

    # The live alerts, as the demo left them: a plan alert exactly where the Tier tab
    # shows the plan unmet (a plan that exists but is not approved: once past the
    # rule's grace into the year); a review alert exactly where it shows that review
    # unmet for the rule's N days or more. Never one the tab calls met.
    plan_rule = AlertRule.objects.get(kind=kinds.PLAN_MISSING)
    review_rule = AlertRule.objects.get(kind=kinds.REVIEW_OVERDUE)
    assert plan_rule.active and review_rule.active
    grace = int({**kinds.defaults(plan_rule.kind), **plan_rule.parameters}["grace_days"])
    late = int({**kinds.defaults(review_rule.kind), **review_rule.parameters}["days"])
    into_year = (timezone.localdate() - fiscal_year_start(fiscal_year())).days
    live = Alert.objects.filter(status__in=Alert.LIVE, rule__in=[plan_rule, review_rule])
    alerted = {(a.account_id, a.subject_key.split(":")[0]) for a in live.filter(rule=plan_rule)}
    alerted |= {(a.account_id, a.subject_key) for a in live.filter(rule=review_rule)}
    expected = set()
    for pk, verdict in verdicts.items():
        for r in verdict.unmet:
            if r.key == "plan" and (r.facts["status"] is None or into_year >= grace):
                expected.add((pk, "plan"))
            if r.key.startswith("review:") and r.facts["days_overdue"] >= late:
                expected.add((pk, r.key))
    assert alerted == expected
    assert expected, "the demo should raise some plan or review alerts"

    # Each such alert's page shows its requirement unmet, with the same fix link.
    for alert in live.select_related("account"):
        body = client.get(reverse("scorecards:alert", args=[alert.pk])).content.decode()
        key = "plan" if alert.subject_key.startswith("plan:") else alert.subject_key
        requirement = verdicts[alert.account_id].requirement(key)
        assert '<li class="req-missing">' in body, alert.description
        assert f'<a class="req-fix" href="{expected_fix(alert.account_id, requirement)}">' in (
            html.unescape(body)
        )
