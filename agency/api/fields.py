"""Serializer fields every API input uses for dates, so that one range check applies to all."""

from django.db import models
from rest_framework import serializers

from agency.datetimes import validate_supported_date, validate_supported_datetime


class InstantField(serializers.DateTimeField):
    """A date-time in the supported years, with an offset PostgreSQL accepts (see datetimes)."""

    default_validators = [validate_supported_datetime]


class CalendarDateField(serializers.DateField):
    """A calendar date in the supported years."""

    default_validators = [validate_supported_date]


# The largest id a bigint column can hold. A larger number sent as an id is not "no such row"
# for the database driver: SQLite raises OverflowError (a 500) before the query runs.
MAX_OBJECT_ID = 2**63 - 1


class ObjectIdField(serializers.IntegerField):
    """An object id given as input: a positive integer that fits the id columns."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_OBJECT_ID)
        super().__init__(**kwargs)


class PersonEmailField(serializers.EmailField):
    """Read-only: the e-mail address of the user in the relation ``person``, or null."""

    def __init__(self, person: str, **kwargs):
        super().__init__(
            source=f"{person}.email", read_only=True, default=None, allow_null=True, **kwargs
        )


class ModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose generated date fields carry the range check."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: InstantField,
        models.DateField: CalendarDateField,
    }
