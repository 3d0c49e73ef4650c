"""/healthz: 503 only when the database does not answer; the broker and the beat are
reported, and their trouble makes it "degraded" with a 200 (docs/decisions.md)."""

from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from core.heartbeats import BEAT, heartbeat_stamp, heartbeat_times
from core.tasks import beat_heartbeat
from tests.conftest import local_redis_url

pytestmark = pytest.mark.django_db

REDIS_URL = local_redis_url()


@pytest.fixture
def broker_folder(settings, tmp_path):
    settings.REDIS_URL = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    return tmp_path


def test_it_is_ok_with_a_writable_broker_folder_and_a_recent_beat(client, broker_folder):
    heartbeat_stamp(name=BEAT, at=timezone.now() - timedelta(seconds=30))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert body["beat"]["status"] == "ok"
    assert 30 <= body["beat"]["age_seconds"] < 60
    assert list(broker_folder.iterdir()) == []  # the probe file is gone


def test_a_beat_that_never_ran_is_unknown_and_degraded_with_a_200(client, broker_folder):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["beat"] == {"status": "unknown", "last_run": None, "age_seconds": None}


def test_a_stale_beat_is_degraded_with_a_200(client, broker_folder, settings):
    settings.STRATA_BEAT_STALE_SECONDS = 300
    heartbeat_stamp(name=BEAT, at=timezone.now() - timedelta(minutes=6))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["beat"]["status"] == "stale"


def test_a_broker_folder_that_cannot_be_written_is_unavailable(client, broker_folder, settings):
    heartbeat_stamp(name=BEAT)
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(broker_folder / "gone")}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"] == "unavailable"


def test_a_redis_that_does_not_answer_is_unavailable(client, settings):
    heartbeat_stamp(name=BEAT)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"


@pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server")
def test_a_redis_that_answers_ping_is_ok(client, settings):
    heartbeat_stamp(name=BEAT)
    settings.REDIS_URL = REDIS_URL
    body = client.get("/healthz").json()
    assert (body["status"], body["broker"]) == ("ok", "ok")


def test_a_database_that_does_not_answer_is_a_503(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_the_beat_schedules_the_heartbeat_every_minute_and_it_stamps_the_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry["task"] == "core.tasks.beat_heartbeat" and entry["schedule"] == 60.0
    before = timezone.now()
    beat_heartbeat.apply()
    assert heartbeat_times()[BEAT] >= before
