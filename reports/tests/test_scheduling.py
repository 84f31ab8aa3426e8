"""When a schedule fires and which period it covers, in the brand's time zone (pure)."""

import datetime as dt
from zoneinfo import ZoneInfo

from analytics.periods import Period
from reports.scheduling import next_fire_after, period_covered

CASABLANCA = "Africa/Casablanca"
TZ = ZoneInfo(CASABLANCA)


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _weekly(after, *, weekday=0, hour=9, tz=CASABLANCA):
    return next_fire_after(
        after, frequency="weekly", weekday=weekday, day_of_month=None, hour=hour, time_zone=tz
    )


def _monthly(after, *, day=1, hour=9, tz=CASABLANCA):
    return next_fire_after(
        after, frequency="monthly", weekday=None, day_of_month=day, hour=hour, time_zone=tz
    )


def test_a_weekly_schedule_keeps_nine_in_the_morning_in_casablanca_across_ramadan_2026():
    # Morocco: UTC+1, then UTC+0 from 15 February 2026 (03:00 -> 02:00), UTC+1 again from
    # 22 March 2026 (02:00 -> 03:00). Mondays at 09:00 local.
    firings, after = [], _utc(2026, 2, 1)
    while after < _utc(2026, 4, 7):
        after = _weekly(after)
        firings.append(after)
    local = [f.astimezone(TZ) for f in firings]
    assert all((t.hour, t.minute, t.weekday()) == (9, 0, 0) for t in local)
    assert [t.date() for t in local] == [
        dt.date(2026, 2, 2) + dt.timedelta(weeks=n) for n in range(len(local))
    ]
    by_date = {t.date(): f.hour for t, f in zip(local, firings, strict=True)}
    assert by_date[dt.date(2026, 2, 9)] == 8  # UTC+1
    assert by_date[dt.date(2026, 2, 16)] == 9  # Ramadan: UTC+0
    assert by_date[dt.date(2026, 3, 16)] == 9
    assert by_date[dt.date(2026, 3, 23)] == 8  # UTC+1 again


def test_the_firing_is_strictly_after_the_instant_given():
    monday_nine = _utc(2026, 2, 16, 9)  # 09:00 in Ramadan (UTC+0)
    assert _weekly(monday_nine - dt.timedelta(seconds=1)) == monday_nine
    assert _weekly(monday_nine) == _utc(2026, 2, 23, 9)


def test_a_monthly_schedule_on_the_31st_fires_on_the_last_day_of_shorter_months():
    firings, after = [], _utc(2026, 1, 1)
    for _ in range(4):
        after = _monthly(after, day=31)
        firings.append(after.astimezone(TZ).date())
    assert firings == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


def test_an_hour_the_clock_skips_fires_once_at_the_jump():
    # 22 March 2026, 02:00 local does not exist in Casablanca (02:00 -> 03:00).
    fired = _weekly(_utc(2026, 3, 21), weekday=6, hour=2)
    assert fired == _utc(2026, 3, 22, 2)
    assert fired.astimezone(TZ).hour == 3


def test_an_hour_that_happens_twice_fires_at_its_first_occurrence():
    # 15 February 2026, 02:00 local happens twice (03:00 -> 02:00): first at 01:00 UTC.
    fired = _weekly(_utc(2026, 2, 14), weekday=6, hour=2)
    assert fired == _utc(2026, 2, 15, 1)
    assert _weekly(fired, weekday=6, hour=2) == _utc(2026, 2, 22, 2)


def test_a_brand_east_of_utc_fires_on_its_own_date():
    # Tokyo's Monday 08:00 is Sunday 23:00 UTC.
    fired = _weekly(_utc(2026, 3, 1, 12), hour=8, tz="Asia/Tokyo")
    assert fired == _utc(2026, 3, 1, 23)


def test_a_firing_covers_the_week_or_month_just_over_on_the_brands_calendar():
    monday = _utc(2026, 3, 2, 8)
    assert period_covered(monday, frequency="weekly", time_zone=CASABLANCA) == Period(
        dt.date(2026, 2, 23), dt.date(2026, 3, 1)
    )
    first = _utc(2026, 3, 1, 8)
    assert period_covered(first, frequency="monthly", time_zone=CASABLANCA) == Period.month(2026, 2)
    # 23:30 UTC on 31 March is already 1 April in Casablanca (UTC+1): March is over.
    late = _utc(2026, 3, 31, 23, 30)
    assert period_covered(late, frequency="monthly", time_zone=CASABLANCA) == Period.month(2026, 3)
