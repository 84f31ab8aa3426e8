"""The age ladder of a post's metric readings: hourly for the first day, every 6 hours until
day 7, daily until day 30, weekly until day 90, then no more (counters barely move after).

Readings missed (a worker down, a rate limit) are not caught up one by one: the next reading is
the first rung after the time of the last one.
"""

from __future__ import annotations

import datetime as dt

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# (until this age, one reading every ...)
RUNGS = ((DAY, HOUR), (7 * DAY, 6 * HOUR), (30 * DAY, DAY), (90 * DAY, 7 * DAY))
LAST_AGE = RUNGS[-1][0]


def _ages() -> tuple[dt.timedelta, ...]:
    ages: list[dt.timedelta] = []
    age = dt.timedelta(0)
    for until, step in RUNGS:
        while age + step <= until:
            age += step
            ages.append(age)
        if age < until:  # a rung whose step does not divide it ends on its last day
            age = until
            ages.append(age)
    return tuple(ages)


AGES = _ages()


def next_reading_at(published_at: dt.datetime, *, after: dt.datetime) -> dt.datetime | None:
    """The first rung strictly after ``after``, or None when the ladder is done."""
    for age in AGES:
        at = published_at + age
        if at > after:
            return at
    return None


def first_reading_at(published_at: dt.datetime, *, now: dt.datetime) -> dt.datetime:
    """A post the collector meets for the first time: its first rung, or now if that passed
    (a post published before analytics existed is read at once, then on the ladder)."""
    return max(published_at + AGES[0], now)
