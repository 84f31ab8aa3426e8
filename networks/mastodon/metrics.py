"""Mastodon's counts, mapped to the vocabulary (networks/metrics.py) in this one place.
Mastodon counts no views, reach or clicks: those stay "not available"."""

from __future__ import annotations

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

# GET /api/v1/statuses/:id (Status entity)
STATUS_COUNTS = {
    "favourites_count": "likes",
    "reblogs_count": "shares",
    "replies_count": "comments",
}
# GET /api/v1/accounts/verify_credentials (Account entity)
ACCOUNT_COUNTS = {"followers_count": "followers"}


def status_snapshot(status: dict) -> MetricSnapshot:
    return snapshot(mapped(STATUS_COUNTS, status), raw=status)


def account_snapshot(account: dict) -> MetricSnapshot:
    return snapshot(mapped(ACCOUNT_COUNTS, account), raw=account)
