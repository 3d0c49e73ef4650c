"""core.request_memo: within one GET request the accounts a user may see are read once
(one query over the teams) and every later use binds them as one array; writes and work
outside a request read afresh, so nothing they change goes stale under them."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts_app.models import Account
from core.request_memo import RequestMemoMiddleware, read_once
from demo.factories import AccountFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def in_request(method: str, work):
    """Run `work()` inside the middleware, as a view of a `method` request would."""
    found = {}

    def view(request):
        found["result"] = work()
        return None

    RequestMemoMiddleware(view)(getattr(RequestFactory(), method.lower())("/"))
    return found["result"]


def test_nothing_is_kept_outside_a_request():
    assert read_once("key", lambda: 1) is None


def test_a_get_request_computes_each_key_once_and_forgets_it_after():
    calls = []

    def work():
        return [read_once("key", lambda: calls.append(1) or len(calls)) for _ in range(3)]

    assert in_request("GET", work) == [1, 1, 1]
    assert in_request("GET", work) == [2, 2, 2]  # a new request, a new memo
    assert in_request("POST", work) == [None, None, None]  # writes keep none


def test_the_visible_accounts_are_the_same_read_once(manager, owner, account, outsider):
    AccountFactory(name="Report's", owner=UserFactory(manager=manager))
    mine = AccountFactory(name="Manager's own", owner=None)
    TeamMemberFactory(account=mine, user=manager)
    for user in (manager, owner, outsider):
        plain = set(Account.objects.visible_to(user).values_list("name", flat=True))

        def twice(user=user):
            with CaptureQueriesContext(connection) as queries:
                first = set(Account.objects.visible_to(user).values_list("name", flat=True))
                second = set(Account.objects.visible_to(user).values_list("name", flat=True))
            return first, second, len(queries)

        first, second, queries = in_request("GET", twice)
        assert first == second == plain
        # the ids (for a manager, their reports first), then one query per use
        assert queries == (4 if user == manager else 3)
    assert {"Acme Industrial", "Report's", "Manager's own"} <= set(
        Account.objects.visible_to(manager).values_list("name", flat=True)
    )


def test_a_write_sees_a_team_change_at_once(owner, outsider):
    """In a POST (a write), a user put on a team sees the account straight away."""
    account = AccountFactory(name="Joined later", owner=owner)

    def work():
        before = Account.objects.visible_to(outsider).filter(pk=account.pk).exists()
        TeamMemberFactory(account=account, user=outsider)
        return before, Account.objects.visible_to(outsider).filter(pk=account.pk).exists()

    assert in_request("POST", work) == (False, True)
