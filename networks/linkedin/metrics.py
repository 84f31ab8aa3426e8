"""LinkedIn's metric names, mapped to the vocabulary (networks/metrics.py) in this one place."""

from __future__ import annotations

from networks.base import MetricSnapshot
from networks.metrics import mapped, snapshot

# GET /rest/organizationalEntityShareStatistics: elements[0].totalShareStatistics
SHARE_STATISTICS = {
    "impressionCount": "impressions",
    "uniqueImpressionsCount": "reach",
    "likeCount": "likes",
    "commentCount": "comments",
    "shareCount": "shares",
    "clickCount": "clicks",
}
# GET /rest/networkSizes/{organization urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER
NETWORK_SIZE = {"firstDegreeSize": "followers"}


def share_snapshot(body: dict) -> MetricSnapshot:
    stats = ((body.get("elements") or [{}])[0]).get("totalShareStatistics", {})
    return snapshot(mapped(SHARE_STATISTICS, stats), raw=body)


def network_size_snapshot(body: dict) -> MetricSnapshot:
    return snapshot(mapped(NETWORK_SIZE, body), raw=body)
