"""Reads of the metric series, for the analytics pages and reports to come and the API.

Values are by vocabulary name; a metric without a row is None ("not available", shown as such),
never 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, OuterRef, Subquery

from analytics.models import AccountMetricDay, PostMetricDay
from networks.metrics import ACCOUNT_METRICS, POST_METRICS


def post_metrics_latest(*, post_variant_ids: Iterable[int]) -> dict[int, dict[str, int | None]]:
    """Each variant's latest value of every post metric (None: not available), in one query."""
    ids = list(post_variant_ids)
    latest_day = (
        PostMetricDay.objects.filter(
            post_variant_id=OuterRef("post_variant_id"), metric=OuterRef("metric")
        )
        .order_by("-day")
        .values("day")[:1]
    )
    rows = (
        PostMetricDay.objects.filter(post_variant_id__in=ids)
        .filter(day=Subquery(latest_day))
        .values_list("post_variant_id", "metric", "value")
    )
    out: dict[int, dict[str, int | None]] = {i: dict.fromkeys(POST_METRICS) for i in ids}
    for variant_id, metric, value in rows:
        out[variant_id][metric] = value
    return out


def post_metric_series(*, post_variant_id: int, metric: str) -> list[tuple[dt.date, int]]:
    """One variant's value of ``metric`` per day read, oldest first (days not read: absent)."""
    return list(
        PostMetricDay.objects.filter(post_variant_id=post_variant_id, metric=metric)
        .order_by("day")
        .values_list("day", "value")
    )


def account_metric_series(
    *, social_account_id: int, metric: str, since: dt.date, until: dt.date
) -> list[tuple[dt.date, int]]:
    """One account's daily value of ``metric`` from ``since`` to ``until``, oldest first."""
    return list(
        AccountMetricDay.objects.filter(
            social_account_id=social_account_id, metric=metric, day__gte=since, day__lte=until
        )
        .order_by("day")
        .values_list("day", "value")
    )


def account_metrics_on(*, social_account_id: int, day: dt.date) -> dict[str, int | None]:
    """Every account metric of one day (None: not available)."""
    out: dict[str, int | None] = dict.fromkeys(ACCOUNT_METRICS)
    out.update(
        AccountMetricDay.objects.filter(social_account_id=social_account_id, day=day).values_list(
            "metric", "value"
        )
    )
    return out


def metrics_freshness(*, social_account_ids: Iterable[int]) -> dt.datetime | None:
    """When the newest figure of these accounts was collected (a page's "as of")."""
    ids = list(social_account_ids)
    post = PostMetricDay.objects.filter(social_account_id__in=ids).aggregate(m=Max("collected_at"))
    account = AccountMetricDay.objects.filter(social_account_id__in=ids).aggregate(
        m=Max("collected_at")
    )
    times = [t for t in (post["m"], account["m"]) if t is not None]
    return max(times) if times else None
