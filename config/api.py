"""API-wide pieces: the exception handler that keeps Django validation errors at 400 and
answers a locked-out sign-in with 429."""

from axes.helpers import get_cool_off
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # django-axes marks the request it refused (or just locked) while authenticating the
    # token endpoint's credentials. Its middleware turns that mark into the lockout page
    # for the login form, but DRF's request is a wrapper the middleware never sees, so
    # the endpoint would answer "Unable to log in with provided credentials" (400).
    if getattr(context.get("request"), "axes_locked_out", False):
        cool_off = get_cool_off(context["request"])
        exc = exceptions.Throttled(
            wait=cool_off.total_seconds() if cool_off else None,
            detail="Too many failed sign-in attempts: sign-in is locked for a while.",
        )
    # Services call full_clean() and raise Django's ValidationError; the API answers
    # it as a 400 with field errors, like a serializer error.
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field if field != "__all__" else "non_field_errors": messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
