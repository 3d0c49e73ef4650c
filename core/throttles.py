"""Request limits: DRF throttles for the API, and the same throttles around the HTML
views that render PDFs and maps and around the public survey link.

Each limit reads its rate ("30/hour") from a setting on every request, so an operator's
environment (config/settings/base.py) and a test's `settings` fixture both take effect
without a restart; a rate of None switches the limit off. The counts live in Django's
default cache: Redis when REDIS_URL is set, shared by every web node and worker, and
the process's own memory otherwise (the embedded default runs one process).

A limit that is reached raises `LimitReached` (DRF's `Throttled`) with a message that says what was
limited and when to come back: the API answers it as 429 with Retry-After, and
`limit_view` turns it into a readable 429 page.
"""

import math
from collections.abc import Callable
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.template.response import TemplateResponse
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

_PERIODS = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}


class LimitReached(Throttled):
    """429 with our own message, which already says when to come back (DRF's would
    append "Expected available in N seconds."), and Retry-After from `wait`."""

    def __init__(self, *, wait: float | None, detail: str):
        super().__init__(detail=detail)
        self.wait = math.ceil(wait) if wait is not None else None


def _in_words(seconds: float | None) -> str:
    if seconds is None:
        return "in a while"
    seconds = max(math.ceil(seconds), 1)
    if seconds < 60:
        count, unit = seconds, "second"
    elif seconds <= 3600:
        count, unit = math.ceil(seconds / 60), "minute"
    else:
        count, unit = math.ceil(seconds / 3600), "hour"
    return f"in {count} {unit}{'s' if count != 1 else ''}"


class _SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is the setting `rate_setting`, whose address is the one
    django-axes sees (config/client_ip.py: X-Forwarded-For only behind trusted
    proxies), and which raises `LimitReached` with its own message when the limit is hit."""

    rate_setting: str
    # "{limit}" is "30 an hour", "{retry}" is "in 12 minutes".
    message: str
    # Whose requests count together: "person" (a signed-in user; anyone else by
    # address), "address", or "anonymous" (by address, requests without a user only).
    per: str

    def get_rate(self) -> str | None:
        return getattr(settings, self.rate_setting)

    def get_ident(self, request) -> str:
        return get_client_ip_address(request) or "unknown"

    def get_cache_key(self, request, view) -> str | None:
        signed_in = bool(request.user and request.user.is_authenticated)
        if self.per == "anonymous" and signed_in:
            return None
        ident = request.user.pk if self.per == "person" and signed_in else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def throttle_failure(self):
        wait = self.wait()
        period = _PERIODS.get(self.duration, f"per {self.duration} seconds")
        limit = f"{self.num_requests} {period}"
        raise LimitReached(
            wait=wait, detail=self.message.format(limit=limit, retry=_in_words(wait))
        )


class UserThrottle(_SettingsRateThrottle):
    """Every API request of a signed-in user (an anonymous one: by address)."""

    scope = "user"
    rate_setting = "STRATA_API_RATE_USER"
    per = "person"
    message = "Too many API requests: the limit is {limit} per user. Try again {retry}."


class AnonThrottle(_SettingsRateThrottle):
    """API requests without a signed-in user (the sign-in endpoint, the schema), by address."""

    scope = "anon"
    rate_setting = "STRATA_API_RATE_ANON"
    per = "anonymous"
    message = "Too many API requests from your address: the limit is {limit}. Try again {retry}."


class RenderThrottle(_SettingsRateThrottle):
    """PDF and map renders (packs, one-pagers, relationship maps) of one user, pages and
    API together: each costs a second or two of CPU."""

    scope = "renders"
    rate_setting = "STRATA_RENDER_RATE"
    per = "person"
    message = "Too many PDF and map downloads: the limit is {limit} per person. Try again {retry}."


class SurveyLinkThrottle(_SettingsRateThrottle):
    """The public survey link (no login), by address."""

    scope = "survey"
    rate_setting = "STRATA_SURVEY_RATE"
    per = "address"
    message = "Too many requests from your address: the limit is {limit}. Try again {retry}."


def limit_view(
    throttle_class: type[_SettingsRateThrottle], *, template: str = "429.html"
) -> Callable:
    """Count each request of a Django view against `throttle_class`; past the limit,
    answer 429 with Retry-After and `template` (given `title` and `text`)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                throttle_class().allow_request(request, None)
            except LimitReached as exc:
                response = TemplateResponse(
                    request,
                    template,
                    {"title": "Too many requests", "text": exc.detail, "refused": True},
                    status=exc.status_code,
                )
                if exc.wait is not None:
                    response["Retry-After"] = str(math.ceil(exc.wait))
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


limit_renders = limit_view(RenderThrottle)
