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


def post_metrics_latest(
    *, post_variant_ids: Iterable[int], until: dt.date | None = None
) -> dict[int, dict[str, int | None]]:
    """Each variant's latest value of every post metric (None: not available), in one query;
    with ``until``, the latest value read on or before that day (a period's end)."""
    ids = list(post_variant_ids)
    days = PostMetricDay.objects.filter(
        post_variant_id=OuterRef("post_variant_id"), metric=OuterRef("metric")
    )
    if until is not None:
        days = days.filter(day__lte=until)
    latest_day = days.order_by("-day").values("day")[:1]
    rows = (
        PostMetricDay.objects.filter(post_variant_id__in=ids)
        .filter(day=Subquery(latest_day))
        .values_list("post_variant_id", "metric", "value")
    )
    out: dict[int, dict[str, int | None]] = {i: dict.fromkeys(POST_METRICS) for i in ids}
    for variant_id, metric, value in rows:
        out[variant_id][metric] = value
    return out


def post_metrics_days(
    *, post_variant_id: int, since: dt.date, until: dt.date
) -> dict[str, list[tuple[dt.date, int]]]:
    """Every post metric of one variant per day read from ``since`` to ``until``, oldest
    first (a metric never read: an empty list), in one query."""
    out: dict[str, list[tuple[dt.date, int]]] = {name: [] for name in POST_METRICS}
    for metric, day, value in (
        PostMetricDay.objects.filter(
            post_variant_id=post_variant_id, day__gte=since, day__lte=until
        )
        .order_by("day")
        .values_list("metric", "day", "value")
    ):
        out.setdefault(metric, []).append((day, value))
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


# An account's figures over a period: the stock (followers) is its count on the period's last
# day read; every other figure is a daily flow, summed over the period's days.
ACCOUNT_STOCKS = ("followers",)


def account_metrics_period(
    *, social_account_ids: Iterable[int], since: dt.date, until: dt.date
) -> dict[int, dict[str, int | None]]:
    """Each account's figures over [since, until]: followers on the last day read, the sum of
    the daily values of the others; None when no day gave one (not available). One query."""
    ids = list(social_account_ids)
    out: dict[int, dict[str, int | None]] = {i: dict.fromkeys(ACCOUNT_METRICS) for i in ids}
    for account_id, metric, value in (
        AccountMetricDay.objects.filter(social_account_id__in=ids, day__gte=since, day__lte=until)
        .order_by("day")
        .values_list("social_account_id", "metric", "value")
    ):
        figures = out[account_id]
        if metric in ACCOUNT_STOCKS:
            figures[metric] = value  # ordered by day: the last one stays
        else:
            figures[metric] = (figures.get(metric) or 0) + value
    return out


def account_metrics_days(
    *, social_account_id: int, since: dt.date, until: dt.date
) -> dict[str, list[tuple[dt.date, int]]]:
    """Every account metric of one account per day from ``since`` to ``until``, oldest first
    (a metric never given: an empty list), in one query."""
    out: dict[str, list[tuple[dt.date, int]]] = {name: [] for name in ACCOUNT_METRICS}
    for metric, day, value in (
        AccountMetricDay.objects.filter(
            social_account_id=social_account_id, day__gte=since, day__lte=until
        )
        .order_by("day")
        .values_list("metric", "day", "value")
    ):
        out.setdefault(metric, []).append((day, value))
    return out


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


def metrics_freshness_by_account(
    *, social_account_ids: Iterable[int]
) -> dict[int, dt.datetime | None]:
    """``metrics_freshness`` of each account, in two queries whatever their number."""
    ids = list(social_account_ids)
    out: dict[int, dt.datetime | None] = dict.fromkeys(ids)
    for model in (PostMetricDay, AccountMetricDay):
        for account_id, newest in (
            model.objects.filter(social_account_id__in=ids)
            .values("social_account_id")
            .annotate(m=Max("collected_at"))
            .values_list("social_account_id", "m")
        ):
            current = out.get(account_id)
            out[account_id] = newest if current is None or newest > current else current
    return out
