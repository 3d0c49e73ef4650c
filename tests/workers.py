"""Real Celery worker processes for the tests that are about the worker: each on a queue
of its own, using the test database."""

import os
import subprocess
import sys
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
