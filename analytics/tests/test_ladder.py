"""The age ladder: hourly the first day, every 6 hours to day 7, daily to day 30, weekly to
day 90, then nothing."""

import datetime as dt

from analytics import ladder

T = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def test_first_day_is_read_every_hour():
    assert ladder.next_reading_at(T, after=T) == T + H
    assert ladder.next_reading_at(T, after=T + H) == T + 2 * H
    assert ladder.next_reading_at(T, after=T + 23 * H + dt.timedelta(minutes=5)) == T + 24 * H


def test_until_day_seven_every_six_hours():
    assert ladder.next_reading_at(T, after=T + 24 * H) == T + 30 * H
    assert ladder.next_reading_at(T, after=T + 3 * D + H) == T + 3 * D + 6 * H
    assert ladder.next_reading_at(T, after=T + 7 * D - H) == T + 7 * D


def test_until_day_thirty_daily_then_weekly_until_day_ninety():
    assert ladder.next_reading_at(T, after=T + 7 * D) == T + 8 * D
    assert ladder.next_reading_at(T, after=T + 29 * D + H) == T + 30 * D
    assert ladder.next_reading_at(T, after=T + 30 * D) == T + 37 * D
    assert ladder.next_reading_at(T, after=T + 86 * D) == T + 90 * D


def test_the_ladder_ends_at_day_ninety():
    assert ladder.next_reading_at(T, after=T + 90 * D) is None
    assert ladder.AGES[-1] == 90 * D
    assert len(ladder.AGES) == 24 + 24 + 23 + 9


def test_missed_readings_are_not_caught_up_one_by_one():
    # A worker down for 5 hours on the first day: the next reading is the next rung, once.
    assert ladder.next_reading_at(T, after=T + 5 * H + dt.timedelta(minutes=1)) == T + 6 * H


def test_a_post_met_late_is_read_at_once_and_a_new_one_after_an_hour():
    now = T + 10 * D
    assert ladder.first_reading_at(T, now=now) == now
    assert ladder.first_reading_at(T, now=T + dt.timedelta(minutes=3)) == T + H
