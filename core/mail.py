"""The one way Strata sends an e-mail.

Subjects are built from what users type (account names, survey titles, rule names). A
line break in a header is refused by Django (BadHeaderError) — after the commit, in the
middle of a batch — so every subject goes through `email_subject` first. A batch sends
each message through `send_each`, which logs a failed message and goes on with the rest.
"""

import logging
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.mail import send_mail

logger = logging.getLogger(__name__)
T = TypeVar("T")

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_SPACES = re.compile(r"\s{2,}")


def email_subject(text: str) -> str:
    """`text` on one line: line breaks become spaces, runs of spaces one."""
    return _SPACES.sub(" ", _LINE_BREAKS.sub(" ", str(text))).strip()


def email_send(*, subject: str, message: str, to: list[str]) -> None:
    """A plain-text e-mail from DEFAULT_FROM_EMAIL, its subject on one line."""
    send_mail(subject=email_subject(subject), message=message, from_email=None, recipient_list=to)


def send_each(items: Iterable[T], send: Callable[[T], None], *, what: str) -> int:
    """Call `send` for each item; one that fails is logged and skipped, the rest are
    still sent. Returns how many were sent."""
    sent = 0
    for item in items:
        try:
            send(item)
        except Exception:
            logger.exception("Could not send %s (%r); going on with the rest.", what, item)
        else:
            sent += 1
    return sent
