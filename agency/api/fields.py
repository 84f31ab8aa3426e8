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


class ModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose generated date fields carry the range check."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: InstantField,
        models.DateField: CalendarDateField,
    }
