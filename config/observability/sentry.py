"""Sentry, only when SENTRY_DSN is set: errors of the web server and the Celery workers,
with no personal data — no user, address, cookies, request bodies or local variables
(which hold account and contact details), and no survey link's token."""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# A survey link (/s/<token>/) lets whoever holds it answer: the token stays here.
_SURVEY_TOKEN = re.compile(r"/s/[^/?#]+")


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    request = event.get("request") or {}
    if isinstance(request.get("url"), str):
        request["url"] = _SURVEY_TOKEN.sub("/s/[token]", request["url"])
    request.pop("query_string", None)
    return event


def sentry_init(*, dsn: str, environment: str | None, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
