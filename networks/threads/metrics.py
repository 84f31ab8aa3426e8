"""Threads' metric names, mapped to the vocabulary (networks/metrics.py) in this one place.

A post's reposts, quotes and shares are all shares (they add up); replies are comments. The
account's ``views`` are views of its profile, not of its posts: profile views. Threads gives
no reach, impressions, saves or clicks on a post.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from networks.base import MetricSnapshot
from networks.metrics import graph_daily_values, graph_lifetime_values, mapped, snapshot

# GET /{threads-media-id}/insights?metric=views,likes,replies,reposts,quotes,shares
MEDIA_INSIGHTS = {
    "views": "views",
    "likes": "likes",
    "replies": "comments",
    "reposts": "shares",
    "quotes": "shares",
    "shares": "shares",
}
# GET /{threads-user-id}/threads_insights?metric=views&since=&until= (values per day)
USER_DAILY = {"views": "profile_views"}
# GET /{threads-user-id}/threads_insights?metric=followers_count (total_value: today's count)
USER_TOTAL = {"followers_count": "followers"}


def media_snapshot(body: dict) -> MetricSnapshot:
    return snapshot(mapped(MEDIA_INSIGHTS, graph_lifetime_values(body)), raw=body)


def user_snapshots(followers: dict, daily: dict, *, today: date) -> list[MetricSnapshot]:
    days: dict[date, dict[str, Any]] = {
        day: mapped(USER_DAILY, named) for day, named in graph_daily_values(daily).items()
    }
    days.setdefault(today, {}).update(mapped(USER_TOTAL, graph_lifetime_values(followers)))
    raw = {"followers": followers, "daily": daily}
    return [snapshot(values, day=day, raw=raw) for day, values in sorted(days.items())]
