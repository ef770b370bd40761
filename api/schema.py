"""The OpenAPI schema: drf-spectacular, with the error responses every operation can give."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

# Field errors ({"level": ["..."]}), non_field_errors, or {"detail": "..."}; a refused
# import adds its list of row errors.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
        "error_count": {"type": "integer"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "row": {"type": "integer", "nullable": True},
                    "column": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}
ERROR_RESPONSES = {
    "400": "Invalid input: a message per field.",
    "401": "Not authenticated.",
    "403": "The user's role does not allow this.",
    "404": "Not found, or outside the user's jurisdiction.",
}
# Operations that read a body also refuse one of a media type they do not read (a broken
# multipart body is one).
BODY_ERROR_RESPONSES = {"415": "The body's media type is not one this operation reads."}
BODY_METHODS = ("POST", "PUT", "PATCH")


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method.upper() in BODY_METHODS:
            errors.update(BODY_ERROR_RESPONSES)
        for code, description in errors.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
            )
        return responses


class VocabularyListExtension(OpenApiSerializerFieldExtension):
    """A list of codes of a vocabulary's terms. The vocabularies are data that national
    admins change, so the schema gives no enum: the codes allowed are those of the active
    terms that /api/v1/vocabularies/ lists."""

    target_class = "api.serializers.VocabularyListField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "array",
            "items": {"type": "string"},
            "description": (
                f"Codes of the terms of the “{self.target.vocabulary}” vocabulary: "
                "GET /api/v1/vocabularies/ lists them. A save takes the codes of active "
                "terms; a code the pair already holds may stay after its term was made "
                "inactive."
            ),
        }
