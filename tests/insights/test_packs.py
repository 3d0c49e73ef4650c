"""Business-review packs, rendered by WeasyPrint and read back (text and pages): the
internal pack carries the relationship map's contacts, attitudes, margins, ROE and
coaching comments; the customer pack of the same account carries none of them; both
obey the account's permissions (404 for an outsider); hostile user text fetches,
reads and attaches nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core import pdf as pdf_module
from demo.factories import ContactFactory, RelationshipFactory, TeamMemberFactory
from insights import packs
from opportunities import services as opportunities
from plans import reviews, services
from plans.models import Goal, KnowledgePoint, Strategy, Tactic
from scorecards import services as scorecards
from scorecards.models import Metric

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<link rel="attachment" href="file:///etc/passwd">'
    '<img src="http://127.0.0.1:9/steal.png">'
    "<style>@import url(file:///etc/passwd);</style>"
    '<a href="file:///etc/shadow">click</a>'
)


def read(content: bytes) -> tuple[str, int, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), reader


@pytest.fixture
def rich_account(account, owner, teammate, manager):
    """An account with everything a pack shows."""
    account.gross_margin_pct = Decimal("37.25")
    account.annual_revenue = Decimal(4_200_000)
    account.wallet_estimate = Decimal(10_000_000)
    account.save()
    champion = ContactFactory(
        account=account,
        name="Ingrid Holm",
        title="COO",
        level="executive",
        buying_role="decision_maker",
        attitude="champion",
    )
    ContactFactory(
        account=account,
        name="Rafael Ortiz",
        title="Buyer",
        buying_role="influencer",
        attitude="detractor",
    )
    RelationshipFactory(contact=champion, user=owner, strength=3)
    plan = services.plan_create(account=account, by=owner, period=services.fiscal_year())
    services.plan_update(
        plan=plan, by=owner, version=plan.version, overview="Our secret plan for them."
    )
    services.item_create(
        model=KnowledgePoint, by=owner, parent=plan, text="Halve downtime by 2028", kind="goal"
    )
    goal = services.item_create(
        model=Goal, by=owner, parent=plan, text="Become the service partner"
    )
    strategy = services.item_create(model=Strategy, by=owner, parent=goal, text="Win the COO")
    services.item_create(
        model=Tactic,
        by=owner,
        parent=strategy,
        text="Neutralise Rafael's objections",
        owner=teammate,
    )
    services.comment_add(
        plan=plan, by=manager, text="Coaching: the margin target is too timid.", section="general"
    )
    deal = opportunities.opportunity_create(
        account=account,
        by=owner,
        name="Plant-wide service contract",
        value=Decimal(480_000),
        effort_hours=Decimal(120),
        gross_margin_pct=Decimal(30),
        customer_annual_benefit=Decimal(200_000),
        customer_investment=Decimal(100_000),
        horizon_years=3,
    )
    scorecards.ensure_defaults()
    joint = Metric.objects.filter(joint=True).order_by("position").first()
    internal_metric = Metric.objects.filter(joint=False).order_by("position").first()
    card = scorecards.scorecard_create(
        account=account,
        by=owner,
        cadence="monthly",
        period_start=timezone.localdate().replace(day=1),
        metrics=[joint, internal_metric],
    )
    held = reviews.review_save(
        account=account,
        by=owner,
        kind="external",
        scheduled_for=timezone.localdate() - timedelta(days=3),
        held_on=timezone.localdate() - timedelta(days=3),
        outcomes="Volumes up.",
        decisions="Pilot in Lyon.",
    )
    reviews.action_add(review=held, by=owner, text="Send the Lyon proposal")
    reviews.action_add(
        review=held, by=owner, text="Check their credit rating quietly", agreed_with_customer=False
    )
    deal.refresh_from_db()
    return account, deal, joint, internal_metric, card


def pack(client, account, variant):
    return client.get(f"/accounts/{account.pk}/pack.pdf", {"variant": variant})


def test_the_internal_pack_has_everything(client_for, executive, rich_account):
    account, deal, joint, internal_metric, _card = rich_account
    response = pack(client_for(executive), account, "internal")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "acme-industrial-review-pack-internal-" in response["Content-Disposition"]
    text, pages, _ = read(response.content)
    assert pages >= 6
    for expected in (
        "Ingrid Holm",
        "Rafael Ortiz",  # the relationship map's contacts
        "Champion",
        "Detractor",  # attitudes
        "37.25 %",  # gross margin
        "Return on effort",
        f"{deal.roe:,}",  # ROE and its figure
        "Coaching: the margin target is too timid.",
        "Neutralise Rafael's objections",
        "Check their credit rating quietly",
        joint.name,
        internal_metric.name,
        "Contents",
        "Page 1 of",
        "Internal version",
    ):
        assert expected.lower() in text.lower(), expected
    # The table of contents gives page numbers.
    assert "Relationships" in text and "Coaching comments" in text


def test_the_pack_shows_amounts_in_the_currency(client_for, owner, rich_account):
    account, *_ = rich_account
    text, _, _ = read(pack(client_for(owner), account, "internal").content)
    for expected in ("€4,200,000", "€10,000,000", "€480,000"):
        assert expected in text, expected
    assert "4,200,000.00" not in text and "10,000,000.00" not in text


def test_the_customer_pack_leaves_out_whatever_is_internal(client_for, owner, rich_account):
    account, deal, joint, internal_metric, _card = rich_account
    response = pack(client_for(owner), account, "customer")
    assert response.status_code == 200
    text, pages, _ = read(response.content)
    assert pages == 2  # the cover (its contents list on it) and the review
    assert "Prepared for Acme Industrial" in text
    for expected in (
        "Halve downtime by 2028",
        "Become the service partner",
        joint.name,
        "Volumes up.",
        "Pilot in Lyon.",
        "Send the Lyon proposal",
    ):
        assert expected in text, expected
    for secret in (
        "Champion",
        "Detractor",
        "Neutral",
        "Supporter",  # attitudes
        "Ingrid Holm",
        "Rafael Ortiz",  # internal ratings of their people
        "37.25",
        "margin",
        "Margin",  # margins
        "Return on effort",
        "ROE",
        f"{deal.roe:,}",  # return on effort
        "Coaching",
        "too timid",  # coaching notes
        "Our secret plan",
        "Neutralise",
        "Win the COO",  # plan internals
        "credit rating",  # an action item kept internal
        internal_metric.name,  # not a joint measure
        "alert",
        "Alert",
    ):
        assert secret.lower() not in text.lower(), secret
    # Decided in the context, not in the template: the customer's holds none of it.
    context = packs.pack_context(account=account, variant="customer", user=owner)
    assert context["tree"].goals and all(
        strategies == [] for _, strategies in context["tree"].goals
    )
    assert not hasattr(context["plan"], "overview") and not hasattr(context["plan"], "pk")
    for internal_only in ("contacts", "alerts", "comments", "open_deals", "rpi", "whitespace"):
        assert internal_only not in context


def test_packs_obey_the_accounts_permissions(client_for, api_for, outsider, manager, rich_account):
    account = rich_account[0]
    for variant in ("internal", "customer"):
        assert pack(client_for(outsider), account, variant).status_code == 404
        url = f"/api/v1/accounts/{account.pk}/pack/?variant={variant}"
        assert api_for(outsider).get(url).status_code == 404
    assert pack(client_for(manager), account, "customer").status_code == 200
    response = api_for(manager).get(f"/api/v1/accounts/{account.pk}/pack/?variant=customer")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert read(response.content)[0].count("Prepared for Acme Industrial") >= 1
    assert pack(client_for(manager), account, "everything").status_code == 400
    bad = api_for(manager).get(f"/api/v1/accounts/{account.pk}/pack/?variant=everything")
    assert bad.status_code == 400 and "variant" in bad.json()
    assert api_for(outsider).get("/api/v1/accounts/999999/pack/").status_code == 404


def test_hostile_text_fetches_reads_and_attaches_nothing(
    client_for, owner, rich_account, monkeypatch
):
    account = rich_account[0]
    account.name = f"Acme {HOSTILE}"
    account.save()
    held = reviews.review_save(
        account=account,
        by=owner,
        kind="external",
        scheduled_for=timezone.localdate(),
        held_on=timezone.localdate(),
        outcomes=HOSTILE,
        customer_feedback=HOSTILE,
    )
    reviews.action_add(review=held, by=owner, text=HOSTILE[:400])
    ContactFactory(account=account, name="<b>Bold</b> @import url(http://10.0.0.1/x.css);")
    fetched = []
    real = pdf_module.StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(pdf_module.StaticOnlyURLFetcher, "fetch", spy)
    for variant in ("internal", "customer"):
        response = pack(client_for(owner), account, variant)
        assert response.status_code == 200
        text, _pages, reader = read(response.content)
        # The markup arrives as text, to be read, not run.
        assert 'rel="attachment"' in text.replace("\n", "") or "attachment" in text
        assert "/EmbeddedFile" not in response.content.decode("latin-1")
        assert not reader.attachments
        assert "root:x:0:0" not in text
    assert fetched and all(url.startswith(pdf_module.BASE_URL + "static/") for url in fetched)


def test_a_team_member_finds_the_download_links(client_for, teammate, rich_account):
    account = rich_account[0]
    page = client_for(teammate).get(f"/accounts/{account.pk}/reviews/").content.decode()
    assert f"/accounts/{account.pk}/pack.pdf?variant=internal" in page
    assert f"/accounts/{account.pk}/pack.pdf?variant=customer" in page


def test_the_pack_of_an_empty_account_still_renders(client_for, owner, account):
    """The internal pack says what is missing; the customer's leaves it out and keeps
    the roadmap."""
    internal, pages, _ = read(pack(client_for(owner), account, "internal").content)
    assert pages >= 2 and "No review held yet." in internal and "No scorecard yet." in internal
    customer, pages, _ = read(pack(client_for(owner), account, "customer").content)
    assert pages == 2 and "We will propose the date of our next business review." in customer
    for empty in ("No review", "No scorecard", "No shared measures", "goals yet", "None recorded"):
        assert empty not in customer, empty


def test_a_new_teammate_on_the_account_can_download(client_for, rich_account):
    from demo.factories import UserFactory

    account = rich_account[0]
    newcomer = UserFactory(username="newcomer")
    assert pack(client_for(newcomer), account, "internal").status_code == 404
    TeamMemberFactory(account=account, user=newcomer)
    assert pack(client_for(newcomer), account, "internal").status_code == 200


def test_the_risk_register_is_in_the_internal_pack_never_the_customer_s(
    client_for, owner, teammate, rich_account
):
    account = rich_account[0]
    services.risk_create(
        account=account,
        by=owner,
        title="Sponsor retiring in spring",
        category="relationship",
        likelihood=4,
        impact=5,
        owner=teammate,
        mitigation="Meet the new COO before March",
    )
    internal, _, _ = read(pack(client_for(owner), account, "internal").content)
    internal = " ".join(internal.split())  # table cells wrap their text over lines
    assert "Risk register" in internal and "Sponsor retiring in spring" in internal
    assert "Meet the new COO before March" in internal
    customer, _, _ = read(pack(client_for(owner), account, "customer").content)
    assert "Sponsor retiring" not in customer and "risk" not in customer.lower()
    assert "risks" not in packs.pack_context(account=account, variant="customer", user=owner)
