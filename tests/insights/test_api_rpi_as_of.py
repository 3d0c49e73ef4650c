"""`accounts/{id}/rpi/?as_of=`: the RPI of a past day from the history (DESIGN §7, §11),
on the hand-computed past of tests/accounts_app/test_rpi_history.py."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.accounts_app.test_rpi_history import FIXED, build_past

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(account, owner, teammate):
    build_past(account, owner, teammate, FIXED)
    return account


def url(account, as_of):
    return f"/api/v1/accounts/{account.pk}/rpi/?as_of={as_of}"


def test_it_answers_the_rpi_of_a_past_day(api_for, teammate, past):
    body = api_for(teammate).get(url(past, "2025-03-15")).json()
    assert body["as_of"] == "2025-03-15"
    assert (body["rpi"], body["high"], body["wide"], body["deep"]) == (75.0, 62.5, 100.0, 62.5)
    assert [(g["kind"], g["contact_name"]) for g in body["gaps"]] == [
        ("single_threaded", "Ada Exec")
    ]


def test_it_answers_the_past_gaps_with_names(api_for, owner, past):
    body = api_for(owner).get(url(past, "2025-02-15")).json()
    assert body["rpi"] == 44.4
    assert {(g["kind"], g["contact_name"]) for g in body["gaps"]} == {
        ("uncovered", "Ada Exec"),
        ("single_threaded", "Ada Exec"),
        ("uncovered", "Ben Senior"),
    }


def test_before_the_account_had_anyone_the_rpi_is_zero(api_for, owner, past):
    body = api_for(owner).get(url(past, "2020-01-01")).json()
    assert (body["rpi"], body["high"], body["wide"], body["deep"], body["gaps"]) == (
        0.0,
        0.0,
        0.0,
        0.0,
        [],
    )


def test_without_as_of_it_answers_now(api_for, owner, past):
    body = api_for(owner).get(f"/api/v1/accounts/{past.pk}/rpi/").json()
    assert body["as_of"] is None and body["rpi"] == 81.1
    # An empty ?as_of= is no date given: now.
    assert api_for(owner).get(url(past, "")).json()["as_of"] is None


def test_today_is_allowed(api_for, owner, past):
    response = api_for(owner).get(url(past, timezone.localdate().isoformat()))
    assert response.status_code == 200 and response.json()["rpi"] == 81.1


@pytest.mark.parametrize("bad", ["yesterday", "2025-02-30", "15/03/2025"])
def test_a_date_that_does_not_parse_is_a_400(api_for, owner, past, bad):
    response = api_for(owner).get(url(past, bad))
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_a_future_day_is_a_400(api_for, owner, past):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = api_for(owner).get(url(past, tomorrow.isoformat()))
    assert response.status_code == 400
    assert "future" in response.json()["as_of"][0]


def test_outsiders_get_404_whatever_the_date(api_for, outsider, past):
    assert api_for(outsider).get(url(past, "2025-03-15")).status_code == 404
    assert api_for(outsider).get(url(past, "not-a-date")).status_code == 404
    assert (
        api_for(outsider).get(f"/api/v1/accounts/987654/rpi/?as_of={date(2025, 3, 1)}").status_code
        == 404
    )
