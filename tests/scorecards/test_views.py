"""The Scorecard tab: starting the first scorecard, the grid (a value saved in place,
the whole grid saved at once, a refused value kept as typed), the next period, metrics
added and removed, the CSV import and its report; permissions and query counts."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories import AccountFactory, MetricFactory
from scorecards import services
from scorecards.models import Metric, Scorecard, ScorecardLine

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def tab(account):
    return reverse("scorecards:account", args=[account.pk])


def line(card, name):
    return card.lines.get(metric__name=name)


def test_an_account_without_a_scorecard_offers_to_start_one(client_for, owner, account):
    page = text(client_for(owner).get(tab(account)))
    assert "No scorecard yet" in page and "Start the scorecard" in page
    response = client_for(owner).post(
        reverse("scorecards:start", args=[account.pk]),
        {"cadence": "monthly", "period": "2026-11", "metrics": [MetricFactory(name="Revenue").pk]},
    )
    card = Scorecard.objects.get()
    assert response["Location"] == f"{tab(account)}?period=2026-11-01"
    assert (card.cadence, card.period_start) == ("monthly", date(2026, 11, 1))
    assert [line.metric.name for line in card.lines.all()] == ["Revenue"]


def test_a_bad_start_keeps_the_choices_and_says_why(client_for, owner, account):
    response = client_for(owner).post(
        reverse("scorecards:start", args=[account.pk]),
        {"cadence": "quarterly", "period": "2026-02"},
    )
    page = text(response)
    assert "A quarter starts in January here" in page and "Choose at least one metric." in page
    assert 'value="2026-02"' in response.content.decode()
    assert not Scorecard.objects.exists()


def test_the_grid_shows_each_line_with_its_attainment(client_for, owner, account, scorecard):
    services.line_update(line=line(scorecard, "Revenue"), by=owner, actual="900000")
    page = text(client_for(owner).get(tab(account)))
    assert "Q1 FY2026" in page and "90.0 / 100" in page
    assert "90% Near" in page
    assert 'value="1000000"' in client_for(owner).get(tab(account)).content.decode()


def test_enter_in_the_grid_saves_and_never_removes_a_line(client_for, owner, account, scorecard):
    """Implicit submission (Enter in a box before the script takes over, or without it)
    uses the form's first submit button: it must be the save, not the first Remove."""
    page = client_for(owner).get(tab(account)).content.decode()
    grid = page[page.index('class="card table-card scorecard-grid"') :]
    first_button = re.search(r"<button[^>]*>", grid[: grid.index("</form>")]).group(0)
    assert 'type="submit"' in first_button and "formaction" not in first_button
    assert "Remove" in grid[: grid.index("</form>")]  # the rows' own buttons are there


