"""Listening statistics: influencers and sources ranked, and the figures of the hourly rollups
(volume by day, e-reputation score, share of voice), narrowed to what the actor may see."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from clients.models import Brand
from reputation.models.mentions import Author, MentionRollup
from reputation.selectors.listening import (
    Actor,
    MentionFilters,
    mentions_list,
)

# Prior of the e-reputation score: a day is read as if it also had this many neutral mentions,
# so that one angry tweet on a quiet day does not sink the score to zero (docs/listening.md).
REPUTATION_PRIOR_MENTIONS = 5


def influencers(
    actor: Actor, *, brand_id=None, since=None, until=None, order: str = "reach", limit=100
) -> QuerySet[Author]:
    """Authors ranked by reach (followers), mention count, engagement or sentiment toward the
    brand(s), over the mentions visible to the actor in the period."""
    mentions = Q(mentions__agency_id=actor.agency_id) & Q(
        mentions__brand_id__in=Brand.objects.visible_to(actor).values("pk")
    )
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


def _rollups(
    actor: Actor, *, brand_id=None, brand_ids=None, since=None, until=None
) -> QuerySet[MentionRollup]:
    """The hourly rollups the actor may see; ``brand_ids`` (a list) narrows to several brands,
    ``since`` / ``until`` bound the hours [since, until)."""
    queryset = MentionRollup.objects.visible_to(actor)
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    if brand_ids is not None:
        queryset = queryset.filter(brand_id__in=list(brand_ids))
    if since:
        queryset = queryset.filter(hour__gte=since)
    if until:
        queryset = queryset.filter(hour__lt=until)
    return queryset


def volume_by_day(
    actor: Actor, *, tz, brand_id=None, brand_ids=None, since=None, until=None
) -> list[dict]:
    """Per day (in ``tz``): volume, positive, neutral, negative, reach — the brand's own voice."""
    return list(
        _rollups(actor, brand_id=brand_id, brand_ids=brand_ids, since=since, until=until)
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


def voice_volumes(actor: Actor, *, brand_ids=None, since=None, until=None) -> list[dict]:
    """Volume per brand and voice ("" = the brand itself, else a competitor's name), in one
    query: share of voice per brand, for several brands at once (analytics, reports)."""
    return list(
        _rollups(actor, brand_ids=brand_ids, since=since, until=until)
        .values("brand_id", "voice")
        .annotate(volume=Sum("volume"), sentiment_sum=Sum("sentiment_sum"))
        .order_by("brand_id", "-volume", "voice")
    )


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
