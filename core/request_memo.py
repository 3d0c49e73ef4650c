"""What a GET request reads once and uses many times: a memo that lives for one request.

The accounts a user may see (Account.objects.visible_to) are a subquery over the teams:
a page asks it four or five times (the list's count and its page, the owners of the
filter, the parents' names, the alerts badge), and each time PostgreSQL plans and runs
it again — a third of a manager's list in the database at DESIGN §9 scale. Read once as
a list of ids and bound as one array (core/lookups.py), each use becomes an index lookup
(bench/README.md, "CPU per page").

Only GET and HEAD requests keep a memo: they change nothing, so nothing they read can
go stale under them. Writes, Celery jobs and management commands read afresh each time,
as do answers streamed after the view has returned (the memo ends with the view).
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)

READ_ONLY = ("GET", "HEAD")


def read_once(key, compute: Callable[[], T]) -> T | None:
    """`compute()` once per `key` in this GET request; None outside one."""
    memo = _memo.get()
    if memo is None:
        return None
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY:
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