def test_saving_a_value_in_place_returns_its_result_and_the_score(client_for, owner, scorecard):
    revenue = line(scorecard, "Revenue")
    response = client_for(owner).post(
        reverse("scorecards:line", args=[revenue.pk]),
        {f"actual-{revenue.pk}": "1,100,000"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<td id="line-{revenue.pk}-result"')
    assert "110% On target" in text(response)
    assert 'id="scorecard-score" class="scorecard-score" hx-swap-oob="true"' in html
    assert "100.0 / 100" in text(response)  # the only measured line, capped at 100 %
    revenue.refresh_from_db()
    assert revenue.actual == D(1100000)


def test_a_refused_value_is_said_and_nothing_is_saved(client_for, owner, scorecard):
    revenue = line(scorecard, "Revenue")
    response = client_for(owner).post(
        reverse("scorecards:line", args=[revenue.pk]),
        {f"actual-{revenue.pk}": "lots"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Actual: Enter a number." in text(response)
    revenue.refresh_from_db()
    assert revenue.actual is None


def test_save_all_saves_every_line_or_none(client_for, owner, account, scorecard):
    revenue, escalations = line(scorecard, "Revenue"), line(scorecard, "Open escalations")
    url = reverse("scorecards:save", args=[account.pk, scorecard.pk])
    bad = {f"actual-{revenue.pk}": "950000", f"actual-{escalations.pk}": "two"}
    response = client_for(owner).post(url, bad)
    page = text(response)
    assert "Nothing was saved: correct the highlighted values." in page
    html = response.content.decode()
    assert 'value="950000"' in html and 'value="two"' in html  # what was typed is kept
    assert not ScorecardLine.objects.filter(actual__isnull=False).exists()
    good = {f"actual-{revenue.pk}": "950000", f"actual-{escalations.pk}": "2"}
    assert client_for(owner).post(url, good).status_code == 302
    scorecard.refresh_from_db()
    # 100·(2·0.95 + 1·1)/3 = 96.7 (two escalations against at most four: on target)
    assert scorecard.score == D("96.7")


def test_the_next_period_starts_from_this_one(client_for, owner, account, scorecard):
    response = client_for(owner).post(reverse("scorecards:next", args=[account.pk, scorecard.pk]))
    assert response["Location"] == f"{tab(account)}?period=2026-04-01"
    page = text(client_for(owner).get(response["Location"]))
    assert "Q2 FY2026" in page and "Start Q3 FY2026" in page
    assert line(Scorecard.objects.get(period_start=date(2026, 4, 1)), "Revenue").target == D(
        1000000
    )


def test_metrics_are_added_and_removed(client_for, owner, account, scorecard):
    url = reverse("scorecards:line_add", args=[account.pk, scorecard.pk])
    client_for(owner).post(url, {"metric": MetricFactory(name="On-time delivery").pk})
    assert scorecard.lines.count() == 3
    response = client_for(owner).post(
        url, {"metric": MetricFactory(name="Revenue").pk}
    )  # already on it
    assert scorecard.lines.count() == 3
    assert "Choose a metric that is not on the scorecard yet." in text(
        client_for(owner).get(response["Location"])
    )
    remove = reverse("scorecards:line_remove", args=[line(scorecard, "On-time delivery").pk])
    client_for(owner).post(remove)
    assert scorecard.lines.count() == 2


def upload(content: str, name="actuals.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_importing_a_clean_file(client_for, owner, account, scorecard):
    url = reverse("scorecards:import", args=[account.pk])
    csv = "period,metric,actual\n2026-01,Revenue,980000\n2026-04,Open escalations,1\n"
    response = client_for(owner).post(url, {"file": upload(csv)})
    assert response["Location"] == tab(account)
    assert "Imported 2 actuals; 1 new period." in text(client_for(owner).get(tab(account)))
    assert line(scorecard, "Revenue").actual == D(980000)


def test_a_bad_file_lists_every_bad_row_and_changes_nothing(client_for, owner, account, scorecard):
    url = reverse("scorecards:import", args=[account.pk])
    csv = "period;metric;actual\n2026-01;Revenue;980000\n2026-13;Revenue;1\n2026-01;Nope;1\n"
    page = text(client_for(owner).post(url, {"file": upload(csv)}))
    assert "Nothing was imported: 2 rows of 3 need correcting." in page
    assert "Line 3: period “2026-13”" in page and "Line 4: no metric is called “Nope”" in page
    assert line(scorecard, "Revenue").actual is None
    for content, message in (
        ("name,value\nx,1\n", "must name the columns period, metric and actual"),
        ("period,metric,actual\n", "the file has no rows under its header"),
    ):
        assert message in text(client_for(owner).post(url, {"file": upload(content)}))
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    assert "not UTF-8 text" in text(client_for(owner).post(url, {"file": binary}))


def test_the_csv_download_lists_the_current_scorecard(client_for, owner, account, scorecard):
    response = client_for(owner).get(reverse("scorecards:import_template", args=[account.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "period,metric,actual,target",
        "2026-01,Revenue,,1000000",
        "2026-01,Open escalations,,4",
    ]


@pytest.mark.parametrize("role", ["executive", "manager"])
def test_read_only_roles_see_the_scorecard_but_do_not_change_it(
    request, client_for, role, account, scorecard
):
    client = client_for(request.getfixturevalue(role))
    response = client.get(tab(account))
    assert response.status_code == 200 and "Revenue" in text(response)
    assert (
        "<input"
        not in response.content.decode().split('class="data scorecard"')[1].split("</table>")[0]
    )
    revenue = line(scorecard, "Revenue")
    for url, data in (
        (reverse("scorecards:start", args=[account.pk]), {}),
        (reverse("scorecards:next", args=[account.pk, scorecard.pk]), {}),
        (reverse("scorecards:save", args=[account.pk, scorecard.pk]), {}),
        (reverse("scorecards:line_add", args=[account.pk, scorecard.pk]), {}),
        (reverse("scorecards:line", args=[revenue.pk]), {"actual": "1"}),
        (reverse("scorecards:line_remove", args=[revenue.pk]), {}),
        (reverse("scorecards:import", args=[account.pk]), {}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("scorecards:import", args=[account.pk])).status_code == 403
    assert Scorecard.objects.count() == 1 and scorecard.lines.count() == 2
    assert not ScorecardLine.objects.filter(actual__isnull=False).exists()


def test_outsiders_get_404_everywhere(client_for, outsider, account, scorecard):
    client = client_for(outsider)
    revenue = line(scorecard, "Revenue")
    for url in (
        tab(account),
        reverse("scorecards:import", args=[account.pk]),
        reverse("scorecards:import_template", args=[account.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("scorecards:start", args=[account.pk]),
        reverse("scorecards:next", args=[account.pk, scorecard.pk]),
        reverse("scorecards:save", args=[account.pk, scorecard.pk]),
        reverse("scorecards:line_add", args=[account.pk, scorecard.pk]),
        reverse("scorecards:line", args=[revenue.pk]),
        reverse("scorecards:line_remove", args=[revenue.pk]),
    ):
        assert client.post(url, {"actual": "1"}).status_code == 404, url
    assert line(scorecard, "Revenue").actual is None


def test_a_scorecard_of_another_account_is_404(client_for, owner, account, scorecard):
    other = AccountFactory(owner=owner)
    url = reverse("scorecards:next", args=[other.pk, scorecard.pk])
    assert client_for(owner).post(url).status_code == 404


def test_the_tab_queries_do_not_grow_with_lines_or_periods(client_for, owner):
    client = client_for(owner)

    def count(n):
        account = AccountFactory(owner=owner)
        metrics = list(Metric.objects.all()[:n])
        card = services.scorecard_create(
            account=account, by=owner, period_start=date(2025, 1, 1), metrics=metrics
        )
        for _ in range(n):
            for each in card.lines.all():
                services.line_update(line=each, by=owner, target="10", actual="9")
            card = services.scorecard_next(scorecard=card, by=owner)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(tab(account)).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(6)
