"""One scope for every record that hangs off an account.

Who may see an account is decided once, by the account model's own
`objects.visible_to(user)` (accounts_app: DESIGN §1). A contact, a plan, a tactic, a
scorecard line or an alert is visible exactly when its account is, so their querysets
all say it the same way:

    class Tactic(models.Model):
        objects = AccountOwnedQuerySet.at("strategy__goal__plan__account").as_manager()

    Tactic.objects.visible_to(user)

Pages, fragments, the API, exports and PDFs use this scope; none re-derives it.
"""

from django.db import models


class AccountOwnedQuerySet(models.QuerySet):
    """Records reached from an account along `account_path` (a lookup path ending at the
    account foreign key)."""

    account_path = "account"

    @classmethod
    def at(cls, account_path: str) -> type["AccountOwnedQuerySet"]:
        """This queryset class for records whose account is at `account_path`."""
        return type(cls.__name__, (cls,), {"account_path": account_path})

    def visible_to(self, user) -> "AccountOwnedQuerySet":
        """The records of the accounts `user` may see."""
        accounts = self.account_model()._default_manager.visible_to(user)
        return self.filter(**{f"{self.account_path}__in": accounts})

    def account_model(self) -> type[models.Model]:
        model = self.model
        for name in self.account_path.split("__"):
            model = model._meta.get_field(name).related_model
        return model
