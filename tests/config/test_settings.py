"""Settings come from the environment through typed readers that fail loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_currency, env_int, env_list, env_required, env_str

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw,expected", [("true", True), ("1", True), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("STRATA_FLAG", raw)
    assert env_bool("STRATA_FLAG", default=not expected) is expected


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("STRATA_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="STRATA_FLAG"):
        env_bool("STRATA_FLAG", default=False)


def test_env_int_refuses_nonsense_and_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("STRATA_NUMBER", raising=False)
    assert env_int("STRATA_NUMBER", 7) == 7
    monkeypatch.setenv("STRATA_NUMBER", "seven")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("STRATA_NUMBER", 7)


def test_env_list_and_str_and_required(monkeypatch):
    monkeypatch.setenv("STRATA_HOSTS", " a.example, b.example ,,")
    assert env_list("STRATA_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("STRATA_NAME", raising=False)
    assert env_str("STRATA_NAME", "x") == "x"
    with pytest.raises(ImproperlyConfigured, match="STRATA_NAME"):
        env_required("STRATA_NAME")


def _settings_in_subprocess(module: str, env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


READ_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'db': str(s.DATABASES['default']['NAME']), 'broker': s.CELERY_BROKER_URL, "
    "'results': s.CELERY_RESULT_BACKEND, 'cache': s.CACHES['default']['BACKEND'], "
    "'debug': s.DEBUG}))"
)


def test_embedded_default_needs_no_server(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.local", {"STRATA_VAR_DIR": str(tmp_path)}, READ_SETTINGS
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db"] == str(tmp_path / "strata.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["results"].startswith("file://")
    assert values["cache"].endswith("LocMemCache")
    assert values["debug"] is False  # make run is what a user sees


def test_debug_is_a_developers_opt_in(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.local", {"STRATA_VAR_DIR": str(tmp_path), "DEBUG": "true"}, READ_SETTINGS
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["debug"] is True


def test_database_and_redis_urls_switch_to_the_servers(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.local",
        {
            "STRATA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://strata:secret@db.internal:5432/strata",
            "REDIS_URL": "redis://cache.internal:6379/2",
            "DEBUG": "false",
        },
        READ_SETTINGS,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db"] == "strata"
    assert values["broker"] == values["results"] == "redis://cache.internal:6379/2"
    assert values["cache"].endswith("RedisCache")
    assert values["debug"] is False


def test_a_bad_value_stops_the_start_with_a_clear_message(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.local",
        {"STRATA_VAR_DIR": str(tmp_path), "DEBUG": "perhaps"},
        READ_SETTINGS,
    )
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.production", {"STRATA_VAR_DIR": str(tmp_path)}, READ_SETTINGS
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
            },
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "STRATA_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "x7#Qe2!vN9@pL4$wR8^tY1&uI6*oP3(aS5)dF0_gH2+jK7=lZ9",
            "ALLOWED_HOSTS": "strata.example.com",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_currency_defaults_to_euro_and_reads_a_code_in_any_case(monkeypatch):
    monkeypatch.delenv("STRATA_CURRENCY", raising=False)
    assert env_currency("STRATA_CURRENCY", "EUR") == "EUR"
    monkeypatch.setenv("STRATA_CURRENCY", " usd ")
    assert env_currency("STRATA_CURRENCY", "EUR") == "USD"


@pytest.mark.parametrize("raw", ["euro", "€", "EU", "ABC", "12A"])
def test_currency_refuses_what_is_not_an_iso_code(monkeypatch, raw):
    monkeypatch.setenv("STRATA_CURRENCY", raw)
    with pytest.raises(ImproperlyConfigured, match="not an ISO 4217 currency code"):
        env_currency("STRATA_CURRENCY", "EUR")


def test_a_bad_currency_stops_the_start(tmp_path):
    result = _settings_in_subprocess(
        "config.settings.local",
        {"STRATA_VAR_DIR": str(tmp_path), "STRATA_CURRENCY": "euro"},
        READ_SETTINGS,
    )
    assert result.returncode != 0
    assert "STRATA_CURRENCY='euro' is not an ISO 4217 currency code" in result.stderr
