"""The database out of reach answers 503, never 500.

While PostgreSQL restarts or a network partition cuts a web node off from it, every
request that needs the database fails with a connection error: the session, the user, the
page's reads. Those are not bugs but a passing outage, so the answer is 503 with a
Retry-After, a short page (or the API's JSON) saying so, and nothing else to do: Django
checks its persistent connection at the start of each request (CONN_HEALTH_CHECKS) and
reconnects by itself once the database is back.

A deadlock, a serialization failure or a broken query stays a 500: the database answered.
"""

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

RETRY_AFTER_SECONDS = 5
# SQLSTATE classes of a connection lost or refused: 08 (connection exception) and 57P
# (operator intervention: shutdown, crash, "the database system is starting up").
_UNREACHABLE_SQLSTATES = ("08", "57P")


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database could not be reached (rather than a failed query)."""
    if isinstance(exc, InterfaceError):
        return True  # a connection already closed under us
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # No SQLSTATE: refused, reset or closed before the server said anything (psycopg's
    # "connection failed", "server closed the connection unexpectedly"; SQLite's
    # "unable to open database file", "database is locked").
    return sqlstate is None or sqlstate.startswith(_UNREACHABLE_SQLSTATES)


def unavailable_response(request: HttpRequest) -> HttpResponse | None:
    """The 503 for the exception being handled, when it is the database out of reach;
    None otherwise. Called by the 500 handler, which Django calls inside its `except`,
    for an exception raised by a view or by any middleware (the session, the user)."""
    if not database_unreachable(sys.exc_info()[1]):
        return None
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable. Try again in a few seconds."},
            status=503,
        )
    else:
        # Rendered without the request: the context processors would read the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
