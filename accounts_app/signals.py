"""Two signal receivers with a rule behind them: a user's API tokens are all revoked when
their password changes or they are deactivated; and a sign-in works out at once whether
the session owes a second factor (accounts_app.signin).

A receiver rather than a call in each place because a password is set in many places
that are not ours (the admin's set-password form, `manage.py changepassword`, Django's
password change and reset views) and a user is deactivated from the admin's checkbox as
well as by offboarding; every one of them ends in a save of the user.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .services.tokens import api_tokens_revoke_all
from .signin import second_factor


@receiver(post_save, sender=User, dispatch_uid="accounts_app.tokens_revoked_with_password")
def revoke_tokens_on_password_change_or_deactivation(sender, instance, created, **kwargs):
    if created:
        return
    # set_password() keeps the new raw password on the user until the save that stores
    # it (Django's AbstractBaseUser.save clears it after this signal). A hash upgraded at
    # sign-in does not count: check_password() clears it before saving.
    if instance._password is not None or not instance.is_active:
        api_tokens_revoke_all(user=instance)


@receiver(user_logged_in, dispatch_uid="accounts_app.second_factor_looked_up_at_sign_in")
def second_factor_looked_up_at_sign_in(sender, request, user, **kwargs):
    # Every sign-in, whichever way (password, single sign-on, the admin's, a test's
    # force_login), not the first page after it.
    if request is not None and hasattr(request, "session"):
        second_factor.look(request, user)
