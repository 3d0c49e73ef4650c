"""Every main page on a phone and under axe (DESIGN §12): at 390x844 the page does not
scroll sideways, axe-core finds no serious or critical violation at 1440 px nor at
390 px, and the browser reports no Content-Security-Policy violation. Then the phone's
menu, walked with the keyboard, its folded filters and the account's tabs.

One test per role walks that role's pages in one browser context and reports every page's
problems together. The data is written at the start of each (a live-server test empties
the database after itself): a few factories and services, about a second.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts_app.models import Account, Contact, LifecycleStage, TeamMember, User
from accounts_app.revenue import month_start
from accounts_app.services import revenue_months_record
from accounts_app.services.tokens import api_token_create
from demo.factories import (
    PASSWORD,
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    GoalFactory,
    InteractionFactory,
    KnowledgePointFactory,
    OpportunityFactory,
    PlanFactory,
    RelationshipFactory,
    ScorecardFactory,
    StrategyFactory,
    SwotItemFactory,
    TacticFactory,
    TeamMemberFactory,
    TierAssignmentFactory,
    UserFactory,
)
from imports import engine
from imports import services as imports
from insights.alerts.evaluate import rules_evaluate
from insights.snapshots import account_snapshot_refresh
from plans.models import Plan
from plans.services import risk_create
from plans.services.coaching import comment_add
from scorecards.models import Alert
from segmentation.models import Tier
from tests.conftest import seeded_defaults_restore

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# What fails the check: axe's two worst impacts (moderate and minor are left to review).
BLOCKING = ("serious", "critical")
AXE = Axe()

IMPORT_FILE = (
    b"Name,Industry,Region,Annual revenue\nKestrel Group,Manufacturing,Western Europe,4200000\n"
)


@dataclass
class Book:
    alice: User
    manager: User
    executive: User
    admin: User
    account: Account
    plan: Plan
    alert: Alert
    import_id: int


def write_the_book() -> Book:
    """Alice's account with something in every tab, a colleague's account, their manager,
    an executive and an admin with an import's dry run."""
    seeded_defaults_restore()
    manager = UserFactory(username="maya", role=User.Role.MANAGER, first_name="Maya")
    alice = UserFactory(username="alice", manager=manager, first_name="Alice", last_name="Archer")
    tom = UserFactory(username="tom", manager=manager, first_name="Tom", last_name="Mate")
    executive = UserFactory(username="eve", role=User.Role.EXECUTIVE, first_name="Eve")
    admin = UserFactory(
        username="ada", role=User.Role.ADMIN, is_staff=True, is_superuser=True, first_name="Ada"
    )

    account = AccountFactory(
        name="Acme Industrial", owner=alice, lifecycle_stage=LifecycleStage.MATURE
    )
    other = AccountFactory(
        name="Borealis Energy", owner=tom, lifecycle_stage=LifecycleStage.AT_RISK
    )
    tiers = list(Tier.objects.order_by("rank"))
    TierAssignmentFactory(account=account, tier=tiers[0])
    TierAssignmentFactory(account=other, tier=tiers[-1])
    TeamMemberFactory(account=account, user=tom, role=TeamMember.Role.SALES)
    unit = BusinessUnitFactory(account=account, name="Operations")
    people = [
        ("Carla Buyer", Contact.BuyingRole.DECISION_MAKER, Contact.Attitude.CHAMPION),
        ("Dev Ops", Contact.BuyingRole.RECOMMENDER, Contact.Attitude.SUPPORTER),
        ("Greta Gruff", Contact.BuyingRole.DECISION_MAKER, Contact.Attitude.DETRACTOR),
        ("Ivo Influence", Contact.BuyingRole.INFLUENCER, Contact.Attitude.NEUTRAL),
        ("Una Known", Contact.BuyingRole.USER, Contact.Attitude.UNKNOWN),
    ]
    contacts = [
        ContactFactory(
            account=account, name=name, buying_role=role, attitude=attitude, business_unit=unit
        )
        for name, role, attitude in people
    ]
    for strength, contact in enumerate(contacts):
        RelationshipFactory(contact=contact, user=alice, strength=strength)
    InteractionFactory(account=account, subject="Quarterly business review")

    plan = Plan.objects.get(pk=_plan(account, alice).pk)
    comment_add(plan=plan, by=manager, text="Who meets Greta before the renewal?")
    OpportunityFactory(account=account, name="Line 4 retrofit", value=250000, yes=6)
    OpportunityFactory(account=account, name="Spare parts contract", value=80000, yes=2)
    OpportunityFactory(account=other, name="Grid sensors", value=120000)
    ScorecardFactory(
        account=account,
        by=alice,
        metrics=["Revenue", "Open escalations"],
        lines={
            "Revenue": {"weight": "2", "target": "1000000", "actual": "800000"},
            "Open escalations": {"target": "4", "actual": "2"},
        },
    )
    for each in (account, other):
        account_snapshot_refresh(account_id=each.pk)
    rules_evaluate(account_ids=[account.pk, other.pk])
    alert = Alert.objects.filter(account=account).order_by("pk").first()
    assert alert is not None, "the detractor decision maker raises an alert"

    job = imports.import_start(
        by=admin, kind="accounts", file_name="accounts.csv", content=IMPORT_FILE, queue=False
    )
    engine.run(job.pk)
    api_token_create(user=alice, name="Nightly sync from the CRM")
    risk_create(
        account=account,
        by=alice,
        title="Competitor pilot in the second plant",
        category="competitive",
        likelihood=4,
        impact=5,
        owner=tom,
        mitigation="Offer a joint efficiency study on line 2.",
    )
    today = timezone.localdate()
    revenue_months_record(
        account=account,
        by=alice,
        amounts={month_start(today, back): Decimal(98_000 + 1_250 * back) for back in range(15)},
    )
    return Book(alice, manager, executive, admin, account, plan, alert, job.pk)


