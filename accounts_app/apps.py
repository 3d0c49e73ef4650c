from django.apps import AppConfig


class AccountsAppConfig(AppConfig):
    name = "accounts_app"
    verbose_name = "Accounts"

    def ready(self):
        from . import signals  # noqa: F401
