"""Reads of insights' own pages."""

from django.db.models import QuerySet

from accounts_app.models import Account, User
from accounts_app.selectors import account_list


def portfolio_account_list(*, user: User) -> QuerySet[Account]:
    """The accounts list of the page and the API: the account core's list (the figures
    of the latest snapshot, the RPI's 90-day change) with each account's tier joined."""
    return account_list(user=user).select_related("tier_assignment__tier")
