"""Business time for the inbox's SLA: how much of a span fell in a brand's business hours, and
when a target counted in business time falls due.

Pure functions over a `Schedule` (no database): the SLA models build one per brand, the breach
dispatcher and the metrics selectors call these. Hours are wall-clock times in the brand's time
zone, so a 09:00-18:00 day stays 09:00-18:00 across a change of offset (Europe's summer time,
Morocco's hour off during Ramadan); the seconds counted are real elapsed seconds, so the day a
clock jumps an hour forward inside the hours is an hour shorter. A wall time that does not exist
that day (inside a jump forward) is read with the offset before the jump, as zoneinfo does
with fold=0.

No library: the PyPI candidates (businesstime, businesstimedelta) are unmaintained since
2018/2019 and zoneinfo plus one loop over days is all this needs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

# How far due_at looks ahead before it gives up: a schedule that is closed for two years is a
# schedule with no hours, and a target on it never falls due.
HORIZON_DAYS = 2 * 366

MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class Schedule:
    """A brand's week: intervals per weekday (0 = Monday) as (start, end) wall times, end after
    start or 00:00 for the end of the day; closed dates (holidays) override the week."""

    time_zone: str
    weekly: Mapping[int, tuple[tuple[dt.time, dt.time], ...]] = field(default_factory=dict)
    closed: frozenset[dt.date] = frozenset()

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def has_hours(self) -> bool:
        return any(self.weekly.get(day) for day in range(7))


def _day_intervals(schedule: Schedule, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The day's open intervals as aware UTC instants, sorted and merged (the settings form
    refuses overlaps; merging here keeps a bad row from counting an hour twice)."""
    if day in schedule.closed:
        return []
    tz = schedule.tz
    spans = []
    for start, end in schedule.weekly.get(day.weekday(), ()):
        opens = dt.datetime.combine(day, start, tzinfo=tz)
        if end == MIDNIGHT:
            closes = dt.datetime.combine(day + dt.timedelta(days=1), MIDNIGHT, tzinfo=tz)
        else:
            closes = dt.datetime.combine(day, end, tzinfo=tz)
        opens, closes = opens.astimezone(dt.UTC), closes.astimezone(dt.UTC)
        if closes > opens:
            spans.append((opens, closes))
    spans.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for opens, closes in spans:
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _days_from(schedule: Schedule, instant: dt.datetime) -> Iterator[dt.date]:
    # The day before too: a day's local intervals can end after the instant's local midnight
    # only through an end of 00:00, which lands on the next day's date.
    day = instant.astimezone(schedule.tz).date() - dt.timedelta(days=1)
    while True:
        yield day
        day += dt.timedelta(days=1)


def open_intervals(
    schedule: Schedule, start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The parts of [start, end) inside business hours, in UTC, in order."""
    _require_aware(start, end)
    if end <= start:
        return
    for day in _days_from(schedule, start):
        if dt.datetime.combine(day, MIDNIGHT, tzinfo=schedule.tz) >= end:
            return
        for opens, closes in _day_intervals(schedule, day):
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                yield lo, hi


def business_seconds(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> float:
    """Seconds of [start, end) that fell in business hours (0 when end is not after start)."""
    return sum((hi - lo).total_seconds() for lo, hi in open_intervals(schedule, start, end))


def is_open(schedule: Schedule, instant: dt.datetime) -> bool:
    _require_aware(instant)
    return any(
        opens <= instant < closes
        for day in _around(schedule, instant)
        for opens, closes in _day_intervals(schedule, day)
    )


def due_at(schedule: Schedule, start: dt.datetime, seconds: float) -> dt.datetime | None:
    """The instant at which `seconds` of business time have passed since `start`; None when the
    schedule has no hours within the horizon (a target that can never fall due)."""
    _require_aware(start)
    if seconds <= 0:
        return start
    left = dt.timedelta(seconds=seconds)
    for index, day in enumerate(_days_from(schedule, start)):
        if index > HORIZON_DAYS:
            return None
        for opens, closes in _day_intervals(schedule, day):
            lo = max(opens, start)
            if closes <= lo:
                continue
            if closes - lo >= left:
                return lo + left
            left -= closes - lo
    return None  # pragma: no cover - the generator is endless


def _around(schedule: Schedule, instant: dt.datetime) -> Iterable[dt.date]:
    local = instant.astimezone(schedule.tz).date()
    return (local - dt.timedelta(days=1), local)


def _require_aware(*instants: dt.datetime) -> None:
    # A naive datetime here is a programming error, not user input: mixing it in would shift
    # every figure by the server's offset without a trace.
    for instant in instants:
        if instant.tzinfo is None:
            raise ValueError("business time needs aware datetimes")


# A brand's week when it set no hours: every hour counts (its closed days still count nothing).
ROUND_THE_CLOCK: Mapping[int, tuple[tuple[dt.time, dt.time], ...]] = {
    day: ((MIDNIGHT, MIDNIGHT),) for day in range(7)
}