def _plan(account: Account, by: User) -> Plan:
    plan = PlanFactory(account=account, by=by)
    KnowledgePointFactory(plan=plan, text="Cut operating costs by 8 % within two years")
    SwotItemFactory(plan=plan, text="Trusted delivery record")
    goal = GoalFactory(plan=plan, text="Become the sustainability partner")
    strategy = StrategyFactory(goal=goal, text="Bring data to their reporting")
    TacticFactory(strategy=strategy, text="Share our product carbon footprints")
    return plan


def pages_of(role: str, book: Book | None) -> list[tuple[str, str]]:
    if book is None:
        return [("login", "/login/")]
    account = f"/accounts/{book.account.pk}"
    return {
        "team member": [
            ("home", "/"),
            ("accounts", "/accounts/"),
            ("account overview", f"{account}/"),
            ("contacts tab", f"{account}/contacts/"),
            ("relationships tab", f"{account}/relationships/"),
            ("team tab", f"{account}/team/"),
            ("opportunities tab", f"{account}/opportunities/"),
            ("scorecard tab", f"{account}/scorecard/"),
            ("health tab", f"{account}/health/"),
            ("plan tab", f"{account}/plan/"),
            ("risks tab", f"{account}/risks/"),
            ("revenue tab", f"{account}/revenue/"),
            ("revenue tab, a year open", f"{account}/revenue/{timezone.localdate().year}/"),
            ("interactions tab", f"{account}/interactions/"),
            ("reviews tab", f"{account}/reviews/"),
            ("tier tab", f"{account}/tier/"),
            ("plan", f"/plans/{book.plan.pk}/"),
            ("opportunities", "/opportunities/"),
            ("competitors at my accounts", "/competitors/"),
            ("alerts", "/alerts/"),
            ("an alert", f"/alerts/{book.alert.pk}/"),
            ("notifications", "/plans/notifications/"),
            ("API tokens", "/settings/tokens/"),
            ("security (second factor set-up)", "/settings/two-factor/"),
        ],
        "manager": [
            ("home", "/"),
            ("team dashboard", "/dashboards/"),
            ("team's alerts", "/alerts/?scope=team"),
            ("plans", "/plans/"),
        ],
        "executive": [
            ("home", "/"),
            ("portfolio dashboard", "/dashboards/portfolio/"),
            ("accounts", "/accounts/"),
            ("revenue tab, read only", f"{account}/revenue/"),
        ],
        "admin": [
            ("home", "/"),
            ("imports", "/imports/"),
            ("an import", f"/imports/{book.import_id}/"),
            ("activity", "/activity/"),
            ("sign-in policy", "/settings/sign-in/"),
        ],
    }[role]


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
       + (typeof e.className === 'string' && e.className.trim()
          ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
       + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')
  .slice(0, 5)"""


def axe_problems(page: Page, where: str) -> list[str]:
    found = []
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = violation["nodes"]
        lines = [f"{where}: {violation['id']} ({violation['impact']}), {len(nodes)} element(s)"]
        lines.append(f"    {violation['help']}")
        for node in nodes[:4]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    - {' '.join(map(str, node['target']))}: {summary[:240]}")
        found.append("\n".join(lines))
    return found


def page_problems(page: Page, url: str, name: str) -> list[str]:
    """What stops a person on a phone or axe on `url`: both widths, one load."""
    problems = []
    page.set_viewport_size(PHONE)
    response = page.goto(url)
    assert response is not None and response.ok, f"{name}: {url} answered {response.status}"
    expect(page.locator(".htmx-request")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        widest = ", ".join(page.evaluate(WIDEST))
        problems.append(f"{name} at 390 px: the page is {width} px wide ({widest})")
    problems += axe_problems(page, f"{name} at 390 px")
    page.set_viewport_size(DESKTOP)
    problems += axe_problems(page, f"{name} at 1440 px")
    return problems


def watch_csp(page: Page) -> list[str]:
    """The Content-Security-Policy violations `page` meets from now on: the console's
    "Refused to ..." messages, where Chromium reports each one."""
    violations: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text[:300]}")

    page.on("console", on_console)
    return violations


def sign_in_as(page: Page, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


@pytest.mark.parametrize("role", ["team member", "manager", "executive", "admin", "signed out"])
def test_main_pages_fit_a_phone_and_pass_axe(role, page: Page, live_server):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Chromium reports each Content-Security-Policy refusal on the console ("Refused to
    # apply inline style because it violates ..."): any one fails the walk.
    violations = watch_csp(page)
    book = None if role == "signed out" else write_the_book()
    if book:
        user = {
            "team member": book.alice,
            "manager": book.manager,
            "executive": book.executive,
            "admin": book.admin,
        }[role]
        sign_in_as(page, live_server.url, user)
    problems = []
    for name, path in pages_of(role, book):
        problems += page_problems(page, f"{live_server.url}{path}", name)
    problems += [f"script error: {error}" for error in errors]
    problems += [f"CSP violation: {violation}" for violation in violations]
    assert not problems, f"{len(problems)} problem(s) for the {role}:\n\n" + "\n\n".join(problems)


def test_the_phone_menu_opens_is_walked_with_the_keyboard_and_closes_with_escape(
    page: Page, live_server
):
    book = write_the_book()
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server.url, book.alice)
    page.goto(f"{live_server.url}/accounts/")
    toggle = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    links = nav.get_by_role("link")
    expect(links).to_have_count(7)
    # Every link whole on the screen, and reached with Tab in order.
    for index, name in enumerate(["Today", "Accounts", "Segmentation", "Plans", "Opportunities"]):
        page.keyboard.press("Tab")
        link = links.nth(index)
        expect(link).to_be_focused()
        expect(link).to_contain_text(name)
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)

    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav).to_be_hidden()

    # Space opens it too; a link followed from it leads to its page with the menu closed.
    page.keyboard.press("Space")
    for _ in range(4):  # Today, Accounts, Segmentation, Plans
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plans/$"))
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")

    # A click outside closes it.
    page.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    page.get_by_role("heading", level=1).click()
    expect(nav).to_be_hidden()


def test_on_a_phone_the_filters_fold_and_the_selected_tab_is_in_view(page: Page, live_server):
    book = write_the_book()
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server.url, book.alice)
    page.goto(f"{live_server.url}/accounts/")
    filters = page.locator(".filter-fold > summary")
    stage = page.get_by_label("Stage")
    expect(page.get_by_label("Search")).to_be_visible()
    expect(filters).to_have_text("Filters")
    expect(stage).to_be_hidden()
    filters.click()
    stage.select_option("at_risk")
    expect(filters).to_have_text("Filters (1 active)")
    expect(page.locator("#results")).to_contain_text("0 accounts")

    # On a wide screen the filters lie open in the form, no button.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/?lifecycle_stage=mature")
    expect(filters).to_be_hidden()
    expect(page.get_by_label("Owner")).to_be_visible()

    # The account's last tab, selected: scrolled into its strip, the strip inside the page.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/{book.account.pk}/activity/")
    tab = page.get_by_role("tab", name="Activity")
    expect(tab).to_have_attribute("aria-selected", "true")
    box = tab.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
