"""Sends a signed-in person who owes their second factor to give it (or, if the policy
requires one they have not set up, to set it up) before anything else; the API answers
403 to such a session. Requests signed in by an API token never pass here signed in
(DRF signs them in later): a token is made by a session that gave its second factor, or
by `auth/token/` with a code."""

from urllib.parse import urlencode

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
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            # An htmx request would follow a redirect and swap the page into a fragment.
            return HttpResponseClientRedirect(target)
        return redirect(target)
