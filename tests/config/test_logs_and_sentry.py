"""STRATA_LOG_FORMAT=json writes one JSON object per log line (plain text stays the
default); Sentry starts only with SENTRY_DSN, without personal data. Each check runs
in a fresh process: logging and Sentry are set up once per process, when the settings
load. Nothing is sent: the DSN names a closed port on this machine."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_choice
from config.observability.logs import JsonFormatter
from config.observability.sentry import scrub_event

ROOT = Path(__file__).resolve().parents[2]

LOG_SOME_LINES = """
import django, logging
django.setup()
log = logging.getLogger("strata.test")
log.warning("account %s is at risk", 7, extra={"account_id": 7})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("the job failed")
"""

SENTRY_STATE = """
import django, json
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
options = client.options if client.is_active() else {}
print(json.dumps({
    "active": client.is_active(),
    "send_default_pii": options.get("send_default_pii"),
    "max_request_body_size": options.get("max_request_body_size"),
    "include_local_variables": options.get("include_local_variables"),
    "integrations": sorted(getattr(client, "integrations", {}) or {}),
}))
"""


def _python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    unset = ("STRATA_LOG_FORMAT", "SENTRY_DSN", "REDIS_URL", "DATABASE_URL")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "STRATA_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_log_lines_parse_as_json_with_their_extra_fields(tmp_path):
    ran = _python(LOG_SOME_LINES, tmp_path, STRATA_LOG_FORMAT="json")
    assert ran.returncode == 0, ran.stderr
    entries = [json.loads(line) for line in ran.stderr.strip().splitlines()]
    warning, failure = entries[-2:]
    assert warning["level"] == "WARNING" and warning["logger"] == "strata.test"
    assert warning["message"] == "account 7 is at risk"
    assert warning["account_id"] == 7
    assert warning["time"].endswith("+00:00")
    assert failure["level"] == "ERROR"
    assert "ZeroDivisionError" in failure["exception"]


def test_plain_text_stays_the_default(tmp_path):
    ran = _python(LOG_SOME_LINES, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "account 7 is at risk\n" in ran.stderr
    assert not ran.stderr.lstrip().startswith("{")


def test_an_unknown_log_format_is_refused(monkeypatch):
    monkeypatch.setenv("STRATA_LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="STRATA_LOG_FORMAT"):
        env_choice("STRATA_LOG_FORMAT", "text", ("text", "json"))
    monkeypatch.setenv("STRATA_LOG_FORMAT", " JSON ")
    assert env_choice("STRATA_LOG_FORMAT", "text", ("text", "json")) == "json"


def test_the_formatter_writes_what_json_cannot_hold_as_text():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    record.request = object()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "hello" and entry["request"].startswith("<object")


def test_sentry_is_not_started_without_a_dsn(tmp_path):
    ran = _python(SENTRY_STATE, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout.splitlines()[-1])["active"] is False


def test_sentry_starts_with_a_dsn_with_django_and_celery_and_no_personal_data(tmp_path):
    ran = _python(SENTRY_STATE, tmp_path, SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert ran.returncode == 0, ran.stderr
    state = json.loads(ran.stdout.splitlines()[-1])
    assert state["active"] is True
    assert {"django", "celery"} <= set(state["integrations"])
    assert state["send_default_pii"] is False
    assert state["max_request_body_size"] == "never"
    assert state["include_local_variables"] is False


def test_sentry_events_lose_the_survey_token_and_the_query_string():
    event = {"request": {"url": "https://strata.example/s/Abc123-secret/", "query_string": "t=x"}}
    assert scrub_event(event)["request"] == {"url": "https://strata.example/s/[token]/"}
    assert scrub_event({"message": "no request"}) == {"message": "no request"}
