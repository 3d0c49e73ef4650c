"""The one table of core: when each periodic job last ran (config/observability)."""

from django.db import models


class Heartbeat(models.Model):
    """The last time a named periodic job finished: the beat's minute tick, the nightly
    recompute. One row per name, overwritten on each run."""

    name = models.CharField(max_length=64, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
