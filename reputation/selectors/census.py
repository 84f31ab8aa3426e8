"""The community census: the places (sites, forums, subreddits, accounts) where a brand is
discussed, ranked, for the community manager to decide where to engage (docs/listening.md).

Read from the mentions themselves, grouped by their ``place`` (reputation.places): the hourly
rollups have no place dimension, so they cannot give it. Bounded: one query for a page of
places (the reach as a correlated subquery over distinct authors), one for their count, one
for the sources that make a place "followed", whatever the number of places or mentions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast

from reputation.models.mentions import Author
from reputation.models.sources import SourceKind
from reputation.places import place_of, place_parts, place_url
from reputation.selectors.listening import Actor, mentions_visible_to, sources_visible_to

CENSUS_ORDERS = ("volume", "reach", "negative", "positive", "recent")
PER_PAGE = 25
EXPORT_LIMIT = 5000
_SOURCE_NETWORKS: dict[str, str] = {
    SourceKind.RSS.value: "web",
    SourceKind.DISCOURSE.value: "discourse",
}


@dataclass(frozen=True)
class CensusRow:
    place: str
    network: str
    name: str
    url: str
    volume: int
    reach: int | None  # the followers of its distinct authors, where known
    positive: int
    negative: int
    last_mention: dt.datetime
    followed: bool

    @property
    def negative_share(self) -> float:
        return self.negative / self.volume if self.volume else 0.0

    @property
    def positive_share(self) -> float:
        return self.positive / self.volume if self.volume else 0.0


def _mentions(actor: Actor, brand_id, since, until):
    queryset = mentions_visible_to(actor).exclude(place="")
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    if since:
        queryset = queryset.filter(published_at__gte=since)
    if until:
        queryset = queryset.filter(published_at__lt=until)
    return queryset


def census_places(
    actor: Actor,
    *,
    brand_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    order: str = "volume",
):
    """The places as a grouped queryset of dicts, ranked by ``order`` (largest first; for
    "recent", the latest mention first). Slice it for a page."""
    mentions = _mentions(actor, brand_id, since, until)
    # Each author counted once per place, however many times they wrote there.
    authors = Author.objects.filter(
        pk__in=mentions.filter(place=OuterRef(OuterRef("place"))).values("author_id")
    )
    reach = Subquery(
        authors.order_by().values("agency_id").annotate(total=Sum("followers")).values("total")[:1]
    )
    grouped = (
        mentions.order_by()
        .values("place")
        .annotate(
            volume=Count("id"),
            positive=Count("id", filter=Q(sentiment_label="positive")),
            negative=Count("id", filter=Q(sentiment_label="negative")),
            last_mention=Max("published_at"),
            reach=reach,
        )
        .annotate(
            negative_share=ExpressionWrapper(
                Cast("negative", FloatField()) / F("volume"), output_field=FloatField()
            ),
            positive_share=ExpressionWrapper(
                Cast("positive", FloatField()) / F("volume"), output_field=FloatField()
            ),
        )
    )
    ordering = {
        "volume": [F("volume").desc()],
        "reach": [F("reach").desc(nulls_last=True), F("volume").desc()],
        "negative": [F("negative_share").desc(), F("volume").desc()],
        "positive": [F("positive_share").desc(), F("volume").desc()],
        "recent": [F("last_mention").desc()],
    }[order if order in CENSUS_ORDERS else "volume"]
    return grouped.order_by(*ordering, "place")


def followed_places(actor: Actor, *, brand_id: int | None = None) -> set[str]:
    """The places that a source of the actor's already reads directly (a site's own feed, a
    forum): one query over the sources."""
    rows = sources_visible_to(actor, brand_id=brand_id).values_list("kind", "url")
    return {
        place_of(_SOURCE_NETWORKS[kind], url)
        for kind, url in rows
        if kind in _SOURCE_NETWORKS and url
    }


def census_rows(rows, followed: set[str]) -> list[CensusRow]:
    result = []
    for row in rows:
        network, name = place_parts(row["place"])
        result.append(
            CensusRow(
                place=row["place"],
                network=network,
                name=name,
                url=place_url(row["place"]),
                volume=row["volume"],
                reach=row["reach"],
                positive=row["positive"],
                negative=row["negative"],
                last_mention=row["last_mention"],
                followed=row["place"] in followed,
            )
        )
    return result


def census_page(
    actor: Actor,
    *,
    brand_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    order: str = "volume",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[list[CensusRow], int]:
    """One page of the census and the number of places: three queries."""
    places = census_places(actor, brand_id=brand_id, since=since, until=until, order=order)
    total = places.count()
    start = max(page - 1, 0) * per_page
    rows = list(places[start : start + per_page])
    return census_rows(rows, followed_places(actor, brand_id=brand_id) if rows else set()), total
