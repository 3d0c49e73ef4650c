"""gunicorn's logger with the survey tokens masked in the access log (core/logscrub.py).

Every text an access-log format can name is scrubbed: the request line (%(r)s), the path
(%(U)s), the Referer (%(f)s), any request header, response header or environ variable,
so a changed `access_log_format` cannot bring a token back. gunicorn.conf.py at the
repository root names this class; gunicorn reads that file from the directory it starts
in (the image's /app, or the repository)."""

from gunicorn.glogging import Logger

from core.logscrub import scrub


class TokenScrubbingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: scrub(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
