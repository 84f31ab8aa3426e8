"""TikTok's metric names, mapped to the vocabulary (networks/metrics.py) in this one place."""

from __future__ import annotations

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

# POST /v2/video/query/?fields=...: data.videos[] (video.list scope)
VIDEO_FIELDS = {
    "view_count": "views",
    "like_count": "likes",
    "comment_count": "comments",
    "share_count": "shares",
}
# GET /v2/user/info/?fields=follower_count,...: data.user (user.info.stats scope)
USER_FIELDS = {"follower_count": "followers"}


def video_snapshot(video: dict) -> MetricSnapshot:
    return snapshot(mapped(VIDEO_FIELDS, video), raw=video)


def user_snapshot(user: dict) -> MetricSnapshot:
    return snapshot(mapped(USER_FIELDS, user), raw=user)
