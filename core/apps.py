from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app stands on: periods, money, charts, PDFs, the API's plumbing and the
    account-owned queryset scope, and the periodic jobs' heartbeats (its one model).
    Imports no app of Strata."""

    name = "core"

    def ready(self):
        from . import converters, lookups, sessions

        converters.register()
        lookups.register()
        sessions.register()
