"""The database out of reach (PostgreSQL restarting, a node cut off) answers 503 with a
Retry-After, a page or the API's JSON, never a 500; a query that fails stays a 500."""

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db.utils import InterfaceError, OperationalError

from core.unavailable import database_unreachable

pytestmark = pytest.mark.django_db


def _wrapped(cause: Exception) -> OperationalError:
    """As Django raises it: its own class, the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


REFUSED = _wrapped(psycopg.OperationalError("connection failed: Connection refused"))
SHUTTING_DOWN = _wrapped(psycopg.errors.AdminShutdown("terminating connection"))
STARTING_UP = _wrapped(psycopg.errors.CannotConnectNow("the database system is starting up"))
DEADLOCK = _wrapped(psycopg.errors.DeadlockDetected("deadlock detected"))


@pytest.fixture
def database_down(monkeypatch):
    """Every request's first read (its session) fails as when PostgreSQL is down."""

    def fail(error):
        def load(self):
            raise error

        monkeypatch.setattr(SessionStore, "load", load)

    return fail


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    client.raise_request_exception = False  # answer as in production
    return client


def test_connection_errors_are_the_database_out_of_reach():
    for error in (REFUSED, SHUTTING_DOWN, STARTING_UP, InterfaceError("connection closed")):
        assert database_unreachable(error), error
    assert not database_unreachable(DEADLOCK)
    assert not database_unreachable(ValueError("not a database error"))


@pytest.mark.parametrize("error", [REFUSED, SHUTTING_DOWN, STARTING_UP])
def test_a_page_answers_503_with_a_page_that_says_so(signed_in, database_down, error):
    database_down(error)
    response = signed_in.get("/accounts/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "briefly unavailable" in response.content.decode()


def test_the_api_answers_503_in_json(signed_in, database_down):
    database_down(REFUSED)
    response = signed_in.get("/api/v1/accounts/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "unavailable" in response.json()["detail"]


def test_a_write_answers_503(signed_in, database_down):
    database_down(SHUTTING_DOWN)
    assert signed_in.post("/api/v1/interactions/", {}).status_code == 503
    assert signed_in.post("/accounts/new/", {"name": "Lost"}).status_code == 503


def test_a_failed_query_stays_a_500(signed_in, database_down):
    database_down(DEADLOCK)
    response = signed_in.get("/accounts/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    database_down(DEADLOCK)
    assert signed_in.get("/api/v1/accounts/").json() == {"detail": "Server error."}


def test_the_503_page_reads_nothing_from_the_database(rf, django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        html = render_to_string("503.html")
    assert "style=" not in html and "css/error" in html
