"""The posts of a period: every published variant with its latest metrics, sorted in the
database by any column; the best and worst of them; and the best time to post, from the
brand's own history (docs/analytics.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import F, QuerySet

from analytics.periods import Period
from analytics.rates import BASES, INTERACTIONS, engagement_rate
from analytics.selectors.performance.scope import (
    POST_COLUMNS,
    Actor,
    published_variants,
    with_columns,
    with_metrics,
)
from campaigns.models import PostVariant

# The columns the post table sorts by ("-" first: largest first). Not-available figures go
# last whichever way.
POST_SORTS = ("published_at", *POST_COLUMNS, "engagements", "engagement_rate")
DEFAULT_POST_SORT = "-engagement_rate"


def post_sort_valid(sort: str) -> bool:
    return sort.removeprefix("-") in POST_SORTS


def post_rows(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None = None,
    campaign_id: int | None = None,
    period: Period | None,
    sort: str = DEFAULT_POST_SORT,
    tz: ZoneInfo | None = None,
) -> QuerySet[PostVariant]:
    """Every variant published in ``period`` (None: any time) on the brands the actor may see
    (of ``campaign_id`` if given), with its post and account, its latest value of each of
    POST_COLUMNS, ``engagements``, ``engagement_rate`` and ``rate_base``; sorted by ``sort``
    (POST_SORTS, "-" for descending; ValueError otherwise). One query per page read, plus the
    paginator's count."""
    if not post_sort_valid(sort):
        raise ValueError(f"posts cannot be sorted by {sort!r}")
    column = sort.removeprefix("-")
    order = (
        F(column).desc(nulls_last=True) if sort.startswith("-") else F(column).asc(nulls_last=True)
    )
    variants = published_variants(
        actor, brand_ids=brand_ids, campaign_id=campaign_id, period=period, tz=tz
    )
    return (
        with_metrics(variants)
        .select_related("post", "social_account", "post__brand")
        .order_by(order, "-published_at", "-pk")
    )


def top_posts(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    period: Period | None,
    n: int = 5,
    bottom: bool = False,
    campaign_id: int | None = None,
    tz: ZoneInfo | None = None,
) -> list[PostVariant]:
    """The ``n`` posts of the period with the highest engagement rate (``bottom``: the lowest),
    among those that have one. One query."""
    rows = post_rows(
        actor,
        brand_ids=brand_ids,
        campaign_id=campaign_id,
        period=period,
        sort="engagement_rate" if bottom else "-engagement_rate",
        tz=tz,
    )
    # (a keyword of its own: the type checker knows only the model's fields)
    return list(rows.filter(**{"engagement_rate__isnull": False})[:n])


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # ISO: 1 Monday … 7 Sunday
    hour: int  # 0–23 on the brand's clock
    posts: int  # posts published in that hour of the week
    rate: float | None  # mean engagement rate of those that have one


@dataclass
class Heatmap:
    cells: dict[tuple[int, int], HeatCell] = field(default_factory=dict)

    def cell(self, weekday: int, hour: int) -> HeatCell:
        return self.cells.get((weekday, hour), HeatCell(weekday, hour, 0, None))

    def rows(self) -> list[tuple[int, list[HeatCell]]]:
        """Weekday by weekday, its 24 hours."""
        return [(d, [self.cell(d, h) for h in range(24)]) for d in range(1, 8)]

    @property
    def posts(self) -> int:
        return sum(c.posts for c in self.cells.values())

    @property
    def highest_rate(self) -> float | None:
        rates = [c.rate for c in self.cells.values() if c.rate is not None]
        return max(rates) if rates else None

    def best(self, n: int = 3, *, min_posts: int = 1) -> list[HeatCell]:
        """The ``n`` hours of the week with the highest mean rate (ties: more posts first)."""
        rated = [c for c in self.cells.values() if c.rate is not None and c.posts >= min_posts]
        return sorted(rated, key=lambda c: (-(c.rate or 0), -c.posts, c.weekday, c.hour))[:n]


def best_times(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    tz: ZoneInfo,
    since: dt.datetime,
    until: dt.datetime,
) -> Heatmap:
    """Hour × weekday, on ``tz``'s clock, of the brands' posts published in [since, until):
    how many, and their mean engagement rate. One query."""
    variants = published_variants(actor, brand_ids=brand_ids).filter(
        published_at__gte=since, published_at__lt=until
    )
    # Each post's columns once (rates.engagement_rate on them here, the one definition), not
    # the rate as an expression per group, which would repeat every column's sub-select.
    names = (*INTERACTIONS, *BASES)
    rows = with_columns(variants).values_list("published_at", *names)
    posts: dict[tuple[int, int], int] = defaultdict(int)
    rates: dict[tuple[int, int], list[float]] = defaultdict(list)
    for published_at, *values in rows:
        local = published_at.astimezone(tz)
        cell = (local.isoweekday(), local.hour)
        posts[cell] += 1
        rate = engagement_rate(dict(zip(names, values, strict=True)))
        if rate is not None:
            rates[cell].append(rate.rate)
    heatmap = Heatmap()
    for (weekday, hour), count in posts.items():
        found = rates.get((weekday, hour))
        mean = sum(found) / len(found) if found else None
        heatmap.cells[(weekday, hour)] = HeatCell(weekday, hour, count, mean)
    return heatmap
