"""Instagram's metric names, mapped to the vocabulary (networks/metrics.py) in this one place."""

from __future__ import annotations

from datetime import date
from typing import Any

from networks.base import MetricSnapshot
from networks.metrics import graph_daily_values, graph_lifetime_values, mapped, snapshot

# GET /{media-id}/insights?metric=...  (``views`` replaced ``impressions`` in 2025)
MEDIA_INSIGHTS = {
    "views": "views",
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
}
# GET /{ig-user-id}/insights?metric=reach,follower_count&period=day&since=&until=
USER_DAILY_INSIGHTS = {
    "reach": "reach",
    "follower_count": "follower_growth",  # new followers that day, not the total
}
# GET /{ig-user-id}?fields=followers_count
USER_FIELDS = {"followers_count": "followers"}


def media_snapshot(body: dict) -> MetricSnapshot:
    return snapshot(mapped(MEDIA_INSIGHTS, graph_lifetime_values(body)), raw=body)


def user_snapshots(user: dict, insights: dict, *, today: date) -> list[MetricSnapshot]:
    days: dict[date, dict[str, Any]] = {
        day: mapped(USER_DAILY_INSIGHTS, named)
        for day, named in graph_daily_values(insights).items()
    }
    days.setdefault(today, {}).update(mapped(USER_FIELDS, user))
    raw = {"user": user, "insights": insights}
    return [snapshot(values, day=day, raw=raw) for day, values in sorted(days.items())]
