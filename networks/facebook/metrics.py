"""Facebook's metric names, mapped to the vocabulary (networks/metrics.py) in this one place.

Graph replaced the impressions metrics of posts and Pages by "views" (``post_media_view``,
``page_media_view``) in November 2025, so a Facebook post has views and reach, no impressions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from networks.base import MetricSnapshot
from networks.metrics import graph_daily_values, graph_lifetime_values, mapped, snapshot

# GET /{post-id}/insights?metric=...
POST_INSIGHTS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
}
# GET /{page-id}/insights?metric=...&period=day&since=&until=
PAGE_DAILY_INSIGHTS = {
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_daily_follows_unique": "follower_growth",
    "page_views_total": "profile_views",
}
# GET /{page-id}?fields=followers_count
PAGE_FIELDS = {"followers_count": "followers"}


def post_snapshot(insights: dict, counts: dict) -> MetricSnapshot:
    values = mapped(POST_INSIGHTS, graph_lifetime_values(insights))
    summary = {
        "likes": (counts.get("reactions") or {}).get("summary", {}).get("total_count"),
        "comments": (counts.get("comments") or {}).get("summary", {}).get("total_count"),
        # Graph leaves ``shares`` out of a post nobody shared: absent here means none, not
        # "not available" (the field exists for every Page post).
        "shares": (counts.get("shares") or {}).get("count", 0),
    }
    values.update({k: v for k, v in summary.items() if v is not None})
    return snapshot(values, raw={"insights": insights, "counts": counts})


def page_snapshots(page: dict, insights: dict, *, today: date) -> list[MetricSnapshot]:
    """One snapshot per day the insights cover, and today's follower count."""
    days: dict[date, dict[str, Any]] = {
        day: mapped(PAGE_DAILY_INSIGHTS, named)
        for day, named in graph_daily_values(insights).items()
    }
    days.setdefault(today, {}).update(mapped(PAGE_FIELDS, page))
    raw = {"page": page, "insights": insights}
    return [snapshot(values, day=day, raw=raw) for day, values in sorted(days.items())]
