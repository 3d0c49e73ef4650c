"""Real Celery worker processes for the tests that are about the worker: each on a queue
of its own, using the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    # No host: the Unix socket, as the test process itself connects.
    where = f"{db['HOST']}:{db['PORT'] or 5432}" if db["HOST"] else ""
    return f"postgres://{auth}@{where}/{db['NAME']}"


def start_worker(queue: str, *extra: str, env: dict | None = None):
    env = {
        **os.environ,
        **(env or {}),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": worker_database_url(),
    }
    log = open(ROOT / "var" / f"worker-{queue}.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker"),
            *("-Q", queue, "-n", f"{queue}@%h", "--loglevel=info"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", *extra),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def stop_worker(process, log) -> str:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.seek(0)
    output = log.read()
    log.close()
    os.unlink(log.name)
    return output


def wait_for_file(path: Path, timeout: float = 60) -> bool:
    """Whether `path` (a marker the task writes as it reaches its middle) appears in time."""
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return path.exists()


def kill_pool_process(process) -> None:
    """SIGKILL the one pool process of a prefork worker started with `-c 1`, mid-task."""
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 1, children
    os.kill(int(children[0]), signal.SIGKILL)


def worker_was_lost(output: str) -> bool:
    return "WorkerLostError" in output or "Worker exited prematurely" in output


def start_pausing_worker(pause_variable: str, marker: Path):
    """A prefork worker with one pool process and tests.worker_tasks' pauses, the one named
    by `pause_variable` writing `marker` in the middle of its job: (queue, process, log)."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process, log = start_worker(
        queue,
        *("-P", "prefork", "-c", "1", "--include", "tests.worker_tasks"),
        env={pause_variable: str(marker)},
    )
    return queue, process, log
