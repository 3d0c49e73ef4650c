"""The OpenAPI schema's error responses.

drf-spectacular documents the answer an operation gives when it succeeds. Every
operation can also be refused, and the schema says so, so that clients (and the
schemathesis run in CI, .ci/schemathesis) know every status the API answers and the
shape of its body: 400 with field errors, the others with `detail`. Each code is added
only where it can happen; an operation that declares a code keeps its own description.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERROR_MEDIA_TYPES = ["application/json"]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


# DRF's validation errors: field name (or `non_field_errors`) to a list of messages,
# nested like the input for nested fields, or `detail` for a body that cannot be parsed.
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": "Field errors: each field's messages under its name, the others under "
    "`non_field_errors`; `detail` when the body cannot be read.",
}

ERRORS = {
    "400": (VALIDATION_ERROR, "The input was refused: what is wrong, field by field."),
    "401": (ErrorSerializer, "Not signed in: no token or session, or an expired token."),
    "403": (ErrorSerializer, "Signed in, but not allowed to do this."),
    "404": (ErrorSerializer, "No such object (or not yours to see), or no such page."),
    "429": (ErrorSerializer, "Too many requests: try again after Retry-After seconds."),
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            self._add_error_responses(operation)
        return operation

    def _error_codes(self, operation) -> set[str]:
        located = {parameter["in"] for parameter in operation.get("parameters", [])}
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        codes = {"429"}  # every request counts against a limit (core/throttles.py)
        if operation.get("security"):
            codes |= {"401", "403"}
        if self.method != "GET" or query:
            codes.add("400")  # a write's input, or a filter's value
        if "path" in located or "page" in query:
            codes.add("404")  # the object, or a page past the last
        return codes

    def _add_error_responses(self, operation) -> None:
        responses = operation["responses"]
        for code in sorted(self._error_codes(operation)):
            schema, description = ERRORS[code]
            declared = responses.get(code)
            if declared is not None and "content" in declared:
                continue
            response = self._get_response_for_code(
                OpenApiResponse(
                    response=dict(schema) if isinstance(schema, dict) else schema,
                    description=description,
                ),
                code,
                ERROR_MEDIA_TYPES,
            )
            if declared is not None:  # the operation's own words, with the body's shape
                response["description"] = declared["description"]
            responses[code] = response
        operation["responses"] = dict(sorted(responses.items()))
