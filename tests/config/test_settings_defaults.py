"""Which settings a process uses when DJANGO_SETTINGS_MODULE is not set: the web server
(WSGI, ASGI) and a Celery worker use the production settings — no debug, no known secret
key — while manage.py and `make run` keep the embedded default's."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x7#Qe2!vN9@pL4$wR8^tY1&uI6*oP3(aS5)dF0_gH2+jK7=lZ9"


def _run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    """`args` in a fresh process with no settings module named and no servers."""
    unset = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**clean, "STRATA_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_after_import(module: str, tmp_path, **env) -> subprocess.CompletedProcess:
    code = (
        f"import {module}; from django.conf import settings as s; "
        "print(s.SETTINGS_MODULE, s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    return _run([sys.executable, "-c", code], tmp_path, **env)


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_a_web_server_without_settings_named_runs_the_production_ones(module, tmp_path):
    refused = _settings_after_import(module, tmp_path)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr  # not the known development key
    started = _settings_after_import(module, tmp_path, SECRET_KEY=SECRET)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split()[-3:] == ["config.settings.production", "False", "True"]


def test_a_celery_worker_without_settings_named_runs_the_production_ones(tmp_path):
    code = (
        "from config.celery import app; app.loader.import_default_modules(); "
        "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
    )
    refused = _run([sys.executable, "-c", code], tmp_path)
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
    started = _run([sys.executable, "-c", code], tmp_path, SECRET_KEY=SECRET)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split()[-2:] == ["config.settings.production", "False"]


def test_manage_py_keeps_the_embedded_default(tmp_path):
    code = "from django.conf import settings as s; print(s.SETTINGS_MODULE)"
    result = _run([sys.executable, "manage.py", "shell", "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "config.settings.local"


def test_make_run_names_the_local_settings_for_its_server_and_worker():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    dry = subprocess.run(
        ["make", "-n", "-o", "seed", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert dry.returncode == 0, dry.stderr
    starts = [
        line for line in dry.stdout.splitlines() if "celery -A" in line or "runserver" in line
    ]
    assert len(starts) == 2
    assert all("DJANGO_SETTINGS_MODULE=config.settings.local" in line for line in starts)
