"""When a report schedule fires, and which period each firing covers: pure functions.

A schedule names a wall-clock hour in the brand's time zone ("Mondays at 09:00", "the 1st of
the month at 09:00"). Its firings are found on the brand's calendar, one local date at a time,
and only then turned into UTC instants, so a clock change (Morocco goes from UTC+1 to UTC+0 for
Ramadan and back) moves the UTC instant, never the local hour, and never adds or drops a
firing. An hour the clock skips that night fires at the first instant after the gap; an hour
that happens twice fires at its first occurrence.

Each firing covers the period just over on the brand's calendar: the previous Monday-to-Sunday
week (weekly), the previous month (monthly). The period is what makes a firing unique
(reports.models.ReportRun: one run per schedule and first day of the period).
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from analytics.periods import Period

WEEKLY = "weekly"
MONTHLY = "monthly"
# Far enough to meet any weekday or any day of a month (clamped to the month's last day).
_SEARCH_DAYS = 62


def fires_on(
    day: dt.date, *, frequency: str, weekday: int | None, day_of_month: int | None
) -> bool:
    """Whether the schedule fires on this date of the brand's calendar."""
    if frequency == WEEKLY:
        return weekday is not None and day.weekday() == weekday
    if frequency == MONTHLY and day_of_month is not None:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(day_of_month, last)
    return False


def local_instant(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    """``hour``:00 on ``day`` of the zone's clock, as a UTC instant. An hour the clock skips
    is read on the offset before the jump (zoneinfo's ``fold=0``), which lands on the jump
    itself for a one-hour change; an hour that happens twice is its first occurrence."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz).replace(fold=0).astimezone(dt.UTC)


def next_fire_after(
    after: dt.datetime,
    *,
    frequency: str,
    weekday: int | None,
    day_of_month: int | None,
    hour: int,
    time_zone: str,
) -> dt.datetime:
    """The first instant strictly after ``after`` (aware) at which the schedule fires, in UTC."""
    tz = ZoneInfo(time_zone)
    # Start the day before: a firing late in the local evening may be "after" in UTC terms
    # only on the previous local date of an instant east of UTC.
    day = after.astimezone(tz).date() - dt.timedelta(days=1)
    for offset in range(_SEARCH_DAYS):
        candidate_day = day + dt.timedelta(days=offset)
        if not fires_on(
            candidate_day, frequency=frequency, weekday=weekday, day_of_month=day_of_month
        ):
            continue
        instant = local_instant(candidate_day, hour, tz)
        if instant > after:
            return instant
    raise ValueError("this schedule never fires")  # a weekday or day of month out of range


def period_covered(fired_at: dt.datetime, *, frequency: str, time_zone: str) -> Period:
    """The period a firing at ``fired_at`` reports on: the week or month before the local date
    of the firing (a firing on Monday 2 March covers 23 February – 1 March; one on 1 April
    covers March)."""
    today = fired_at.astimezone(ZoneInfo(time_zone)).date()
    if frequency == WEEKLY:
        return Period.iso_week(today - dt.timedelta(days=7))
    last_of_previous = today.replace(day=1) - dt.timedelta(days=1)
    return Period.month(last_of_previous.year, last_of_previous.month)


def schedule_next_fire(schedule, *, after: dt.datetime) -> dt.datetime:
    """``next_fire_after`` for a ReportSchedule row (its brand's time zone)."""
    return next_fire_after(
        after,
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        day_of_month=schedule.day_of_month,
        hour=schedule.hour,
        time_zone=schedule.brand.time_zone,
    )
