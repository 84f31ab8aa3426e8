"""The Business Profile Performance API's daily metrics, mapped to the vocabulary here.

``GET https://businessprofileperformance.googleapis.com/v1/locations/{id}:
fetchMultiDailyMetricsTimeSeries?dailyMetrics=…&dailyRange.startDate.year=…`` answers
``multiDailyMetricTimeSeries[].dailyMetricTimeSeries[]`` of ``{dailyMetric, timeSeries:
{datedValues: [{date: {year, month, day}, value}]}}``; ``value`` is an int64 as a string and is
left out when it is zero (proto3 JSON), so a dated value without one is 0, and a day Google
does not list is absent. The four "business impressions" (Maps and Search, desktop and mobile;
one person counted once a day) add up to impressions; calls, website clicks and direction
requests to clicks (each is in ``raw``). Local posts have no metrics in the current API (the
v4 ``reportInsights`` is retired): nothing is stored for them.
"""

from __future__ import annotations

from datetime import date

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

DAILY_METRICS = {
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS": "impressions",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": "impressions",
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS": "impressions",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH": "impressions",
    "CALL_CLICKS": "clicks",
    "WEBSITE_CLICKS": "clicks",
    "BUSINESS_DIRECTION_REQUESTS": "clicks",
}


def range_params(since: date, until: date) -> list[tuple[str, str | int]]:
    params: list[tuple[str, str | int]] = [("dailyMetrics", m) for m in DAILY_METRICS]
    for edge, day in (("startDate", since), ("endDate", until)):
        params += [
            (f"dailyRange.{edge}.year", day.year),
            (f"dailyRange.{edge}.month", day.month),
            (f"dailyRange.{edge}.day", day.day),
        ]
    return params


def daily_snapshots(body: dict) -> list[MetricSnapshot]:
    """One snapshot per day Google gave figures for, oldest first."""
    days: dict[date, dict[str, int]] = {}
    for series in body.get("multiDailyMetricTimeSeries") or []:
        for metric in series.get("dailyMetricTimeSeries") or []:
            name = metric.get("dailyMetric")
            if name not in DAILY_METRICS:
                continue
            for point in (metric.get("timeSeries") or {}).get("datedValues") or []:
                day = _day(point.get("date"))
                if day is not None:
                    days.setdefault(day, {})[name] = point.get("value", "0")
    return [
        snapshot(mapped(DAILY_METRICS, values), raw=values, day=day)
        for day, values in sorted(days.items())
    ]


def _day(value) -> date | None:
    try:
        return date(int(value["year"]), int(value["month"]), int(value["day"]))
    except (TypeError, KeyError, ValueError):
        return None
