"""Errors as JSON: a message per field, as the pages show them next to each field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from imports.tabular import ImportRefused

# At most this many row errors are listed in a response; error_count tells them all.
MAX_LISTED_ERRORS = 500


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service refused the input: its messages keyed by field, the rest as
        # non_field_errors (the keys a serializer's own errors use).
        exc = ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, ImportRefused):
        return Response(import_refused_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def import_refused_body(exc: ImportRefused) -> dict:
    count = len(exc.errors)
    return {
        "detail": _("Nothing was imported: the file has %(count)d problem(s).") % {"count": count},
        "error_count": count,
        "errors": [error.as_dict() for error in exc.errors[:MAX_LISTED_ERRORS]],
    }
