"""How people sign in: the admins' policy on the second factor, and the record of every
change to anyone's sign-in (second factor set up, turned off or reset, recovery codes
made or used, a user made or a role changed by single sign-on, the policy changed)."""

from django.conf import settings
from django.db import models


class SignInPolicy(models.Model):
    """The installation's one sign-in policy (row 1): who must give a second factor."""

    class Required(models.TextChoices):
        NOBODY = "nobody", "Nobody (each person may turn it on)"
        EVERYONE = "everyone", "Everyone"
        ROLES = "roles", "People with the roles below"

    second_factor = models.CharField(
        max_length=10, choices=Required.choices, default=Required.NOBODY
    )
    # The User.Role values that must use one when second_factor is "roles".
    second_factor_roles = models.JSONField(default=list, blank=True)
    # Off: a sign-in through the identity provider counts as both factors (the provider
    # applies its own); on, Strata asks for its own second factor after it as well.
    sso_needs_second_factor = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "sign-in policy"
        verbose_name_plural = "sign-in policy"

    def __str__(self):
        return "Sign-in policy"

    @classmethod
    def current(cls) -> "SignInPolicy":
        """The policy in force: row 1, or the default (nobody must) until an admin saves
        one — reading it never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def requires_second_factor(self, user) -> bool:
        if self.second_factor == self.Required.EVERYONE:
            return True
        if self.second_factor == self.Required.ROLES:
            roles = set(self.second_factor_roles)
            return user.role in roles or ("admin" in roles and user.is_superuser)
        return False


class SecurityEvent(models.Model):
    """One change to how a person signs in: who, by whom, when, what."""

    class Kind(models.TextChoices):
        SECOND_FACTOR_ON = "second_factor_on", "Second factor set up"
        SECOND_FACTOR_OFF = "second_factor_off", "Second factor turned off"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset by an admin"
        RECOVERY_CODES = "recovery_codes", "New recovery codes"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        SSO_USER_CREATED = "sso_user_created", "User made by single sign-on"
        SSO_LINKED = "sso_linked", "Linked to the identity provider"
        SSO_ROLE_CHANGED = "sso_role_changed", "Role set by single sign-on"
        POLICY_CHANGED = "policy_changed", "Sign-in policy changed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="security_events",
    )
    # Null: the person themselves through the identity provider, or Strata.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user}"


class SsoIdentity(models.Model):
    """A person at the identity provider (its issuer and their subject id) linked to a
    Strata user: after the first sign-in they are found by it, not by e-mail address, so
    an address changed or re-used at the provider reaches nobody else's user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sso_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "single sign-on identity"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self):
        return f"{self.subject} at {self.issuer} → {self.user}"
