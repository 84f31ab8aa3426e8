"""A period's figures for a set of brands: the KPI cards with their change, the daily series
of the trend charts and the per-network breakdown (docs/analytics.md, "The pages").

Post figures (impressions, reach, interactions, clicks, video views, the engagement rate) are
those of the posts **published in the period**, each at its latest reading: a post's counters
are lifetime counters. Account figures (followers, follower growth, and the daily reach and
impressions of the charts) are the accounts' own daily figures on the period's days. A figure
no account or post gave is None ("not available"), never 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from analytics.models import AccountMetricDay
from analytics.periods import Period, change_ratio
from analytics.rates import INTERACTIONS, engagement_rate_expressions
from analytics.selectors.performance.scope import (
    Actor,
    accounts_in_scope,
    latest_followers,
    published_variants,
    time_zone_of,
    with_columns,
)
from networks.metrics import ACCOUNT_METRICS
from networks.registry import NETWORK_CHOICES

KPI_LABELS = {
    "impressions": _("Impressions"),
    "reach": _("Reach"),
    "engagements": _("Interactions"),
    "engagement_rate": _("Engagement rate"),
    "followers": _("Followers"),
    "follower_growth": _("Follower growth"),
    "posts_published": _("Posts published"),
    "clicks": _("Clicks"),
    "video_views": _("Video views"),
}
RATIO_KPIS = {"engagement_rate"}
POST_SUMS = ("impressions", "reach", "engagements", "clicks", "video_views")
# What a daily series can show: the accounts' daily figures, and per publication day the
# interactions of the posts published that day and their number.
SERIES_METRICS = (*ACCOUNT_METRICS, "engagements", "posts_published")


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    value: float | None  # None: not available
    previous: float | None  # the comparison period's; None: not available or no comparison
    change: float | None  # change_ratio(value, previous)
    unit: str  # "count" or "ratio" (a fraction: 0.05 is 5 %)


@dataclass(frozen=True)
class NetworkRow:
    network: str
    label: str
    accounts: int
    posts_published: int
    impressions: int | None
    reach: int | None
    engagements: int | None
    engagement_rate: float | None
    followers: int | None
    follower_growth: int | None


def period_figures(
    actor: Actor, *, brand_ids: Iterable[int] | None, period: Period, tz: ZoneInfo
) -> dict[str, float | None]:
    """Every KPI of one period, in three queries."""
    interactions, rate, _base = engagement_rate_expressions()
    posts = with_columns(
        published_variants(actor, brand_ids=brand_ids, period=period, tz=tz)
    ).aggregate(
        # Aliases of their own: an aggregate named like the annotation it sums replaces it.
        **{f"{key}_total": Sum(key) for key in POST_SUMS if key != "engagements"},
        engagements_total=Sum(interactions),
        rate_mean=Avg(rate),
        posts=Count("pk"),
    )
    accounts = accounts_in_scope(actor, brand_ids)
    followers = accounts.annotate(
        count=latest_followers(account_ref=OuterRef("pk"), until=period.end)
    ).aggregate(total=Sum("count"))["total"]
    growth = AccountMetricDay.objects.filter(
        social_account__in=accounts.values("pk"),
        metric="follower_growth",
        day__gte=period.start,
        day__lte=period.end,
    ).aggregate(total=Sum("value"))["total"]
    return {
        **{key: posts[f"{key}_total"] for key in POST_SUMS},
        "engagement_rate": posts["rate_mean"],
        "posts_published": posts["posts"],
        "followers": followers,
        "follower_growth": growth,
    }


def brand_kpis(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    period: Period,
    comparison: Period | None,
    tz: ZoneInfo | None = None,
) -> list[Kpi]:
    """The KPI cards of ``period`` against ``comparison`` (None: no comparison), for the
    brands among ``brand_ids`` (None: every brand) the actor may see. The engagement rate is
    the mean of the rates of the posts published in the period (analytics/rates.py)."""
    ids = list(brand_ids) if brand_ids is not None else None
    zone = tz or time_zone_of(actor, ids)
    current = period_figures(actor, brand_ids=ids, period=period, tz=zone)
    before = (
        period_figures(actor, brand_ids=ids, period=comparison, tz=zone)
        if comparison is not None
        else dict.fromkeys(KPI_LABELS)
    )
    return [
        Kpi(
            key=key,
            label=str(label),
            value=current[key],
            previous=before[key],
            change=change_ratio(current[key], before[key]),
            unit="ratio" if key in RATIO_KPIS else "count",
        )
        for key, label in KPI_LABELS.items()
    ]


def daily_series(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    period: Period,
    metrics: Iterable[str],
    tz: ZoneInfo | None = None,
) -> dict[str, list[tuple[dt.date, int | None]]]:
    """For each of ``metrics`` (SERIES_METRICS), its value on every day of the period, oldest
    first: the sum over the brands' accounts (None on a day no account gave it), or for
    ``engagements`` and ``posts_published`` the posts published that day (brand's clock).
    At most two queries."""
    wanted = list(dict.fromkeys(metrics))
    unknown = [m for m in wanted if m not in SERIES_METRICS]
    if unknown:
        raise ValueError(f"no daily series of {', '.join(unknown)}")
    ids = list(brand_ids) if brand_ids is not None else None
    found: dict[str, dict[dt.date, Any]] = {m: {} for m in wanted}
    account_metrics = [m for m in wanted if m in ACCOUNT_METRICS]
    if account_metrics:
        rows = (
            AccountMetricDay.objects.filter(
                social_account__in=accounts_in_scope(actor, ids).values("pk"),
                metric__in=account_metrics,
                day__gte=period.start,
                day__lte=period.end,
            )
            .values("metric", "day")
            .annotate(total=Sum("value"))
            .values_list("metric", "day", "total")
        )
        for metric, day, total in rows:
            found[metric][day] = total
    if "engagements" in found or "posts_published" in found:
        zone = tz or time_zone_of(actor, ids)
        # Grouped, the columns are written out where they are used: each interaction count
        # summed once, added up here (None when none was given).
        rows = (
            with_columns(published_variants(actor, brand_ids=ids, period=period, tz=zone))
            .annotate(published_on=TruncDate("published_at", tzinfo=zone))
            .values("published_on")
            .annotate(posts=Count("pk"), **{f"{n}_sum": Sum(n) for n in INTERACTIONS})
            .values_list("published_on", "posts", *(f"{n}_sum" for n in INTERACTIONS))
        )
        for day, posts, *sums in rows:
            given = [v for v in sums if v is not None]
            if "engagements" in found:
                found["engagements"][day] = sum(given) if given else None
            if "posts_published" in found:
                found["posts_published"][day] = posts
    days = period.dates()
    return {
        metric: [
            (day, found[metric].get(day, 0 if metric == "posts_published" else None))
            for day in days
        ]
        for metric in wanted
    }


def network_breakdown(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    period: Period,
    tz: ZoneInfo | None = None,
) -> list[NetworkRow]:
    """One row per network the brands have an account on, in three queries."""
    ids = list(brand_ids) if brand_ids is not None else None
    zone = tz or time_zone_of(actor, ids)
    # One pass over the period's posts, each network's figures filtered out of it: derived
    # figures inside an aggregate read the columns by name (scope.with_columns).
    interactions, rate, _base = engagement_rate_expressions()
    aggregates: dict[str, Any] = {}
    for network, _label in NETWORK_CHOICES:
        mine = Q(network_of=network)
        aggregates.update(
            {
                f"{network}__posts_published": Count("pk", filter=mine),
                f"{network}__impressions": Sum("impressions", filter=mine),
                f"{network}__reach": Sum("reach", filter=mine),
                f"{network}__engagements": Sum(interactions, filter=mine),
                f"{network}__rate": Avg(rate, filter=mine),
            }
        )
    totals = (
        with_columns(published_variants(actor, brand_ids=ids, period=period, tz=zone))
        .annotate(network_of=F("social_account__network"))
        .aggregate(**aggregates)
    )
    posts: dict[str, dict[str, Any]] = {}
    for key, value in totals.items():
        network, figure = key.split("__")
        posts.setdefault(network, {})[figure] = value
    accounts = accounts_in_scope(actor, ids)
    followers = {
        row["network"]: row
        for row in accounts.annotate(
            count=latest_followers(account_ref=OuterRef("pk"), until=period.end)
        )
        .values("network")
        .annotate(accounts=Count("pk"), followers=Sum("count"))
    }
    growth = dict(
        AccountMetricDay.objects.filter(
            social_account__in=accounts.values("pk"),
            metric="follower_growth",
            day__gte=period.start,
            day__lte=period.end,
        )
        .values("social_account__network")
        .annotate(total=Sum("value"))
        .values_list("social_account__network", "total")
    )
    labels = dict(NETWORK_CHOICES)
    out = []
    for network in sorted(followers, key=lambda n: str(labels.get(n, n))):
        post = posts.get(network, {})
        out.append(
            NetworkRow(
                network=network,
                label=str(labels.get(network, network)),
                accounts=followers[network]["accounts"],
                posts_published=post.get("posts_published") or 0,
                impressions=post.get("impressions"),
                reach=post.get("reach"),
                engagements=post.get("engagements"),
                engagement_rate=post.get("rate"),
                followers=followers[network]["followers"],
                follower_growth=growth.get(network),
            )
        )
    return out
