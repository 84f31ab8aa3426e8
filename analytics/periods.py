"""The period a page or report covers, and the period it is compared with.

A period is a run of whole days of the brand's own calendar, both ends included. The analytics
pages, the reports and the API all choose one through `period_choose`, so "the last 30 days" or
"last month" mean the same everywhere.

The metric series are stored per UTC day (analytics.models.series); a period reads those days
by date. For Morocco (UTC+1, UTC+0 in Ramadan) a day's first hour may fall on the UTC day
before; `utc_bounds` gives the exact instants for what is stored by time (mentions, messages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

# A page over more than two years is a report's job, not an interactive one.
MAX_PERIOD_DAYS = 731


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its first day")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def utc_bounds(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[first day 00:00, day after the last 00:00) on the brand's clock, as UTC instants."""
        begin = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        stop = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return begin.astimezone(dt.UTC), stop.astimezone(dt.UTC)

    def preceding(self) -> Period:
        """As many days, ending the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def year_before(self) -> Period:
        """The same dates a year earlier (29 February becomes the 28th)."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def label(self) -> str:
        """ "1 nov. 2026 – 30 nov. 2026" in the active language."""
        if self.start == self.end:
            return formats.date_format(self.start, "DATE_FORMAT")
        start = formats.date_format(self.start, "DATE_FORMAT")
        return f"{start} – {formats.date_format(self.end, 'DATE_FORMAT')}"

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1))

    @classmethod
    def iso_week(cls, day: dt.date) -> Period:
        """Monday to Sunday around ``day``."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday, monday + dt.timedelta(days=6))


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class Preset(models.TextChoices):
    LAST_7 = "last_7", _("Last 7 days")
    LAST_30 = "last_30", _("Last 30 days")
    LAST_90 = "last_90", _("Last 90 days")
    THIS_MONTH = "this_month", _("This month")
    LAST_MONTH = "last_month", _("Last month")
    LAST_12_MONTHS = "last_12_months", _("Last 12 months")
    CUSTOM = "custom", _("Custom dates")


class Compare(models.TextChoices):
    PREVIOUS = "previous", _("Previous period")
    YEAR = "year", _("Same period last year")
    NONE = "none", _("No comparison")


DEFAULT_PRESET = Preset.LAST_30
DEFAULT_COMPARE = Compare.PREVIOUS


def period_of_preset(preset: str, *, today: dt.date) -> Period:
    """The period a preset names, seen on ``today`` (the brand's date). "Last N days" ends
    yesterday: today is not over, and its figures are not in yet."""
    yesterday = today - dt.timedelta(days=1)
    if preset == Preset.LAST_7:
        return Period(yesterday - dt.timedelta(days=6), yesterday)
    if preset == Preset.LAST_90:
        return Period(yesterday - dt.timedelta(days=89), yesterday)
    if preset == Preset.THIS_MONTH:
        return Period(today.replace(day=1), today)
    if preset == Preset.LAST_MONTH:
        last_of_previous = today.replace(day=1) - dt.timedelta(days=1)
        return Period.month(last_of_previous.year, last_of_previous.month)
    if preset == Preset.LAST_12_MONTHS:
        first = today.replace(day=1)
        return Period(_year_earlier(first), first - dt.timedelta(days=1))
    return Period(yesterday - dt.timedelta(days=29), yesterday)


def comparison_of(period: Period, compare: str) -> Period | None:
    if compare == Compare.YEAR:
        return period.year_before()
    if compare == Compare.NONE:
        return None
    return period.preceding()


@dataclass(frozen=True)
class PeriodChoice:
    """What a request asked for, made valid: the period, what it is compared with, and the
    values to put back in the picker."""

    period: Period
    comparison: Period | None
    preset: str
    compare: str


def period_choose(
    params: Mapping[str, str], *, today: dt.date
) -> tuple[PeriodChoice, dict[str, str]]:
    """Read ``preset``, ``start``, ``end`` (ISO dates) and ``compare`` from a query string.

    Never raises on what a person typed: an invalid value is reported in the errors (by field
    name) and the default is used in its place, so the page still shows something true.
    """
    errors: dict[str, str] = {}
    preset = params.get("preset") or ""
    compare = params.get("compare") or DEFAULT_COMPARE
    if compare not in Compare.values:
        errors["compare"] = str(_("Choose a comparison from the list."))
        compare = DEFAULT_COMPARE
    if not preset:
        preset = Preset.CUSTOM if (params.get("start") or params.get("end")) else DEFAULT_PRESET
    if preset not in Preset.values:
        errors["preset"] = str(_("Choose a period from the list."))
        preset = DEFAULT_PRESET

    period = None
    if preset == Preset.CUSTOM:
        period = _custom_period(params, errors)
        if period is None:
            preset = DEFAULT_PRESET
    if period is None:
        period = period_of_preset(preset, today=today)
    return PeriodChoice(period, comparison_of(period, compare), preset, compare), errors


def _custom_period(params: Mapping[str, str], errors: dict[str, str]) -> Period | None:
    start = _date(params.get("start"), "start", errors)
    end = _date(params.get("end"), "end", errors)
    if start is None or end is None:
        return None
    if end < start:
        errors["end"] = str(_("The period must end on or after its first day."))
        return None
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        errors["end"] = str(_("A period covers at most %(days)d days.") % {"days": MAX_PERIOD_DAYS})
        return None
    return Period(start, end)


def _date(value: str | None, field: str, errors: dict[str, str]) -> dt.date | None:
    if not value:
        errors[field] = str(_("Give a date (YYYY-MM-DD)."))
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = str(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:40]})
        return None


def change_ratio(current: float | None, previous: float | None) -> float | None:
    """(current − previous) ÷ previous; None when either is not available or previous is 0
    (a change from nothing has no ratio; the pages show the two figures instead)."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous
