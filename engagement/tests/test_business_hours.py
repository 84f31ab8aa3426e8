"""Business time: spans counted in a brand's hours and targets falling due, across closed days,
weekends and changes of offset (Europe's summer time, Morocco's Ramadan hour)."""

import datetime as dt
import zoneinfo

import pytest

from engagement.business_hours import (
    Schedule,
    business_seconds,
    due_at,
    is_open,
    open_intervals,
)

HOUR = 3600
NINE_SIX = ((dt.time(9), dt.time(18)),)
WEEKDAYS = {day: NINE_SIX for day in range(5)}  # Monday to Friday, 09:00-18:00
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CASA = zoneinfo.ZoneInfo("Africa/Casablanca")


def at(tz, *parts):
    return dt.datetime(*parts, tzinfo=tz)


def test_seconds_inside_one_day_and_across_the_night():
    week = Schedule("Africa/Casablanca", WEEKDAYS)
    # Monday 2026-01-05, 10:00 to 12:30 local: all inside.
    assert (
        business_seconds(week, at(CASA, 2026, 1, 5, 10), at(CASA, 2026, 1, 5, 12, 30)) == 2.5 * HOUR
    )
    # Monday 17:00 to Tuesday 10:00: one hour each side of the night.
    assert business_seconds(week, at(CASA, 2026, 1, 5, 17), at(CASA, 2026, 1, 6, 10)) == 2 * HOUR
    # Started before opening: only from 09:00.
    assert business_seconds(week, at(CASA, 2026, 1, 5, 7), at(CASA, 2026, 1, 5, 9, 30)) == HOUR / 2


def test_weekend_and_closed_day_count_nothing():
    holiday = dt.date(2026, 1, 14)  # a Wednesday the brand closes (the user enters holidays)
    week = Schedule("Africa/Casablanca", WEEKDAYS, frozenset({holiday}))
    # Friday 17:00 to Monday 10:00: Friday's hour and Monday's hour, nothing for the weekend.
    assert business_seconds(week, at(CASA, 2026, 1, 9, 17), at(CASA, 2026, 1, 12, 10)) == 2 * HOUR
    # The whole closed Wednesday counts nothing; Tuesday 17:00 to Thursday 10:00 is two hours.
    assert business_seconds(week, at(CASA, 2026, 1, 14, 0), at(CASA, 2026, 1, 15, 0)) == 0
    assert business_seconds(week, at(CASA, 2026, 1, 13, 17), at(CASA, 2026, 1, 15, 10)) == 2 * HOUR
    assert not is_open(week, at(CASA, 2026, 1, 14, 11))
    assert is_open(week, at(CASA, 2026, 1, 15, 11))


def test_due_at_skips_nights_weekends_and_closed_days():
    holiday = dt.date(2026, 1, 12)  # the Monday after
    week = Schedule("Africa/Casablanca", WEEKDAYS, frozenset({holiday}))
    # Friday 17:00 + 2 business hours: Friday's last hour, then Tuesday 10:00 (Monday closed).
    due = due_at(week, at(CASA, 2026, 1, 9, 17), 2 * HOUR)
    assert due == at(CASA, 2026, 1, 13, 10)
    # Arriving on a Saturday: the clock starts Monday... here Tuesday, at opening.
    assert due_at(week, at(CASA, 2026, 1, 10, 12), 30 * 60) == at(CASA, 2026, 1, 13, 9, 30)
    # A target ending exactly at closing is due at closing, not at the next opening.
    assert due_at(week, at(CASA, 2026, 1, 9, 9), 9 * HOUR) == at(CASA, 2026, 1, 9, 18)
    assert due_at(week, at(CASA, 2026, 1, 9, 9), 0) == at(CASA, 2026, 1, 9, 9)


def test_due_at_and_seconds_agree():
    week = Schedule("Europe/Paris", WEEKDAYS, frozenset({dt.date(2026, 3, 30)}))
    start = at(PARIS, 2026, 3, 27, 16, 15)
    for seconds in (60, HOUR, 5 * HOUR, 20 * HOUR, 50 * HOUR):
        due = due_at(week, start, seconds)
        assert business_seconds(week, start, due) == seconds


def test_spring_forward_inside_the_hours_shortens_the_day():
    # Paris jumps from 02:00 to 03:00 on Sunday 2026-03-29; a brand open 00:00-06:00 on
    # Sundays is open five real hours that day, six the Sunday after.
    night = Schedule("Europe/Paris", {6: ((dt.time(0), dt.time(6)),)})
    assert business_seconds(night, at(PARIS, 2026, 3, 28), at(PARIS, 2026, 3, 30)) == 5 * HOUR
    assert business_seconds(night, at(PARIS, 2026, 4, 4), at(PARIS, 2026, 4, 6)) == 6 * HOUR
    # Hours in the day stay wall-clock hours: Monday 09:00 is 07:00 UTC after the change.
    intervals = list(
        open_intervals(
            Schedule("Europe/Paris", WEEKDAYS), at(PARIS, 2026, 3, 30), at(PARIS, 2026, 3, 31)
        )
    )
    assert intervals == [
        (dt.datetime(2026, 3, 30, 7, tzinfo=dt.UTC), dt.datetime(2026, 3, 30, 16, tzinfo=dt.UTC))
    ]


def test_fall_back_inside_the_hours_lengthens_the_day():
    # Paris goes from 03:00 back to 02:00 on Sunday 2026-10-25.
    night = Schedule("Europe/Paris", {6: ((dt.time(0), dt.time(6)),)})
    assert business_seconds(night, at(PARIS, 2026, 10, 24), at(PARIS, 2026, 10, 26)) == 7 * HOUR
    start = at(PARIS, 2026, 10, 25, 0)
    assert due_at(night, start, 7 * HOUR) == dt.datetime(2026, 10, 25, 5, tzinfo=dt.UTC)


def test_morocco_ramadan_hour():
    # Casablanca leaves +01 for +00 on 2026-02-15 and returns on Sunday 2026-03-22: a Friday
    # 09:00-18:00 is 08:00-17:00 UTC before Ramadan and 09:00-18:00 UTC during it.
    week = Schedule("Africa/Casablanca", WEEKDAYS)
    before = list(open_intervals(week, at(CASA, 2026, 2, 13), at(CASA, 2026, 2, 14)))
    during = list(open_intervals(week, at(CASA, 2026, 2, 20), at(CASA, 2026, 2, 21)))
    assert before == [
        (dt.datetime(2026, 2, 13, 8, tzinfo=dt.UTC), dt.datetime(2026, 2, 13, 17, tzinfo=dt.UTC))
    ]
    assert during == [
        (dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC), dt.datetime(2026, 2, 20, 18, tzinfo=dt.UTC))
    ]
    # From Friday 17:30 before the return to Monday 09:30 after it: half an hour each side.
    assert (
        business_seconds(week, at(CASA, 2026, 3, 20, 17, 30), at(CASA, 2026, 3, 23, 9, 30)) == HOUR
    )


def test_end_of_day_and_overlapping_rows():
    # 00:00 as an end means midnight; overlapping rows are counted once.
    late = Schedule(
        "Africa/Casablanca",
        {0: ((dt.time(20), dt.time(0)), (dt.time(9), dt.time(12)), (dt.time(11), dt.time(13)))},
    )
    assert business_seconds(late, at(CASA, 2026, 1, 5), at(CASA, 2026, 1, 6, 12)) == 8 * HOUR
    assert is_open(late, at(CASA, 2026, 1, 5, 23, 59))
    assert not is_open(late, at(CASA, 2026, 1, 6, 0, 0))


def test_no_hours_never_fall_due_and_empty_spans():
    closed = Schedule("Africa/Casablanca", {})
    assert not closed.has_hours()
    assert due_at(closed, at(CASA, 2026, 1, 5, 10), HOUR) is None
    week = Schedule("Africa/Casablanca", WEEKDAYS)
    assert business_seconds(week, at(CASA, 2026, 1, 5, 12), at(CASA, 2026, 1, 5, 10)) == 0


def test_naive_datetimes_are_refused():
    week = Schedule("Africa/Casablanca", WEEKDAYS)
    with pytest.raises(ValueError):
        business_seconds(week, dt.datetime(2026, 1, 5, 10), at(CASA, 2026, 1, 5, 12))
