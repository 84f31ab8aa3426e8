"""Writing the daily series: one row per entity, metric and day, whatever the number of
readings (a reading later the same day updates the day's row), and the raw answer of each
reading beside it. Called by the collector (analytics.services.collection) in the account's
tenant scope.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from analytics.models import AccountMetricDay, Metric, MetricReading, PostMetricDay
from networks.base import MetricSnapshot
from networks.metrics import ACCOUNT_METRICS, POST_METRICS


@transaction.atomic
def post_metrics_store(*, variant, snapshot: MetricSnapshot, taken_at: dt.datetime) -> int:
    """Store a post's reading: its raw answer, and its value of each metric the network gave
    for the UTC day of ``taken_at`` (upserted on the day's unique key). A metric not given
    writes nothing: an earlier value of the day stays, an absent one stays "not available".
    Returns the number of metrics written."""
    MetricReading.objects.create(
        agency_id=variant.agency_id,
        social_account_id=variant.social_account_id,
        post_variant=variant,
        taken_at=taken_at,
        raw=snapshot.raw,
    )
    values = {k: v for k, v in snapshot.values().items() if k in POST_METRICS}
    rows = [
        PostMetricDay(
            agency_id=variant.agency_id,
            post_variant=variant,
            social_account_id=variant.social_account_id,
            metric=metric,
            day=taken_at.date(),
            value=value,
            collected_at=taken_at,
        )
        for metric, value in values.items()
    ]
    PostMetricDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["agency", "post_variant", "metric", "day"],
        update_fields=["value", "collected_at"],
    )
    return len(rows)


@transaction.atomic
def account_metrics_store(
    *, account, snapshots: list[MetricSnapshot], taken_at: dt.datetime
) -> int:
    """Store an account's reading: the raw answer once, and each day's figures (upserted: a
    day read again, as Meta's are for three days, takes the corrected value). Follower growth
    the network does not give is derived from two days' follower counts when both are known.
    Returns the number of values written."""
    MetricReading.objects.create(
        agency_id=account.agency_id,
        social_account=account,
        taken_at=taken_at,
        raw=snapshots[-1].raw if snapshots else None,
    )
    by_day: dict[dt.date, dict[str, int]] = {}
    for snap in snapshots:
        day = snap.day or taken_at.date()
        values = {k: v for k, v in snap.values().items() if k in ACCOUNT_METRICS}
        by_day.setdefault(day, {}).update(values)
    _derive_follower_growth(account, by_day)
    rows = [
        AccountMetricDay(
            agency_id=account.agency_id,
            social_account=account,
            metric=metric,
            day=day,
            value=value,
            collected_at=taken_at,
        )
        for day, values in by_day.items()
        for metric, value in values.items()
    ]
    AccountMetricDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["agency", "social_account", "metric", "day"],
        update_fields=["value", "collected_at"],
    )
    return len(rows)


def _derive_follower_growth(account, by_day: dict[dt.date, dict[str, int]]) -> None:
    """Growth of a day = its followers minus the day before's (read here or stored)."""
    wanted = [day for day, v in by_day.items() if "followers" in v and "follower_growth" not in v]
    if not wanted:
        return
    stored = dict(
        AccountMetricDay.objects.filter(
            social_account=account,
            metric=Metric.FOLLOWERS,
            day__in=[day - dt.timedelta(days=1) for day in wanted],
        ).values_list("day", "value")
    )
    for day in wanted:
        before = by_day.get(day - dt.timedelta(days=1), {}).get("followers")
        if before is None:
            before = stored.get(day - dt.timedelta(days=1))
        if before is not None:
            by_day[day]["follower_growth"] = by_day[day]["followers"] - before
