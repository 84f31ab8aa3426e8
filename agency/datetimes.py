"""The dates and times the product accepts from people and machines: one check for every input.

Python's dates stop at 9999-12-31 and PostgreSQL's time-zone offsets at ±15:59. A value near
either edge is accepted where it comes in and breaks later, far away: a post dated 9999-12-31
overflows when it is shown on its brand's wall clock (every page that lists it then fails),
`until=9999-12-31` overflows when a day is added to it, and `since=…+20:00` is a database error.
So every input path (forms, API serializers, query parameters, the services that schedule)
refuses such values through the functions here, with a message that says what is accepted.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
# PostgreSQL refuses offsets of 16 hours or more; real zones stay within -12:00 and +14:00.
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)


def _range_message() -> str:
    return _("Give a date between the years %(earliest)d and %(latest)d.") % {
        "earliest": EARLIEST_YEAR,
        "latest": LATEST_YEAR,
    }


def _offset_message() -> str:
    return _("The time-zone offset must be between -15:59 and +15:59.")


def validate_supported_date(value: dt.date | dt.datetime | None) -> None:
    """Validator (forms, serializers, model code): the date lies in the supported years."""
    if value is None:
        return
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(_range_message(), code="date_out_of_range")


def validate_supported_datetime(value: dt.datetime | None) -> None:
    """Validator: a supported year and, when the value has one, a supported UTC offset."""
    if value is None:
        return
    offset = value.utcoffset() if value.tzinfo is not None else None
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValidationError(_offset_message(), code="offset_out_of_range")
    validate_supported_date(value)


class DatePickerField(forms.DateField):
    """A form's date, typed in the browser's date picker, in the supported years."""

    widget = forms.DateInput(attrs={"type": "date"})
    default_validators = [validate_supported_date]


def check_instant(value: dt.datetime | None, *, field: str) -> dt.datetime | None:
    """The value, in UTC when it is aware; a ValidationError naming ``field`` otherwise."""
    try:
        validate_supported_datetime(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if value is not None and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


def parse_instant(value: str | None, *, field: str) -> dt.datetime | None:
    """A query parameter read as an instant (UTC when it has no offset), or None if empty.

    Accepts an ISO 8601 date-time (``2026-11-01T09:30:00+01:00``, ``…Z``) or a date
    (``2026-11-01``, midnight UTC). Anything else is a ValidationError naming ``field``.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = dt.datetime.combine(day, dt.time()) if day else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise ValidationError(
            {
                field: [
                    _("Use an ISO 8601 date or date-time, e.g. %(example)s.")
                    % {"example": "2026-11-01T09:30:00Z"}
                ]
            }
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return check_instant(parsed, field=field)
