"""Sends a signed-in person who owes their second factor to give it (or, if the policy
requires one they have not set up, to set it up) before anything else; the API answers
403 to such a session. Requests signed in by an API token never pass here signed in
(DRF signs them in later): a token is made by a session that gave its second factor, or
by `auth/token/` with a code."""

from urllib.parse import urlencode, urlsplit

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import second_factor

# What a person who owes a second factor may still open.
OPEN = ("/login/", "/logout/", "/oidc/", "/static/", "/healthz", "/metrics", "/favicon")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith(OPEN):
            state = second_factor.owed(request)
            if state is not None:
                target = reverse(
                    "second_factor:verify"
                    if state == second_factor.VERIFY
                    else "second_factor:setup"
                )
                if not request.path.startswith(target):
                    return self._send(request, state, target)
        return self.get_response(request)

    @staticmethod
    def _send(request, state, target):
        if request.path.startswith("/api/"):
            detail = (
                "Give your second factor in Strata first."
                if state == second_factor.VERIFY
                else "Your organisation requires a second factor: set it up in Strata first."
            )
            return JsonResponse({"detail": detail}, status=403)
        htmx = request.headers.get("HX-Request") == "true"
        going = _page_of(request) if htmx else request.get_full_path()
        if going and (htmx or request.method == "GET"):
            target += "?" + urlencode({"next": going})
        if htmx:
            # An htmx request would follow a redirect and swap the page into a fragment;
            # the person goes on, after, to the page they were on, not to the fragment.
            return HttpResponseClientRedirect(target)
        return redirect(target)


def _page_of(request) -> str:
    """The page an htmx request was made from (its HX-Current-URL), on this site."""
    url = urlsplit(request.headers.get("HX-Current-URL", ""))
    if url.netloc and url.netloc != request.get_host():
        return ""
    return url.path + (f"?{url.query}" if url.query else "")
