"""The account's Revenue tab (issue 20, DESIGN §13): the grid of years × months with each
year's total and the twelve-month headline (an empty month stays empty, not 0), the
empty state, a year saved in one go through the service the API uses (history with its
author, the account recomputed), a refused save that keeps every typed value (422), 404
for outsiders on every route and read-only for those who may not edit."""

import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts_app.models import RevenueEntry, TeamMember
from accounts_app.revenue import month_start
from demo.factories import TeamMemberFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

HTMX_FORM = {"HX-Request": "true", "HX-Target": "revenue-form"}


def tab(account):
    return reverse("accounts:revenue", args=[account.pk])


def year_url(account, year):
    return reverse("accounts:revenue_year", args=[account.pk, year])


def record(account, months):
    """`months`: {months back from this one: amount}."""
    today = timezone.localdate()
    for back, amount in months.items():
        RevenueEntry.objects.create(
            account=account, month=month_start(today, back), amount=D(amount)
        )


def row_cells(response, year) -> list[str]:
    """The text of each cell of the year's row: the year, twelve months, the total."""
    row = re.search(rf'<tr id="revenue-{year}"[^>]*>(.*?)</tr>', response.text, re.S)
    assert row, f"no row for {year}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def typed_year(year, **months):
    """The year's form as posted: every month empty but those given (`m03="1,200"`)."""
    data = {f"{year}-{n:02d}": "" for n in range(1, 13)}
    data.update({f"{year}-{key[1:]}": value for key, value in months.items()})
    return data


# --- reading ------------------------------------------------------------------------------


def test_the_grid_shows_each_month_each_year_s_total_and_the_headline(client_for, account, owner):
    # The last twelve whole months 110 each (1,320), the twelve before 100 each (1,200),
    # one of the last twelve recorded as 0 and another not at all.
    record(account, {back: 110 for back in range(1, 13)} | {back: 100 for back in range(13, 25)})
    RevenueEntry.objects.filter(month=month_start(timezone.localdate(), 3)).update(amount=0)
    RevenueEntry.objects.filter(month=month_start(timezone.localdate(), 5)).delete()
    response = client_for(owner).get(tab(account))
    page = text(response)
    assert response.status_code == 200
    assert "€1,100" in page  # 1,320 − 110 (a zero) − 110 (missing)
    assert "€1,200" in page and "-8.3 % growth on the year before" in page
    assert "1 of the last twelve months has nothing recorded" in page

    today = timezone.localdate()
    expected = {}
    for entry in RevenueEntry.objects.all():
        expected.setdefault(entry.month.year, {})[entry.month.month] = entry.amount
    for year, months in expected.items():
        cells = row_cells(response, year)
        assert cells[0] == str(year)
        for number in range(1, 13):
            shown = cells[number]
            if number in months:
                assert shown == f"{months[number]:,.0f}", (year, number)
            else:
                assert shown == "", (year, number)  # nothing recorded: empty, not 0
        assert cells[13].startswith(f"{sum(months.values()):,.0f}")
    zero, missing = month_start(today, 3), month_start(today, 5)
    assert row_cells(response, zero.year)[zero.month] == "0"
    assert row_cells(response, missing.year)[missing.month] == ""
    # Newest year first; at least the last 36 months and this year are rows.
    years = [int(y) for y in re.findall(r'<tr id="revenue-(\d{4})"', response.text)]
    assert years == sorted(years, reverse=True)
    assert years[0] == today.year and years[-1] == month_start(today, 36).year


def test_without_a_history_the_tab_says_what_it_gives_and_how_to_bring_it_in(
    client_for, account, owner, executive
):
    page = text(client_for(owner).get(tab(account)))
    assert "No revenue history yet" in page
    for said in ("trailing-twelve-month revenue", "growth on the year before", "NRR", "GRR"):
        assert said in page
    response = client_for(owner).get(tab(account))
    assert 'href="/imports/"' in response.text and "revenue-entries/" in page
    assert "Enter it here a year at a time" in page
    assert f'href="{year_url(account, timezone.localdate().year)}"' in response.text
    read_only = client_for(executive).get(tab(account))
    assert "No revenue history yet" in text(read_only)
    assert "The account team enters it here" in text(read_only)
    assert 'id="revenue-' not in read_only.text  # no empty grid to look at


