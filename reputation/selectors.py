"""Reads of the listening app, narrowed to what the actor may see.

Client roles see only the brands their BrandAccess names: every list here filters on the brands
visible to the actor, and the fetch-by-id helpers answer 404 for "missing" and "not yours".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404

from agency.models import ApiKey, Membership
from clients.models import Brand
from clients.selectors import brands_visible_to
from reputation.models import (
    Author,
    ListeningQuery,
    Mention,
    MentionMatch,
    MentionRollup,
    Source,
    SourceImport,
)

Actor = Membership | ApiKey

# Prior of the e-reputation score: a day is read as if it also had this many neutral mentions,
# so that one angry tweet on a quiet day does not sink the score to zero (docs/listening.md).
REPUTATION_PRIOR_MENTIONS = 5


def _is_client(actor: Actor) -> bool:
    return isinstance(actor, Membership) and actor.is_client


def visible_brand_ids(actor: Actor) -> QuerySet:
    return brands_visible_to(actor, include_archived=True).values("pk")


def _narrow(queryset: QuerySet, actor: Actor, field: str = "brand_id") -> QuerySet:
    queryset = queryset.filter(agency_id=actor.agency_id)
    if _is_client(actor):
        queryset = queryset.filter(**{f"{field}__in": visible_brand_ids(actor)})
    return queryset


# --- Queries and sources --------------------------------------------------------------------


def listening_queries_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[ListeningQuery]:
    queryset = _narrow(ListeningQuery.objects.all(), actor).select_related("brand")
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset.order_by("brand__name", "is_competitor", "name", "id")


def listening_query_get_for(*, actor: Actor, listening_query_id) -> ListeningQuery:
    found = listening_queries_visible_to(actor).filter(pk=listening_query_id).first()
    if found is None:
        raise Http404
    return found


def sources_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[Source]:
    """Agency-wide feeds and the actor's brands' sources (clients: their brands' only)."""
    queryset = Source.objects.filter(agency_id=actor.agency_id)
    if _is_client(actor):
        queryset = queryset.filter(brand_id__in=visible_brand_ids(actor))
    if brand_id:
        queryset = queryset.filter(Q(brand_id=brand_id) | Q(brand=None))
    return queryset.select_related("brand").order_by("name", "id")


def source_get_for(*, actor: Actor, source_id) -> Source:
    found = sources_visible_to(actor).filter(pk=source_id).first()
    if found is None:
        raise Http404
    return found


def source_import_get_for(*, actor: Actor, source_import_id) -> SourceImport:
    """One OPML import of the actor's agency (404 for another agency's or a missing one)."""
    found = SourceImport.objects.filter(pk=source_import_id).select_related("brand").first()
    if found is None or found.agency_id != actor.agency_id:
        raise Http404
    return found


# --- Mentions -------------------------------------------------------------------------------


@dataclass
class MentionFilters:
    brand_id: int | None = None
    query_id: int | None = None
    source_id: int | None = None
    author_id: int | None = None
    sentiment: str = ""
    language: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    search: str = ""
    tag: str = ""
    reviewed: bool | None = None
    assigned_to_id: int | None = None
    voice: str | None = None  # "" = the brand itself; a competitor's name; None = all


def mentions_visible_to(actor: Actor) -> QuerySet[Mention]:
    return _narrow(Mention.objects.all(), actor)


def mentions_list(actor: Actor, filters: MentionFilters | None = None) -> QuerySet[Mention]:
    """The mention stream: newest first, with what a row shows fetched in the same query."""
    f = filters or MentionFilters()
    queryset = mentions_visible_to(actor)
    if f.brand_id:
        queryset = queryset.filter(brand_id=f.brand_id)
    if f.query_id:
        queryset = queryset.filter(
            pk__in=MentionMatch.objects.filter(
                agency_id=actor.agency_id, query_id=f.query_id
            ).values("mention_id")
        )
    if f.source_id:
        queryset = queryset.filter(source_id=f.source_id)
    if f.author_id:
        queryset = queryset.filter(author_id=f.author_id)
    if f.sentiment:
        queryset = queryset.filter(sentiment_label=f.sentiment)
    if f.language:
        queryset = queryset.filter(language=f.language)
    if f.since:
        queryset = queryset.filter(published_at__gte=f.since)
    if f.until:
        queryset = queryset.filter(published_at__lt=f.until)
    if f.search:
        for word in f.search.split()[:5]:
            queryset = queryset.filter(Q(text__icontains=word) | Q(title__icontains=word))
    if f.tag:
        queryset = queryset.filter(tags__icontains=f'"{f.tag}"')
    if f.reviewed is not None:
        queryset = queryset.filter(reviewed=f.reviewed)
    if f.assigned_to_id:
        queryset = queryset.filter(assigned_to_id=f.assigned_to_id)
    if f.voice is not None:
        queryset = queryset.filter(voice=f.voice)
    return queryset.select_related("brand", "source", "author", "assigned_to").order_by(
        "-published_at", "-id"
    )


def mention_get_for(*, actor: Actor, mention_id) -> Mention:
    found = mentions_list(actor).filter(pk=mention_id).first()
    if found is None:
        raise Http404
    return found


# --- Authors (influencers) and sources ranked -----------------------------------------------


def authors_visible_to(actor: Actor) -> QuerySet[Author]:
    """Authors of the agency; for clients, those who wrote about their brands."""
    queryset = Author.objects.filter(agency_id=actor.agency_id)
    if _is_client(actor):
        queryset = queryset.filter(
            pk__in=Mention.objects.filter(
                agency_id=actor.agency_id, brand_id__in=visible_brand_ids(actor)
            ).values("author_id")
        )
    return queryset.order_by("-followers", "handle", "id")


def author_get_for(*, actor: Actor, author_id) -> Author:
    found = authors_visible_to(actor).filter(pk=author_id).first()
    if found is None:
        raise Http404
    return found


def influencers(
    actor: Actor, *, brand_id=None, since=None, until=None, order: str = "reach", limit=100
) -> QuerySet[Author]:
    """Authors ranked by reach (followers), mention count, engagement or sentiment toward the
    brand(s), over the mentions visible to the actor in the period."""
    mentions = Q(mentions__agency_id=actor.agency_id)
    if _is_client(actor):
        mentions &= Q(mentions__brand_id__in=visible_brand_ids(actor))
    if brand_id:
        mentions &= Q(mentions__brand_id=brand_id)
    if since:
        mentions &= Q(mentions__published_at__gte=since)
    if until:
        mentions &= Q(mentions__published_at__lt=until)
    queryset = (
        Author.objects.filter(agency_id=actor.agency_id)
        .annotate(
            mention_count=Count("mentions", filter=mentions),
            engagement_total=Sum("mentions__engagement", filter=mentions),
            reach_total=Sum("mentions__reach", filter=mentions),
            sentiment_avg=Avg("mentions__sentiment_score", filter=mentions),
        )
        .filter(mention_count__gt=0)
    )
    ordering = {
        "reach": [F("followers").desc(nulls_last=True), "-mention_count"],
        "mentions": ["-mention_count", F("followers").desc(nulls_last=True)],
        "engagement": [F("engagement_total").desc(nulls_last=True), "-mention_count"],
        "sentiment": ["sentiment_avg", "-mention_count"],  # most negative first: act on them
    }.get(order, ["-mention_count"])
    return queryset.order_by(*ordering, "id")[:limit]


def sources_ranked(actor: Actor, *, brand_id=None, since=None, until=None, limit=50):
    """Sources ranked by mention volume, with their sentiment split."""
    mentions = mentions_list(actor, MentionFilters(brand_id=brand_id, since=since, until=until))
    return list(
        mentions.exclude(source=None)
        .values("source_id", "source__name", "source__url")
        .annotate(
            volume=Count("id"),
            positive=Count("id", filter=Q(sentiment_label="positive")),
            negative=Count("id", filter=Q(sentiment_label="negative")),
            sentiment_avg=Avg("sentiment_score"),
        )
        .order_by("-volume", "source_id")[:limit]
    )


def top_authors(actor: Actor, *, brand_id=None, since=None, until=None, limit=10):
    mentions = mentions_list(actor, MentionFilters(brand_id=brand_id, since=since, until=until))
    return list(
        mentions.exclude(author=None)
        .values("author_id", "author__name", "author__handle")
        .annotate(volume=Count("id"))
        .order_by("-volume", "author_id")[:limit]
    )


# --- Statistics from the hourly rollups -----------------------------------------------------


def _rollups(actor: Actor, *, brand_id=None, since=None, until=None) -> QuerySet[MentionRollup]:
    queryset = _narrow(MentionRollup.objects.all(), actor)
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    if since:
        queryset = queryset.filter(hour__gte=since)
    if until:
        queryset = queryset.filter(hour__lt=until)
    return queryset


def volume_by_day(actor: Actor, *, tz, brand_id=None, since=None, until=None) -> list[dict]:
    """Per day (in ``tz``): volume, positive, neutral, negative, reach — the brand's own voice."""
    return list(
        _rollups(actor, brand_id=brand_id, since=since, until=until)
        .filter(voice="")
        .annotate(day=TruncDate("hour", tzinfo=tz))
        .values("day")
        .annotate(
            volume=Sum("volume"),
            positive=Sum("positive"),
            neutral=Sum("neutral"),
            negative=Sum("negative"),
            reach=Sum("reach"),
            sentiment_sum=Sum("sentiment_sum"),
        )
        .order_by("day")
    )


def reputation_score(*, volume: int, sentiment_sum: float) -> int:
    """E-reputation, 0–100: 50 + 50 × Σscore / (n + prior). See docs/listening.md."""
    if volume <= 0:
        return 50
    return round(50 + 50 * sentiment_sum / (volume + REPUTATION_PRIOR_MENTIONS))


def reputation_by_day(actor: Actor, *, tz, brand_id=None, since=None, until=None) -> list[dict]:
    return [
        {
            "day": row["day"],
            "volume": row["volume"],
            "score": reputation_score(volume=row["volume"], sentiment_sum=row["sentiment_sum"]),
        }
        for row in volume_by_day(actor, tz=tz, brand_id=brand_id, since=since, until=until)
    ]


def share_of_voice(actor: Actor, *, brand_id=None, since=None, until=None) -> list[dict]:
    """Volume per voice: the brand itself ("") and each competitor its queries follow."""
    rows = list(
        _rollups(actor, brand_id=brand_id, since=since, until=until)
        .values("voice")
        .annotate(volume=Sum("volume"), sentiment_sum=Sum("sentiment_sum"))
        .order_by("-volume", "voice")
    )
    total = sum(r["volume"] for r in rows) or 1
    for row in rows:
        row["share"] = row["volume"] / total
    return rows


def statistics(actor: Actor, *, tz, brand_id=None, since=None, until=None) -> dict:
    """Everything the overview and the statistics endpoint show, in a fixed number of queries."""
    days = volume_by_day(actor, tz=tz, brand_id=brand_id, since=since, until=until)
    totals = {
        key: sum(d[key] or 0 for d in days)
        for key in ("volume", "positive", "neutral", "negative", "reach")
    }
    sentiment_sum = sum(d["sentiment_sum"] or 0 for d in days)
    return {
        "totals": totals,
        "reputation_score": reputation_score(volume=totals["volume"], sentiment_sum=sentiment_sum),
        "by_day": [
            {
                **{k: d[k] for k in ("day", "volume", "positive", "neutral", "negative", "reach")},
                "reputation_score": reputation_score(
                    volume=d["volume"], sentiment_sum=d["sentiment_sum"] or 0
                ),
            }
            for d in days
        ],
        "share_of_voice": share_of_voice(actor, brand_id=brand_id, since=since, until=until),
        "top_sources": sources_ranked(actor, brand_id=brand_id, since=since, until=until)[:10],
        "top_authors": top_authors(actor, brand_id=brand_id, since=since, until=until),
    }


def brands_for_filters(actor: Actor) -> QuerySet[Brand]:
    return brands_visible_to(actor)
