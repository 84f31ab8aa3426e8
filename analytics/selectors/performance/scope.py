"""What every performance read starts from: the brands the actor may see among those asked
for, their connected accounts, their published variants, and each variant's latest metrics as
annotations (one correlated sub-select per metric, served by the unique index of the series).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, QuerySet, Subquery

from agency.models import ApiKey, Membership
from analytics.models import AccountMetricDay, PostMetricDay
from analytics.periods import Period
from analytics.rates import engagement_rate_expressions
from campaigns.models import PostVariant, VariantState
from clients.models import Brand, SocialAccount
from networks.metrics import POST_METRICS

Actor = Membership | ApiKey

# The metrics of a post shown in its row (watch time is in seconds, not a count to add up with
# the others, and no network gives it yet: it stays on the post's own page).
POST_COLUMNS = (
    "impressions",
    "reach",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
)
assert set(POST_COLUMNS) <= set(POST_METRICS)


def brands_in_scope(actor: Actor, brand_ids: Iterable[int] | None) -> QuerySet[Brand]:
    """The brands among ``brand_ids`` (None: all) that ``actor`` may see."""
    brands = Brand.objects.visible_to(actor)
    if brand_ids is not None:
        brands = brands.filter(pk__in=list(brand_ids))
    return brands


def accounts_in_scope(actor: Actor, brand_ids: Iterable[int] | None) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(brand__in=brands_in_scope(actor, brand_ids).values("pk"))


def time_zone_of(actor: Actor, brand_ids: Iterable[int] | None) -> ZoneInfo:
    """The brands' time zone when they share one, else the agency's."""
    zones = set(brands_in_scope(actor, brand_ids).values_list("time_zone", flat=True)[:50])
    if len(zones) == 1:
        return ZoneInfo(zones.pop())
    return ZoneInfo(actor.agency.time_zone)


def latest_post_metric(metric: str) -> Subquery:
    return Subquery(
        PostMetricDay.objects.filter(post_variant_id=OuterRef("pk"), metric=metric)
        .order_by("-day")
        .values("value")[:1]
    )


def latest_followers(*, account_ref: Any, until: dt.date | None = None) -> Subquery:
    rows = AccountMetricDay.objects.filter(social_account_id=account_ref, metric="followers")
    if until is not None:
        rows = rows.filter(day__lte=until)
    return Subquery(rows.order_by("-day").values("value")[:1])


def published_variants(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None = None,
    campaign_id: int | None = None,
    period: Period | None = None,
    tz: ZoneInfo | None = None,
) -> QuerySet[PostVariant]:
    """The variants published on the brands' accounts (of one campaign), in ``period`` (the
    brand's days; None: any time)."""
    variants = PostVariant.objects.filter(
        state=VariantState.PUBLISHED,
        published_at__isnull=False,
        post__brand__in=brands_in_scope(actor, brand_ids).values("pk"),
    )
    if campaign_id is not None:
        variants = variants.filter(post__campaign_id=campaign_id)
    if period is not None:
        begin, stop = period.utc_bounds(tz or time_zone_of(actor, brand_ids))
        variants = variants.filter(published_at__gte=begin, published_at__lt=stop)
    return variants


def with_columns(variants: QuerySet[PostVariant]) -> QuerySet[PostVariant]:
    """Each variant with its latest value of every column and its account's followers (None:
    not available): one sub-select each, nothing derived. Aggregates over it put the derived
    figures inside the aggregate (``Avg(rate)``), where they read the columns by name instead
    of repeating their sub-selects."""
    return variants.annotate(
        **{name: latest_post_metric(name) for name in POST_COLUMNS},
        followers=latest_followers(account_ref=OuterRef("social_account_id")),
    )


def with_metrics(variants: QuerySet[PostVariant]) -> QuerySet[PostVariant]:
    """``with_columns`` plus each variant's interactions, engagement rate and the rate's base
    (analytics/rates.py), for rows that are shown or sorted one by one."""
    interactions, rate, base = engagement_rate_expressions()
    return with_columns(variants).annotate(
        engagements=interactions, engagement_rate=rate, rate_base=base
    )
