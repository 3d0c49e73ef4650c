"""Project-wide views: health check, errors."""

import logging

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.unavailable import unavailable_response

from .observability.beat import beat_last_run, beat_report
from .observability.broker import broker_reachable

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """503 when the database does not answer: this node cannot serve, the load balancer
    takes it out. Otherwise 200, with "status": "degraded" when the Celery broker is
    unreachable or the beat's minute tick is not being run: every node shares those, so
    taking nodes out would not help (docs/decisions.md, Observability)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    broker_ok = broker_reachable()
    beat = beat_report(beat_last_run())
    healthy = broker_ok and beat["status"] == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": "ok",
            "broker": "ok" if broker_ok else "unavailable",
            "beat": beat,
        }
    )


def page_not_found(request, exception):
    """A 404 in the API's own format (JSON) under /api/, the HTML page elsewhere: an API
    URL that matches no route (an id that is not a number, say) answers like an object
    that is not there, not with a page meant for a browser."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """A 500 in the API's own format (JSON) under /api/, the HTML page elsewhere; a 503
    when the error is the database out of reach (core/unavailable.py)."""
    unavailable = unavailable_response(request)
    if unavailable is not None:
        return unavailable
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
