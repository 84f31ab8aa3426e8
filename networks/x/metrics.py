"""X's metric names, mapped to the vocabulary (networks/metrics.py) in this one place."""

from __future__ import annotations

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

# GET /2/tweets/:id?tweet.fields=public_metrics: data.public_metrics
TWEET_PUBLIC_METRICS = {
    "impression_count": "impressions",
    "like_count": "likes",
    "reply_count": "comments",
    "retweet_count": "shares",
    "quote_count": "shares",  # a quote is a share with words: both add up
    "bookmark_count": "saves",
}
# GET /2/users/me?user.fields=public_metrics: data.public_metrics
USER_PUBLIC_METRICS = {"followers_count": "followers"}


def tweet_snapshot(tweet: dict) -> MetricSnapshot:
    return snapshot(mapped(TWEET_PUBLIC_METRICS, tweet.get("public_metrics") or {}), raw=tweet)


def user_snapshot(user: dict) -> MetricSnapshot:
    return snapshot(mapped(USER_PUBLIC_METRICS, user.get("public_metrics") or {}), raw=user)
