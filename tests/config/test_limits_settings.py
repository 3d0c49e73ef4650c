"""The request limits' settings: rates read from the environment ("1000/hour" or "off"),
sensible defaults, and the DRF throttles switched on for every API view."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_rate
from tests.config.test_settings import _settings_in_subprocess

READ_LIMITS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'user': s.STRATA_API_RATE_USER, 'anon': s.STRATA_API_RATE_ANON, "
    "'renders': s.STRATA_RENDER_RATE, 'survey': s.STRATA_SURVEY_RATE, "
    "'throttles': s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']}))"
)


@pytest.mark.parametrize(
    "raw,expected",
    [("1000/hour", "1000/hour"), (" 5/Minute ", "5/minute"), ("2/day", "2/day"), ("off", None)],
)
def test_env_rate_reads_a_count_per_period_or_off(monkeypatch, raw, expected):
    monkeypatch.setenv("STRATA_RATE", raw)
    assert env_rate("STRATA_RATE", "9/hour") == expected


def test_env_rate_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("STRATA_RATE", raising=False)
    assert env_rate("STRATA_RATE", "9/hour") == "9/hour"


def test_env_rate_refuses_nonsense(monkeypatch):
    for raw in ["1000", "ten/hour", "0/hour", "5/fortnight", "5/h", "-1/day"]:
        monkeypatch.setenv("STRATA_RATE", raw)
        with pytest.raises(ImproperlyConfigured, match="is not a rate"):
            env_rate("STRATA_RATE", "9/hour")


def test_the_limits_have_defaults_and_follow_the_environment(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.local", {"STRATA_VAR_DIR": str(tmp_path)}, READ_LIMITS
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "user": "1000/hour",
        "anon": "100/hour",
        "renders": "30/hour",
        "survey": "120/hour",
        "throttles": ["core.throttles.UserThrottle", "core.throttles.AnonThrottle"],
    }
    result = _settings_in_subprocess(
        "config.settings.local",
        {
            "STRATA_VAR_DIR": str(tmp_path),
            "STRATA_API_RATE_USER": "500/minute",
            "STRATA_RENDER_RATE": "off",
        },
        READ_LIMITS,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert (values["user"], values["renders"]) == ("500/minute", None)


def test_a_bad_rate_or_lockout_limit_stops_the_start(tmp_path):
    refusals = {
        "STRATA_LOCKOUT_ADDRESS_LIMIT": ("0", "lockout limits must be at least 1"),
        "STRATA_RENDER_RATE": ("thirty", "STRATA_RENDER_RATE='thirty' is not a rate"),
    }
    for name, (value, message) in refusals.items():
        env = {"STRATA_VAR_DIR": str(tmp_path), name: value}
        result = _settings_in_subprocess("config.settings.local", env, READ_LIMITS)
        assert (result.returncode, message in result.stderr) == (1, True), name
