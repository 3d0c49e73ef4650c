"""A session ends after STRATA_SESSION_IDLE_MINUTES without a request (eight hours by
default); each visit restarts the clock."""

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.config.test_settings import _settings_in_subprocess

pytestmark = pytest.mark.django_db

READ_AGE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.SESSION_COOKIE_AGE))"
)


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() moved forward at will (sessions expire by it)."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def test_the_idle_timeout_is_eight_hours_unless_set(tmp_path):
    default = _settings_in_subprocess(
        "config.settings.local", {"STRATA_VAR_DIR": str(tmp_path)}, READ_AGE
    )
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout.strip().splitlines()[-1]) == 8 * 60 * 60
    short = _settings_in_subprocess(
        "config.settings.local",
        {"STRATA_VAR_DIR": str(tmp_path), "STRATA_SESSION_IDLE_MINUTES": "30"},
        READ_AGE,
    )
    assert json.loads(short.stdout.strip().splitlines()[-1]) == 30 * 60
    nonsense = _settings_in_subprocess(
        "config.settings.local",
        {"STRATA_VAR_DIR": str(tmp_path), "STRATA_SESSION_IDLE_MINUTES": "1"},
        READ_AGE,
    )
    assert nonsense.returncode != 0 and "STRATA_SESSION_IDLE_MINUTES" in nonsense.stderr


def test_a_session_left_alone_past_the_timeout_meets_the_sign_in_page(
    client, owner, clock, settings
):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    client.force_login(owner)
    assert client.get("/").status_code == 200
    clock.advance(hours=8, minutes=1)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_each_visit_restarts_the_clock(client, owner, clock, settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    client.force_login(owner)
    for _ in range(3):  # a whole day of pages, never eight hours apart
        clock.advance(hours=7, minutes=50)
        response = client.get("/")
        assert response.status_code == 200
        assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60  # the browser's too
    session = Session.objects.get()
    assert session.expire_date == clock.now + timedelta(hours=8)


def test_pages_read_within_a_minute_do_not_write_the_session(client, owner, clock, settings):
    client.force_login(owner)
    client.get("/")
    saved = Session.objects.get().expire_date
    clock.advance(seconds=30)
    client.get("/")
    assert Session.objects.get().expire_date == saved
