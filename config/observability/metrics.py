"""GET /metrics: Prometheus's text format, for a scraper that sends
`Authorization: Bearer <STRATA_METRICS_TOKEN>`.

Requests and their latencies come from django-prometheus's middleware, task failures
from config/observability/counters.py; the queue depths and the periodic jobs' last runs
are read when scraped (broker, database), so every web node reports the same values.
"""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from core.heartbeats import BEAT, NIGHTLY_RECOMPUTE

from .beat import last_runs
from .broker import broker_reachable, queue_lengths


class StrataCollector:
    """The gauges read at scrape time."""

    def collect(self):
        up = GaugeMetricFamily(
            "strata_broker_up", "1 when the Celery broker answers, 0 when it does not."
        )
        up.add_metric([], 1 if broker_reachable() else 0)
        yield up
        lengths = GaugeMetricFamily(
            "strata_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        for queue, length in (queue_lengths() or {}).items():
            lengths.add_metric([queue], length)
        yield lengths
        runs = last_runs()
        for name, key, text in (
            (
                "strata_nightly_recompute_last_success_timestamp_seconds",
                NIGHTLY_RECOMPUTE,
                "When the nightly recompute of every account last finished (Unix time).",
            ),
            (
                "strata_beat_last_run_timestamp_seconds",
                BEAT,
                "When a worker last ran the task the beat schedules every minute (Unix time).",
            ),
        ):
            gauge = GaugeMetricFamily(name, text)
            if key in runs:
                gauge.add_metric([], runs[key].timestamp())
            yield gauge


_STRATA_REGISTRY = CollectorRegistry(auto_describe=False)
_STRATA_REGISTRY.register(StrataCollector())


def _process_registry():
    """Every process's counters when they share PROMETHEUS_MULTIPROC_DIR, else this
    process's own."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _token_matches(request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


@never_cache
@require_GET
def metrics_view(request):
    """404 while STRATA_METRICS_TOKEN is unset; 401 without the token."""
    token = settings.STRATA_METRICS_TOKEN
    if not token:
        raise Http404
    if not _token_matches(request, token):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["Content-Type"] = "text/plain; charset=utf-8"
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = generate_latest(_process_registry()) + generate_latest(_STRATA_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
