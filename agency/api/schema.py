"""What the OpenAPI schema says beyond what drf-spectacular infers: the error answers every
operation may give, in the API's one error format, and URLs that may be empty.

Schemathesis fuzzes the API against this schema in `make test` (agency/tests/test_api_fuzz.py),
so an answer the schema does not describe is a failing test, not a surprise for a client.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every error has this shape (docs/api.md, Errors).",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Each field refused, with its messages (400 only).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

_ERRORS = {
    "400": "Input refused: `fields` names each parameter or field with its messages.",
    "401": "No credentials, or an unknown or revoked API key.",
    "403": "The role or the key's scope does not allow this.",
    "404": "No such object, or not yours (the same answer for both).",
    "415": "The body's Content-Type is not one this operation reads.",
    "429": "Over the rate limit: retry after `Retry-After` seconds.",
}


def _error_response(status: str) -> dict:
    response = {
        "description": _ERRORS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == "429":
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before the next request.",
                "schema": {"type": "integer"},
            }
        }
    return response


def document_error_responses(result, generator, request, public):
    """Postprocessing hook: the Error component, and the error answers of every operation.

    404 is listed where the address names an object (a path parameter): elsewhere an unknown
    address is not an operation of the schema at all. 415 is listed where there is a body.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "patch", "post", "delete", "head"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _ERRORS:
                if status == "404" and "{" not in path:
                    continue
                if status == "415" and method not in {"put", "patch", "post"}:
                    continue
                responses.setdefault(status, _error_response(status))
    return result


class BlankableURLFieldExtension(OpenApiSerializerFieldExtension):
    """A URL field whose model allows it blank answers "" (no URL): say so in the schema."""

    target_class = "rest_framework.fields.URLField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not _may_be_blank(self.target):
            return schema
        return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


class BlankableChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """A choice whose model allows it blank answers "" (none yet, e.g. a post's review stage
    before review): "" joins the enum, which spectacular then splits into Enum | BlankEnum."""

    target_class = "rest_framework.fields.ChoiceField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if _may_be_blank(self.target) and "" not in schema.get("enum", [""]):
            schema = {**schema, "enum": [*schema["enum"], ""]}
        return schema


def _may_be_blank(field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False
