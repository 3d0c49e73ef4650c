"""Sessions end after a while without activity (STRATA_SESSION_IDLE_MINUTES).

A session lives SESSION_COOKIE_AGE seconds from its last save; this middleware saves a
signed-in session again as its user comes back, so the clock restarts with each visit —
at most once a minute, so that reading pages does not write the session every time.
A session left alone that long is gone: the next request meets the sign-in page.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

TOUCH_EVERY_SECONDS = 60
SEEN_AT = "strata_seen_at"


def _now() -> int:
    return int(timezone.now().timestamp())


def _signed_in(sender, request, user, **kwargs):
    """Signing in saves the session: the first pages after it need not save it again."""
    if getattr(request, "session", None) is not None:
        request.session[SEEN_AT] = _now()


def register() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="strata-session-seen-at")


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = _now()
            if now - session.get(SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
                session[SEEN_AT] = now  # modified: saved with a new expiry and cookie
        return self.get_response(request)
