"""YouTube's counters, mapped to the vocabulary (networks/metrics.py) in this one place.

YouTube gives counts as strings, and leaves a count out when the owner hides it (likes
hidden, comments turned off, subscribers hidden): absent then, never 0. Impressions, reach
and watch time are YouTube Analytics API figures, not Data API ones: not given here.
"""

from __future__ import annotations

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

# videos.list?part=statistics: items[0].statistics
VIDEO_STATISTICS = {"viewCount": "views", "likeCount": "likes", "commentCount": "comments"}
# channels.list?part=statistics&mine=true: items[0].statistics
CHANNEL_STATISTICS = {"subscriberCount": "followers", "viewCount": "views"}


def video_snapshot(video: dict) -> MetricSnapshot:
    return snapshot(mapped(VIDEO_STATISTICS, video.get("statistics") or {}), raw=video)


def channel_snapshot(channel: dict) -> MetricSnapshot:
    statistics = dict(channel.get("statistics") or {})
    if statistics.get("hiddenSubscriberCount"):
        statistics.pop("subscriberCount", None)  # YouTube rounds or hides it: not a count
    return snapshot(mapped(CHANNEL_STATISTICS, statistics), raw=channel)
