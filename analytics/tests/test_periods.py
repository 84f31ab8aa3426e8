import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from analytics.periods import Period, change_ratio, period_choose

TODAY = dt.date(2026, 12, 3)


def test_last_30_days_ends_yesterday_and_is_compared_with_the_30_before():
    choice, errors = period_choose({}, today=TODAY)
    assert errors == {}
    assert choice.period == Period(dt.date(2026, 11, 3), dt.date(2026, 12, 2))
    assert choice.comparison == Period(dt.date(2026, 10, 4), dt.date(2026, 11, 2))


def test_last_month_is_the_whole_calendar_month_and_year_comparison_shifts_a_year():
    choice, _ = period_choose({"preset": "last_month", "compare": "year"}, today=TODAY)
    assert choice.period == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert choice.comparison == Period(dt.date(2025, 11, 1), dt.date(2025, 11, 30))


def test_custom_dates_are_read_and_a_bad_one_falls_back_with_an_error_naming_the_field():
    choice, errors = period_choose({"start": "2026-01-01", "end": "2026-01-31"}, today=TODAY)
    assert (choice.preset, choice.period.days, errors) == ("custom", 31, {})
    choice, errors = period_choose({"start": "2026-13-01", "end": "2026-01-31"}, today=TODAY)
    assert set(errors) == {"start"} and choice.preset == "last_30"
    _, errors = period_choose({"start": "2026-02-01", "end": "2026-01-31"}, today=TODAY)
    assert set(errors) == {"end"}
    _, errors = period_choose({"start": "2020-01-01", "end": "2026-01-31"}, today=TODAY)
    assert set(errors) == {"end"}
    _, errors = period_choose({"preset": "forever", "compare": "x"}, today=TODAY)
    assert set(errors) == {"preset", "compare"}


def test_no_comparison_gives_none():
    choice, _ = period_choose({"compare": "none"}, today=TODAY)
    assert choice.comparison is None


def test_year_before_of_29_february_is_the_28th():
    assert Period(dt.date(2028, 2, 29), dt.date(2028, 2, 29)).year_before().start == dt.date(
        2027, 2, 28
    )


def test_utc_bounds_follow_casablanca_in_and_out_of_ramadan():
    tz = ZoneInfo("Africa/Casablanca")
    # 2026-02-01: UTC+1; Ramadan 2026 (about 15 February to 22 March): UTC+0.
    begin, stop = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 1)).utc_bounds(tz)
    assert begin == dt.datetime(2026, 1, 31, 23, 0, tzinfo=dt.UTC)
    assert stop - begin == dt.timedelta(hours=24)
    begin, _ = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1)).utc_bounds(tz)
    assert begin == dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(150, 100, 0.5), (50, 100, -0.5), (10, 0, None), (None, 10, None), (10, None, None)],
)
def test_change_ratio(current, previous, expected):
    assert change_ratio(current, previous) == expected
