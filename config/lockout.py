"""django-axes' database handler, with its own limit for each way failures are counted.

Axes counts the failures of each lockout parameter set (AXES_LOCKOUT_PARAMETERS: the
pair of user name and address, the user name, the address) but compares them all with
one AXES_FAILURE_LIMIT. Here each set has its limit (settings: AXES_FAILURE_LIMIT for the
pair, STRATA_LOCKOUT_USERNAME_LIMIT, STRATA_LOCKOUT_ADDRESS_LIMIT), and a success clears
only the pair's failures: one valid account must not let a sprayer wipe its address's
count, nor a person signing in wipe the failures a guesser spread over many addresses.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

PAIR = ("username", "ip_address")


def _limits() -> dict[tuple[str, ...], int]:
    return {
        PAIR: settings.AXES_FAILURE_LIMIT,
        ("username",): settings.STRATA_LOCKOUT_USERNAME_LIMIT,
        ("ip_address",): settings.STRATA_LOCKOUT_ADDRESS_LIMIT,
    }


def _key(parameter) -> tuple[str, ...]:
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures counted against AXES_FAILURE_LIMIT, which axes compares with
        this: each parameter set's count scaled by its own limit, the highest. It
        reaches AXES_FAILURE_LIMIT exactly when one set reaches its own limit."""
        limit = get_failure_limit(request, credentials)
        limits = _limits()
        scaled = [0]
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS,
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled.append(count * limit // limits.get(_key(parameter), limit))
        return max(scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # A sign-on the identity provider answered but Strata refused (an address not
        # verified, a deactivated user) guesses no password: counting it would lock out
        # an office's address after a few such refusals. The provider's callback is the
        # one caller of authenticate() whose credentials carry the sign-on's nonce.
        if "nonce" in (credentials or {}):
            return
        super().user_login_failed(sender, credentials, request, **kwargs)
