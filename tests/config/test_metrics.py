"""GET /metrics: behind STRATA_METRICS_TOKEN; requests, latencies, queue depths, task
failures and the periodic jobs' last runs in Prometheus's text format."""

import uuid
from datetime import UTC, datetime

import pytest
from celery import shared_task
from prometheus_client import CollectorRegistry, generate_latest, multiprocess

from core.heartbeats import BEAT, NIGHTLY_RECOMPUTE, heartbeat_stamp
from tests.conftest import local_redis_url
from tests.workers import start_worker, stop_worker

pytestmark = pytest.mark.django_db

REDIS_URL = local_redis_url()
TOKEN = "s3cret-metrics-token-for-the-tests"


@pytest.fixture
def token_set(settings):
    settings.STRATA_METRICS_TOKEN = TOKEN


@pytest.fixture
def metrics_on(settings, token_set, tmp_path):
    """A token, and the filesystem broker reading an empty folder of its own."""
    settings.REDIS_URL = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    return tmp_path


def scrape(client, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/metrics", headers=headers)


def sample(text: str, name: str) -> float | None:
    """The value of the line starting with `name` (a metric and its labels)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_it_answers_404_while_no_token_is_set(client, settings):
    settings.STRATA_METRICS_TOKEN = None
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "anything-at-all-long-enough").status_code == 404


@pytest.mark.parametrize(
    "authorization", ["", "Bearer wrong-token-of-some-length", f"Basic {TOKEN}", TOKEN]
)
def test_it_answers_401_without_the_right_bearer_token(client, metrics_on, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"strata_" not in response.content


def test_it_lists_requests_latencies_and_the_strata_gauges(client, metrics_on):
    client.get("/healthz")
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for name in (
        "django_http_requests_total_by_method_total",
        "django_http_requests_latency_seconds_by_view_method_bucket",
        "django_http_responses_total_by_status_total",
        "strata_broker_up",
        "strata_celery_queue_length",
        "strata_nightly_recompute_last_success_timestamp_seconds",
        "strata_beat_last_run_timestamp_seconds",
    ):
        assert name in text, name
    assert sample(text, "strata_broker_up") == 1.0
    assert sample(text, 'strata_celery_queue_length{queue="celery"}') == 0.0


def test_it_counts_the_messages_in_the_filesystem_brokers_queue(client, metrics_on):
    for n in range(3):
        (metrics_on / f"{1000 + n}_{uuid.uuid4()}.celery.msg").write_bytes(b"{}")
    (metrics_on / f"2000_{uuid.uuid4()}.other-queue.msg").write_bytes(b"{}")
    text = scrape(client).content.decode()
    assert sample(text, 'strata_celery_queue_length{queue="celery"}') == 3.0


@pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server")
def test_it_counts_a_redis_queues_messages_of_every_priority(client, token_set, settings):
    import redis

    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.REDIS_URL = REDIS_URL
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    server = redis.Redis.from_url(REDIS_URL)
    keys = [queue, f"{queue}\x06\x163", f"{queue}\x06\x169"]
    try:
        server.rpush(keys[0], "a", "b")
        server.rpush(keys[1], "c")
        server.rpush(keys[2], "d")
        text = scrape(client).content.decode()
    finally:
        server.delete(*keys)
    assert sample(text, "strata_broker_up") == 1.0
    assert sample(text, f'strata_celery_queue_length{{queue="{queue}"}}') == 4.0


def test_it_reports_the_broker_down_and_no_queue_lengths(client, metrics_on, settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(metrics_on / "gone")}
    text = scrape(client).content.decode()
    assert sample(text, "strata_broker_up") == 0.0
    assert "strata_celery_queue_length{" not in text


def test_it_gives_the_last_nightly_recompute_and_beat_as_unix_times(client, metrics_on):
    nightly = datetime(2026, 3, 4, 2, 20, tzinfo=UTC)
    beat = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    heartbeat_stamp(name=NIGHTLY_RECOMPUTE, at=nightly)
    heartbeat_stamp(name=BEAT, at=beat)
    text = scrape(client).content.decode()
    name = "strata_nightly_recompute_last_success_timestamp_seconds"
    assert sample(text, name) == nightly.timestamp()
    assert sample(text, "strata_beat_last_run_timestamp_seconds") == beat.timestamp()


def test_the_nightly_recompute_stamps_its_finish():
    from core.heartbeats import heartbeat_times
    from insights import tasks

    tasks.nightly_recompute.apply()
    assert NIGHTLY_RECOMPUTE in heartbeat_times()


@shared_task(name="tests.config.failing_task")
def failing_task():
    raise ValueError("expected by the test")


def test_a_task_failure_increments_the_counter(client, metrics_on):
    name = 'strata_celery_task_failures_total{task="tests.config.failing_task"}'
    before = sample(scrape(client).content.decode(), name) or 0.0
    failing_task.apply(throw=False)
    failing_task.apply(throw=False)
    assert sample(scrape(client).content.decode(), name) == before + 2


@pytest.mark.worker
def test_a_worker_processs_failures_reach_metrics_through_the_multiprocess_folder(
    client, token_set, sending_to_workers, monkeypatch, tmp_path_factory
):
    """Several processes (a prefork worker's child here) write their counters into
    PROMETHEUS_MULTIPROC_DIR; /metrics adds them up."""
    from tests.worker_tasks import always_fails

    folder = tmp_path_factory.mktemp("prometheus")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process, log = start_worker(
        queue,
        *("-P", "prefork", "-c", "1", "--include", "tests.worker_tasks"),
        env={"PROMETHEUS_MULTIPROC_DIR": str(folder)},
    )
    try:
        result = always_fails.apply_async(queue=queue)
        with pytest.raises(RuntimeError):
            result.get(timeout=90)
    finally:
        print(stop_worker(process, log)[-3000:])
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(folder))
    name = 'strata_celery_task_failures_total{task="tests.worker_tasks.always_fails"}'
    assert sample(generate_latest(registry).decode(), name) == 1.0

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    assert sample(scrape(client).content.decode(), name) == 1.0
