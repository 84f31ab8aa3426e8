"""Bluesky's counts, mapped to the vocabulary (networks/metrics.py) in this one place.
The AppView counts no views, reach or clicks: those stay "not available"."""

from __future__ import annotations

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

# app.bsky.feed.getPosts: posts[] (postView)
POST_VIEW_COUNTS = {
    "likeCount": "likes",
    "repostCount": "shares",
    "quoteCount": "shares",
    "replyCount": "comments",
}
# app.bsky.actor.getProfile (profileViewDetailed)
PROFILE_COUNTS = {"followersCount": "followers"}


def post_snapshot(post: dict) -> MetricSnapshot:
    return snapshot(mapped(POST_VIEW_COUNTS, post), raw=post)


def profile_snapshot(profile: dict) -> MetricSnapshot:
    return snapshot(mapped(PROFILE_COUNTS, profile), raw=profile)
