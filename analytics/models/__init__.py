"""Analytics' models, by topic: the daily series and raw readings (``series``), the
collection schedule of posts and accounts (``collection``)."""

from analytics.models.collection import AccountCollection, PostMetricsTracker
from analytics.models.series import AccountMetricDay, Metric, MetricReading, PostMetricDay

__all__ = [
    "AccountCollection",
    "AccountMetricDay",
    "Metric",
    "MetricReading",
    "PostMetricDay",
    "PostMetricsTracker",
]
