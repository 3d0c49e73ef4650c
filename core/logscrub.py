"""Secrets kept out of the logs.

The public survey link (/s/<token>/, scorecards/urls.py) carries the invitation's token in
its path: whoever reads the access log could answer the survey as the customer. Every
log line that can hold a URL masks that segment: gunicorn's access log
(core/gunicorn_logging.py, loaded by gunicorn.conf.py) and Django's request and
development-server loggers (LOGGING in config/settings/base.py). The same token also
reaches the log as the Referer of the requests the survey page makes for its own static
files.
"""

import logging
import re

MASK = "[redacted]"
# "/s/<token>" at the start of a path, after a space or a quote (a request line, "Not
# Found: /s/…"), or after a host name (a Referer, a full URL).
SURVEY_TOKEN = re.compile(r"""((?:^|[\s"'(=]|//[^/\s"']*)/s/)[^/?#\s"']+""")


def scrub(text: str) -> str:
    """`text` with the token of every survey link in it replaced by [redacted]."""
    if "/s/" not in text:
        return text
    return SURVEY_TOKEN.sub(rf"\g<1>{MASK}", text)


class ScrubTokensFilter(logging.Filter):
    """Masks the survey tokens in a record's message (formatted with its arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: logging reports it as it would anyway
        scrubbed = scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True
