"""`seed_demo` on production settings: refused, nothing written, unless told
--i-know-this-is-production; then the demo users get generated passwords, printed once,
never the published `strata-demo`. (The full seed runs only in tests/demo: here the data
set after the users is stood in for.)"""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts_app.models import Account, User
from demo.seed import run
from demo.seed.people import DEMO_USERS, users_ensure
from demo.seed.tally import Tally

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def users_only(monkeypatch):
    """The seed's users, as `seed_demo` creates them, without the rest of the data set."""

    def seed_users(password_for):
        tally = Tally()
        users_ensure(tally, password_for=password_for)
        return f"seed_demo: created {tally.created['users']} users"

    monkeypatch.setattr(run, "_seed_demo", seed_users)


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_production_settings_refuse_the_demo_and_write_nothing(settings):
    settings.STRATA_PRODUCTION = True
    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        seed()
    assert not User.objects.exists() and not Account.objects.exists()


def test_the_refusal_comes_before_the_database_is_touched(tmp_path):
    """The real command on production settings over an empty database file: it stops
    with its message, not with a missing table."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x7#Qe2!vN9@pL4$wR8^tY1&uI6*oP3(aS5)dF0_gH2+jK7=lZ9",
            "STRATA_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "These are production settings" in result.stderr
    assert "no such table" not in result.stderr  # it wrote nothing, tried nothing


def test_told_explicitly_it_prints_generated_passwords_that_sign_in(settings, users_only):
    settings.STRATA_PRODUCTION = True
    output = seed("--i-know-this-is-production")
    printed = dict(re.findall(r"^  (\w+)\s+(\S+)$", output, flags=re.M))
    assert set(printed) == {row[0] for row in DEMO_USERS}
    assert len(set(printed.values())) == len(printed)  # one each
    for username, password in printed.items():
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert not user.check_password("strata-demo")
    assert "strata-demo" not in output.replace("strata-demo.example", "")


def test_the_embedded_default_keeps_the_documented_password(settings, users_only):
    settings.STRATA_PRODUCTION = False
    output = seed()
    assert "passwords" not in output
    assert User.objects.get(username="alice").check_password("strata-demo")
