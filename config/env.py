"""Typed readers for environment variables.

Every switch in Strata is an environment variable read through one of these helpers.
A value that cannot be understood raises ImproperlyConfigured at start-up instead of
being silently replaced by a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def _env_number(name: str, default, parse, what: str):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return parse(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not {what}.") from exc


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_currency(name: str, default: str) -> str:
    """An ISO 4217 currency code ("EUR", "usd" read as "USD") that Babel knows."""
    from babel.numbers import list_currencies

    value = (os.environ.get(name) or "").strip() or default
    code = value.upper()
    if len(code) != 3 or not code.isalpha() or code not in list_currencies():
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an ISO 4217 currency code (e.g. EUR, USD, GBP, CHF)."
        )
    return code


_RATE_PERIODS = ("second", "minute", "hour", "day")


def env_rate(name: str, default: str | None) -> str | None:
    """A request rate for a throttle: "1000/hour" (second, minute, hour or day), or
    "off" for no limit (None)."""
    value = (os.environ.get(name) or "").strip().lower() or default
    if value is None or value == "off":
        return None
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in _RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: use a number per second, minute, hour or day "
            '("1000/hour"), or "off".'
        )
    return value


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, read case-insensitively."""
    value = (os.environ.get(name) or "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value
