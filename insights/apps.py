from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The recompute pipeline and what reads across the feature apps: snapshots, health,
    the servicing verdict, alert evaluation and escalation, dashboards, packs, and the
    pages built from them (the accounts list, an account's Overview and Health)."""

    name = "insights"
    verbose_name = "Insights"

    def ready(self):
        # Registers the recompute task in every process, the web server's included:
        # core.jobs queues it by name.
        from . import tasks  # noqa: F401
