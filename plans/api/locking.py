"""Optimistic locking in the API: every update names the version it read — the `version`
field or an `If-Match` header — or is refused with 428; a stale one answers 409 with the
current object, and nothing changes. ETags on single objects."""

import functools
import re
from collections.abc import Mapping

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from core.openapi import ErrorSerializer

from .. import services

MAX_VERSION = 2**31 - 1


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Say which version you are changing: send the `version` you read, or an "
        'If-Match header with it (e.g. If-Match: "3").'
    )
    default_code = "precondition_required"


VERSION_HELP = (
    "Optimistic locking: on an update, the version you read (or send it in If-Match). "
    "Moves on by one with every change."
)


def _version_field():
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP
    )


_ETAG = re.compile(r'^(?:W/)?"?([0-9]{1,10})"?$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The version you read, as the ETag gave it ("3"); or send `version` in '
    "the body. One of the two is required.",
)


@functools.cache
def conflict_response(serializer_class) -> OpenApiResponse:
    """409: the object changed since the caller read it; `current` is how it is now."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return OpenApiResponse(
        inline_serializer(
            f"{name}Conflict",
            fields={"detail": serializers.CharField(), "current": serializer_class()},
        ),
        description="Changed by someone else since you read it: `detail` and `current`.",
    )


@functools.cache
def locking_responses(serializer_class) -> dict:
    """The answers of an update that names the version it read (400, 401, 403, 404 and
    429 get their bodies from core.openapi)."""
    return {
        200: serializer_class,
        400: OpenApiResponse(description="Bad input: field errors."),
        403: OpenApiResponse(description="You may see this but not change it."),
        404: OpenApiResponse(description="No such object, or not yours to see."),
        409: conflict_response(serializer_class),
        428: OpenApiResponse(
            ErrorSerializer, description="No version named: send `version` or If-Match."
        ),
    }


def _etag(obj) -> dict[str, str]:
    return {"ETag": f'"{obj.version}"'}


def _optional_version(request) -> int | None:
    header = request.headers.get("If-Match")
    if header is not None:
        match = _ETAG.match(header.strip())
        if not match:
            raise exceptions.ValidationError(
                {"If-Match": ['Give the version you read, e.g. If-Match: "3".']}
            )
        return int(match.group(1))
    body = request.data.get("version") if isinstance(request.data, Mapping) else None
    if body in (None, ""):
        return None
    if not str(body).isdigit() or len(str(body)) > 18:
        raise exceptions.ValidationError({"version": ["A version is a whole number."]})
    return int(body)


class _VersionedMixin:
    """Updates that name the version they read; ETags on single objects; StaleVersion as
    409 with the current object."""

    def expected_version(self, request) -> int:
        body = request.data.get("version") if isinstance(request.data, Mapping) else None
        header = request.headers.get("If-Match")
        from_header = None
        if header is not None:
            match = _ETAG.match(header.strip())
            if not match:
                raise exceptions.ValidationError(
                    {"If-Match": ['Give the version you read, e.g. If-Match: "3".']}
                )
            from_header = int(match.group(1))
        if body is None and from_header is None:
            raise PreconditionRequired()
        # The body's version is checked by the serializer; here it only has to be there.
        return from_header

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        header_version = self.expected_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            version = header_version
        elif header_version is not None and header_version != version:
            raise exceptions.ValidationError(
                {"version": ["The version in the body and in If-Match disagree."]}
            )
        updated = self.save_update(instance, data, version)
        return Response(self.output(updated), headers=_etag(updated))

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.output(instance), headers=_etag(instance))

    def output(self, obj):
        return self.get_serializer(obj).data

    def handle_exception(self, exc):
        if isinstance(exc, services.StaleVersion):
            current = self.refetch(exc.current)
            return Response(
                {
                    "detail": "This was changed by someone else since you read it: "
                    "here is the current version; apply your change to it and retry.",
                    "current": self.output(current),
                },
                status=status.HTTP_409_CONFLICT,
                headers=_etag(current),
            )
        return super().handle_exception(exc)

    def refetch(self, obj):
        return self.get_queryset().get(pk=obj.pk)
