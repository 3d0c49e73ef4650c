"""The client's address, for django-axes' lockout, with or without proxies in front.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
N trusted proxies the client is the N-th entry from the right; everything left of it
was written by the client and proves nothing. Without a proxy (N = 0) the header is not
read at all and the client is REMOTE_ADDR.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.STRATA_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote  # not through the expected proxies: the peer is all we know
    return hops[-proxies]
