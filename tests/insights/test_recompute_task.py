"""The snapshot job: the task itself, its scheduling, and a real worker process running it."""

import time
import uuid

import pytest
from django.conf import settings

from accounts_app.models import Account, AccountSnapshot
from config.celery import app as celery_app
from core import jobs
from demo.factories import AccountFactory, ContactFactory, RelationshipFactory
from insights import tasks
from insights.tasks import nightly_recompute
from tests.workers import (
    kill_pool_process,
    start_worker,
    stop_worker,
    wait_for_file,
    worker_was_lost,
)

pytestmark = pytest.mark.django_db


def test_snapshot_tasks_ack_late_and_requeue_when_their_worker_is_lost():
    for task in (tasks.recompute_account, nightly_recompute):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True


def test_beat_runs_the_snapshot_of_every_account_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-recompute"]
    assert entry["task"] == "insights.tasks.nightly_recompute"
    assert entry["task"] in celery_app.tasks  # registered under that name
    assert entry["schedule"].hour == {2}


def test_nightly_job_snapshots_every_account(account, contact, outsider):
    recomputed = nightly_recompute.delay().get()
    assert recomputed == 2  # `account` and the outsider's own account
    assert AccountSnapshot.objects.filter(account=account).get().contact_count == 1
    assert AccountSnapshot.objects.count() == 2


def test_snapshot_task_ends_quietly_when_the_account_is_gone():
    assert tasks.recompute_account.delay(987654).get() is None


def test_a_change_queues_the_snapshot_after_commit(account, django_capture_on_commit_callbacks):
    from accounts_app import services

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.contact_create(account=account, by=account.owner, name="Dana Decider")
        assert not AccountSnapshot.objects.filter(account=account).exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert AccountSnapshot.objects.get(account=account).contact_count == 1


def test_a_batch_of_services_recomputes_each_account_once_at_its_end(
    account, outsider, django_capture_on_commit_callbacks
):
    """The demo's seed runs hundreds of services: each account it changed is queued once,
    after the batch; a batch that fails queues nothing."""
    from accounts_app import services

    theirs = Account.objects.get(owner=outsider)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with jobs.recompute_batched():
            for name in ("Dana Decider", "Eli Engineer", "Fay Finance"):
                services.contact_create(account=account, by=account.owner, name=name)
            services.contact_create(account=theirs, by=outsider, name="Gus Guest")
            assert not callbacks  # nothing queued inside the batch
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert AccountSnapshot.objects.get(account=account).contact_count == 3
    assert AccountSnapshot.objects.get(account=theirs).contact_count == 1

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), jobs.recompute_batched():
            services.contact_create(account=account, by=account.owner, name="Hal Hasty")
            raise RuntimeError("the batch failed")
    assert not callbacks


def test_a_burst_of_changes_queues_one_snapshot_per_debounce_window(account, settings, monkeypatch):
    settings.STRATA_SNAPSHOT_DEBOUNCE_SECONDS = 30
    sent = []
    monkeypatch.setattr(
        tasks.recompute_account,
        "apply_async",
        lambda args, countdown: sent.append((args, countdown)),
    )
    other = AccountFactory()
    for _ in range(5):
        jobs.schedule_recompute(account.pk)
    jobs.schedule_recompute(other.pk)
    assert sent == [([account.pk], 30), ([other.pk], 30)]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_computes_the_snapshot(real_worker):
    account = AccountFactory(name="Worker Test Co")
    contacts = ContactFactory.create_batch(3, account=account)
    RelationshipFactory(contact=contacts[0], strength=3)
    RelationshipFactory(contact=contacts[1], strength=0)

    started = time.monotonic()
    result = tasks.recompute_account.apply_async(args=[account.pk], queue=real_worker)
    snapshot_id = result.get(timeout=90)
    snapshot = AccountSnapshot.objects.get(pk=snapshot_id)

    assert snapshot.account_id == account.pk
    assert snapshot.contact_count == 3
    assert snapshot.relationship_count == 1  # strength 0 is no relationship
    assert snapshot.team_size == 2
    # Running it again through the worker changes nothing: still one row, same figures.
    again = tasks.recompute_account.apply_async(args=[account.pk], queue=real_worker)
    assert again.get(timeout=60) == snapshot_id
    assert AccountSnapshot.objects.filter(account=account).count() == 1
    print(f"worker round trip: {time.monotonic() - started:.1f}s via {settings.CELERY_BROKER_URL}")


@pytest.mark.worker
def test_a_task_whose_worker_process_dies_midway_runs_again(sending_to_workers, tmp_path):
    """acks_late + reject_on_worker_lost: killing the process running a task puts the
    task back on the queue, and the worker's next process runs it to the end."""
    from tests.worker_tasks import slow_once

    queue = f"test-{uuid.uuid4().hex[:8]}"
    process, log = start_worker(
        queue, "-P", "prefork", "-c", "1", "--include", "tests.worker_tasks"
    )
    marker = tmp_path / "started"
    try:
        result = slow_once.apply_async(args=[str(marker)], queue=queue)
        assert wait_for_file(marker), "the worker never started the task"
        kill_pool_process(process)  # mid-task

        assert result.get(timeout=90) == "ran again after the worker was lost"
    finally:
        output = stop_worker(process, log)
    assert worker_was_lost(output), output[-3000:]
