"""The executive portfolio pack: a page per Tier I account and a summary, rendered by a
job (a real worker in one test) with its progress on the page and the download once it
is ready; kept with who generated it; for executives and admins only (404 for others,
as are other people's account packs)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts_app.models import Account
from demo.factories import AccountFactory, BusinessReviewFactory, TierAssignmentFactory
from insights import packs, tasks
from plans.models import GeneratedPack

pytestmark = pytest.mark.django_db


def read(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def tier_one(owner, account, seeded_tiers):
    tiers = seeded_tiers
    names = ["Zephyr Mining", "Yarrow Foods", "Xenon Labs"]
    for index, name in enumerate(names):
        placed = AccountFactory(name=name, owner=owner, annual_revenue=Decimal(1000 - index))
        TierAssignmentFactory(account=placed, tier=tiers[0])
    TierAssignmentFactory(account=account, tier=tiers[1])  # not Tier I
    return names


def test_the_job_renders_a_page_per_tier_one_account(executive, tier_one):
    pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)
    done = packs.portfolio_pack_render(pack_id=pack.pk)
    assert done.status == "done" and done.progress_done == done.progress_total == 4
    text, pages = read(bytes(done.pdf))
    assert pages == 2 + 3 and done.pages == 5  # cover, summary, one page each
    for name in tier_one:
        assert name in text
    assert "Acme Industrial" not in text  # Tier II
    assert "Portfolio summary" in text and "3 accounts, one page each" in text
    # Largest revenue first, as in the summary's table.
    assert text.index("Zephyr Mining") < text.index("Yarrow Foods") < text.index("Xenon Labs")
    # A job delivered twice changes nothing.
    again = packs.portfolio_pack_render(pack_id=pack.pk)
    assert again.finished_at == done.finished_at


def test_the_page_starts_the_job_shows_progress_and_serves_the_download(
    client_for, executive, tier_one, django_capture_on_commit_callbacks
):
    client = client_for(executive)
    assert "No portfolio pack yet" in client.get("/packs/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the job runs inline here
        response = client.post("/packs/portfolio/")
    pack = GeneratedPack.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/packs/{pack.pk}/"
    page = client.get(f"/packs/{pack.pk}/").content.decode()
    assert "Ready" in page and "5 pages" in page and f"/packs/{pack.pk}/download/" in page
    download = client.get(f"/packs/{pack.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert "portfolio-review-pack-portfolio-" in download["Content-Disposition"]
    assert read(download.content)[1] == 5
    listing = client.get("/packs/").content.decode()
    assert "Eve Exec" in listing and "Download" in listing


def test_progress_while_it_renders(client_for, executive, tier_one):
    pack = GeneratedPack.objects.create(
        kind="portfolio",
        requested_by=executive,
        status="running",
        progress_total=4,
        progress_done=2,
    )
    fragment = client_for(executive).get(f"/packs/{pack.pk}/", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="50"' in html
    assert "Gathering account 2 of 3" in html
    assert client_for(executive).get(f"/packs/{pack.pk}/download/").status_code == 404
    # While one renders, asking again returns it rather than queueing a second.
    assert packs.portfolio_pack_start(by=executive) == pack


def test_only_executives_and_admins_have_the_portfolio_pack(
    client_for, executive, admin_user, manager, owner, outsider, account, tier_one
):
    pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)
    packs.portfolio_pack_render(pack_id=pack.pk)
    for user in (manager, owner, outsider):
        client = client_for(user)
        assert client.get("/packs/").status_code == 404
        assert client.post("/packs/portfolio/").status_code == 404
        assert client.get(f"/packs/{pack.pk}/").status_code == 404
        assert client.get(f"/packs/{pack.pk}/download/").status_code == 404
    assert client_for(admin_user).get(f"/packs/{pack.pk}/download/").status_code == 200
    # An account's pack, kept: its team downloads it again, an outsider gets 404.
    client_for(owner).get(f"/accounts/{account.pk}/pack.pdf?variant=customer")
    kept = GeneratedPack.objects.get(kind="customer")
    assert (kept.account, kept.requested_by, kept.status) == (account, owner, "done")
    assert client_for(manager).get(f"/packs/{kept.pk}/download/").status_code == 200
    assert client_for(outsider).get(f"/packs/{kept.pk}/download/").status_code == 404
    assert client_for(outsider).get("/packs/999999/download/").status_code == 404


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_portfolio_pack(real_worker, executive, tier_one):
    pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)
    result = tasks.render_portfolio_pack.apply_async(args=[pack.pk], queue=real_worker)
    assert result.get(timeout=120) == "done"
    pack.refresh_from_db()
    text, pages = read(bytes(pack.pdf))
    assert pages == 5 and "Zephyr Mining" in text


def test_a_large_tier_shows_its_largest_accounts(settings, executive, tier_one):
    settings.STRATA_PORTFOLIO_PACK_ACCOUNTS = 2
    pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)
    text, pages = read(bytes(packs.portfolio_pack_render(pack_id=pack.pk).pdf))
    assert pages == 4 and "the largest by revenue of 3" in text
    assert "Xenon Labs" not in text  # the smallest of the three


def test_a_review_past_its_due_date_is_marked_overdue(executive, tier_one, seeded_tiers):
    held = timezone.localdate() - timedelta(days=400)
    BusinessReviewFactory(
        account=Account.objects.get(name="Zephyr Mining"),
        kind="internal",
        scheduled_for=held,
        held_on=held,
    )
    pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)
    text, _pages = read(bytes(packs.portfolio_pack_render(pack_id=pack.pk).pdf))
    due = held + timedelta(days=seeded_tiers[0].internal_review_days)
    zephyr_page = text[text.rindex("Zephyr Mining") : text.rindex("Yarrow Foods")]
    assert f"Internal: Overdue since {due:%-d %b %Y}" in zephyr_page
    assert "Overdue since" not in text[text.rindex("Yarrow Foods") :]


def test_a_failed_render_is_shown_with_its_reason(client_for, executive, tier_one, monkeypatch):
    pack = GeneratedPack.objects.create(kind="portfolio", requested_by=executive)

    def broken(*args, **kwargs):
        raise RuntimeError("Pango ran out of fonts")

    monkeypatch.setattr(packs.portfolio, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        packs.portfolio_pack_render(pack_id=pack.pk)
    pack.refresh_from_db()
    assert (pack.status, pack.error) == ("failed", "Pango ran out of fonts")
    page = client_for(executive).get(f"/packs/{pack.pk}/").content.decode()
    assert "could not be rendered" in page and "Pango ran out of fonts" in page
    assert "Try again" in page and "every 1s" not in page  # it stops polling
    assert client_for(executive).get(f"/packs/{pack.pk}/download/").status_code == 404
