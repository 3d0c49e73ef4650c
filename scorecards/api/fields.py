"""Fields the scorecards API shares."""

from rest_framework import serializers


def figure(max_digits=16, places=2, **kwargs):
    """A decimal figure as a JSON number (null allowed unless told otherwise)."""
    kwargs.setdefault("allow_null", True)
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=places, coerce_to_string=False, **kwargs
    )
