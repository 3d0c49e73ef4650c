"""The survey links' tokens never reach a log: the scrubbing itself, Django's loggers
(django.request, django.server) and gunicorn's access log, the last one from a real
gunicorn started as the Dockerfile starts it."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.log import ServerFormatter
from gunicorn.config import Config

from core.gunicorn_logging import TokenScrubbingLogger
from core.logscrub import scrub

TOKEN = "Zx8_kq-3VbN0aLw9TtYc1pQr5sDfGh2jKl4mNo6uIy7"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/s/{TOKEN}/", "/s/[redacted]/"),
        (f"GET /s/{TOKEN}/ HTTP/1.1", "GET /s/[redacted]/ HTTP/1.1"),
        (f'"POST /s/{TOKEN}/?x=1 HTTP/1.1" 200', '"POST /s/[redacted]/?x=1 HTTP/1.1" 200'),
        (f"Not Found: /s/{TOKEN}/", "Not Found: /s/[redacted]/"),
        (f"https://strata.example.com/s/{TOKEN}/", "https://strata.example.com/s/[redacted]/"),
        (f"next=/s/{TOKEN}", "next=/s/[redacted]"),
    ],
)
def test_the_token_of_a_survey_link_is_masked(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "GET /accounts/12/surveys/3/ HTTP/1.1",
        "GET /static/css/s/strata.css HTTP/1.1",
        "GET /plans/s/ HTTP/1.1",
        "nothing at all",
    ],
)
def test_other_paths_are_left_alone(text):
    assert scrub(text) == text


@pytest.mark.django_db
def test_a_not_found_survey_link_is_logged_without_its_token(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/s/{TOKEN}/").status_code == 404
    assert "Not Found: /s/[redacted]/" in caplog.text
    assert TOKEN not in caplog.text


def test_the_development_servers_request_lines_are_scrubbed():
    logger = logging.getLogger("django.server")
    record = logger.makeRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /s/{TOKEN}/ HTTP/1.1", "200", "512"),
        None,
    )
    record.status_code = 200
    (handler,) = [h for h in logger.handlers if isinstance(h.formatter, ServerFormatter)]
    assert handler.filter(record)
    line = handler.format(record)
    assert "GET /s/[redacted]/ HTTP/1.1" in line and TOKEN not in line


def test_gunicorns_access_log_atoms_are_scrubbed():
    class Response:
        status = "200 OK"
        sent = 512
        headers = [("Content-Type", "text/html")]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/s/{TOKEN}/",
        "PATH_INFO": f"/s/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://strata.example.com/s/{TOKEN}/",
    }
    request = [("REFERER", f"https://strata.example.com/s/{TOKEN}/")]
    elapsed = type("Elapsed", (), {"seconds": 0, "microseconds": 1200})()
    atoms = TokenScrubbingLogger(Config()).atoms(Response(), request, environ, elapsed)
    assert atoms["r"] == "GET /s/[redacted]/ HTTP/1.1"
    assert atoms["U"] == "/s/[redacted]/"
    assert atoms["f"] == atoms["{referer}i"] == "https://strata.example.com/s/[redacted]/"
    assert TOKEN not in repr(atoms)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_gunicorn_reads_gunicorn_conf_and_logs_no_token(tmp_path):
    """Started from the repository with the Dockerfile's options (no logger named on the
    command line): gunicorn.conf.py is read from the directory it starts in."""
    port = _free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # A database of its own: the answer may be an error, the log line is what counts.
        "STRATA_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access_log),
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/s/{TOKEN}/",
            headers={"Referer": f"http://127.0.0.1:{port}/s/{TOKEN}/"},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(request, timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answered (404 or 500): the access log has its line
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        deadline = time.monotonic() + 10
        while "/s/" not in access_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    log = access_log.read_text()
    assert "GET /s/[redacted]/ HTTP/1.1" in log, log
    assert TOKEN not in log, log
