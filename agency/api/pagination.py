"""Cursor pagination for every list; a cursor that is not one of ours is a 400, not a 404."""

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination

from agency.datetimes import validate_supported_datetime


def _bad_cursor() -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {"cursor": [_("This cursor is not valid: follow the next or previous link as given.")]}
    )


class CursorPagination(pagination.CursorPagination):
    """Stable pages under inserts; views set `ordering` (newest first by default)."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        # DRF answers a garbled cursor with 404 (as if the list had vanished); it is bad input.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise _bad_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        cursor = self.decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            self._check_position(queryset.model, cursor.position)
        return super().paginate_queryset(queryset, request, view)

    def _check_position(self, model, position: str) -> None:
        """The cursor's position must be a value of the ordering field, or the query fails
        in the database (a text id, an out-of-range date): refuse it before."""
        name = self.ordering[0].lstrip("-")
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return  # an annotation: nothing to check it against
        try:
            value = field.to_python(position)
            if isinstance(value, dt.datetime):
                validate_supported_datetime(value)
            elif isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise DjangoValidationError("out of range")
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            raise _bad_cursor() from None
