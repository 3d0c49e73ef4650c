from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Account plans"

    def ready(self):
        from . import signals  # noqa: F401 — connects the quality refresh