# --- saving a year --------------------------------------------------------------------------


def test_a_year_is_saved_in_one_go_with_its_author_in_the_history(
    client_for, account, owner, teammate
):
    year = timezone.localdate().year - 1
    RevenueEntry.objects.create(account=account, month=f"{year}-01-01", amount=D(500))
    RevenueEntry.objects.create(account=account, month=f"{year}-02-01", amount=D(600))
    client = client_for(teammate)
    form = client.get(year_url(account, year), headers={"HX-Request": "true"})
    assert form.status_code == 200 and 'value="500"' in form.text
    assert f'name="{year}-12"' in form.text
    assert "autofocus" in form.text.split(f'name="{year}-03"')[1].split(">")[0]  # first empty
    saved = client.post(
        year_url(account, year),
        typed_year(year, m01="500", m02="650.50", m03="1.2k", m04="0"),
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200 and saved.headers["HX-Location"]
    amounts = dict(RevenueEntry.objects.order_by("month").values_list("month__month", "amount"))
    assert amounts == {1: D(500), 2: D("650.50"), 3: D(1200), 4: D(0)}
    page = text(client.get(tab(account)))
    assert f"Revenue {year} saved: 2 months recorded and 1 month corrected." in page
    february = RevenueEntry.objects.get(month__month=2)
    assert [h.history_user for h in february.history.order_by("history_date")] == [None, teammate]
    assert february.history.first().history_account_id == account.pk
    assert RevenueEntry.objects.get(month__month=1).history.count() == 1  # unchanged: no row
    assert {h.history_user for h in RevenueEntry.history.filter(month__month=3)} == {teammate}


def test_a_refused_save_answers_422_keeps_every_typed_value_and_writes_nothing(
    client_for, account, owner
):
    year = timezone.localdate().year - 1
    RevenueEntry.objects.create(account=account, month=f"{year}-05-01", amount=D(800))
    typed = typed_year(
        year, m01="1,200", m02="-5", m03="lots", m04="123456789012345", m05="", m06="99.999"
    )
    client = client_for(owner)
    refused = client.post(year_url(account, year), typed, headers=HTMX_FORM)
    assert refused.status_code == 422
    assert "<nav" not in refused.text  # the form's section alone, swapped in place
    for value in ("1,200", "-5", "lots", "123456789012345", "99.999"):
        assert f'value="{value}"' in refused.text
    said = text(refused)
    assert "Revenue cannot be negative: enter 0 for a month without any." in said
    assert "Enter an amount such as 12k, 1.2M or 3,034,500." in said
    assert "Too large for one month: at most 999,999,999,999.99." in said
    assert "no more than 2 decimal places" in said
    assert "A recorded month is corrected, not removed" in said  # May, emptied
    assert "autofocus" in refused.text.split(f'name="{year}-02"')[1].split(">")[0]
    assert list(RevenueEntry.objects.values_list("amount", flat=True)) == [D(800)]

    # Every other month fixed, the emptied May alone is still refused: all or nothing.
    fixed = typed | {f"{year}-{n:02d}": "1" for n in (2, 3, 4, 6)}
    refused = client.post(year_url(account, year), fixed, headers=HTMX_FORM)
    assert refused.status_code == 422
    assert "A recorded month is corrected, not removed" in text(refused)
    assert 'value="1,200"' in refused.text
    assert RevenueEntry.objects.count() == 1

    # Without htmx (or aimed at the tab) the whole tab comes back, the form in it, still 422.
    whole = client.post(year_url(account, year), typed)
    assert whole.status_code == 422 and 'role="tablist"' in whole.text
    assert 'value="lots"' in whole.text


def test_the_service_refuses_a_month_not_begun_and_a_recorded_month_emptied(account, owner):
    from django.core.exceptions import ValidationError

    from accounts_app import services

    today = timezone.localdate()
    next_month, last_month = month_start(today, -1), month_start(today, 1)
    RevenueEntry.objects.create(account=account, month=last_month, amount=D(5))
    with pytest.raises(ValidationError) as refused:
        services.revenue_months_record(
            account=account, by=owner, amounts={next_month: D(1), last_month: None}
        )
    errors = refused.value.message_dict
    assert "has not begun" in str(errors[f"{next_month:%Y-%m}"])
    assert "corrected, not removed" in str(errors[f"{last_month:%Y-%m}"])
    assert list(RevenueEntry.objects.values_list("amount", flat=True)) == [D(5)]


def test_the_tab_offers_only_the_months_that_have_begun(client_for, account, owner):
    today = timezone.localdate()
    client = client_for(owner)
    assert client.get(year_url(account, today.year + 1)).status_code == 404
    form = client.get(year_url(account, today.year)).text
    assert f'name="{today:%Y-%m}"' in form
    assert f'name="{month_start(today, -1):%Y-%m}"' not in form


def test_saving_recomputes_the_account_s_annual_revenue(
    client_for, account, owner, django_capture_on_commit_callbacks
):
    last_year = timezone.localdate().year - 1
    account.annual_revenue = D(4_200_000)
    account.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(year_url(account, last_year), typed_year(last_year, m12="12k"))
    account.refresh_from_db()
    # December of last year is one of the last twelve whole months, whatever today is.
    assert account.annual_revenue == D(12_000)
    assert account.latest_snapshot.revenue_ttm == D(12_000)
    assert "from the monthly revenue history" in text(
        client_for(owner).get(account.get_absolute_url())
    )


# --- who may ------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_route(client_for, account, owner, outsider):
    record(account, {1: 100})
    year = timezone.localdate().year
    client = client_for(outsider)
    for headers in ({}, {"HX-Request": "true"}, HTMX_FORM):
        assert client.get(tab(account), headers=headers).status_code == 404
        assert client.get(year_url(account, year), headers=headers).status_code == 404
        posted = client.post(year_url(account, year), typed_year(year, m01="1"), headers=headers)
        assert posted.status_code == 404
    assert RevenueEntry.objects.count() == 1


def test_those_who_may_not_edit_read_only(client_for, account, owner, executive, manager):
    record(account, {1: 100})
    sponsor = TeamMemberFactory(account=account, role=TeamMember.Role.EXECUTIVE_SPONSOR).user
    year = timezone.localdate().year
    for reader in (executive, manager, sponsor):
        client = client_for(reader)
        page = client.get(tab(account))
        assert page.status_code == 200 and "€100" in text(page)
        assert "Edit the revenue of" not in page.text and 'id="revenue-form"' not in page.text
        assert client.get(year_url(account, year)).status_code == 403
        posted = client.post(year_url(account, year), typed_year(year, m01="5"), headers=HTMX_FORM)
        assert posted.status_code == 403
    assert list(RevenueEntry.objects.values_list("amount", flat=True)) == [D(100)]


# --- cost -----------------------------------------------------------------------------------


def test_the_tab_reads_in_constant_queries_whatever_the_months(client_for, account, owner):
    client = client_for(owner)
    record(account, {back: 10 for back in range(1, 13)})
    client.get(tab(account))
    with CaptureQueriesContext(connection) as twelve:
        client.get(tab(account))
    record(account, {back: 10 for back in range(13, 37)})
    with CaptureQueriesContext(connection) as thirty_six:
        client.get(tab(account))
    assert RevenueEntry.objects.count() == 36
    assert len(thirty_six) == len(twelve)
