"""URL converters. `<id:...>`: a database id, 1 to 18 digits. A longer number cannot be
an id (ids are 64-bit), and SQLite raises OverflowError on one instead of matching
nothing; so such a URL simply does not match: 404. Registered by core's AppConfig,
before any app's URLs are read."""

from django.urls import register_converter

ID_REGEX = "[0-9]{1,18}"


class IdConverter:
    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
