"""The Celery broker as operators see it: reachable or not, and how many messages wait
in each queue. Redis when REDIS_URL is set (PING, LLEN), else the filesystem broker's
folder (writable, a file per message)."""

import functools
import logging
import os
import tempfile
from pathlib import Path

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

# kombu's Redis transport keeps a queue's messages of priority 3, 6 and 9 in lists of
# their own, named after the queue with this separator and the priority.
_REDIS_PRIORITY_SEPARATOR = "\x06\x16"
_REDIS_PRIORITIES = (3, 6, 9)
_TIMEOUT_SECONDS = 1.0


@functools.lru_cache(maxsize=2)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=_TIMEOUT_SECONDS, socket_timeout=_TIMEOUT_SECONDS
    )


def _queue_folder() -> Path:
    return Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])


def queue_names() -> list[str]:
    """The default queue and every queue the settings declare."""
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    names.update(queue.name for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or ())
    return sorted(names)


def broker_reachable() -> bool:
    """Redis answers PING within a second, or the broker's folder takes a new file."""
    try:
        if settings.REDIS_URL:
            return bool(_redis(settings.REDIS_URL).ping())
        with tempfile.NamedTemporaryFile(dir=_queue_folder(), prefix=".healthz-"):
            return True
    except (redis.RedisError, OSError):
        logger.warning("health check: the Celery broker is unavailable", exc_info=True)
        return False


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting in each queue (not those a worker holds); None when the broker
    cannot be read."""
    names = queue_names()
    try:
        if settings.REDIS_URL:
            pipe = _redis(settings.REDIS_URL).pipeline(transaction=False)
            for name in names:
                pipe.llen(name)
                for priority in _REDIS_PRIORITIES:
                    pipe.llen(f"{name}{_REDIS_PRIORITY_SEPARATOR}{priority}")
            sizes = iter(pipe.execute())
            per_queue = 1 + len(_REDIS_PRIORITIES)
            return {name: sum(next(sizes) for _ in range(per_queue)) for name in names}
        # kombu's filesystem transport names a message "<time>_<uuid>.<queue>.msg".
        counts = dict.fromkeys(names, 0)
        for entry in os.listdir(_queue_folder()):
            queue = entry.partition(".")[2].removesuffix(".msg")
            if queue in counts and entry.endswith(".msg"):
                counts[queue] += 1
        return counts
    except (redis.RedisError, OSError):
        logger.warning("metrics: the Celery broker's queues cannot be read", exc_info=True)
        return None
