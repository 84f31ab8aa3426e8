"""What only we have, beside the posts: listening, e-reputation, share of voice, crises and a
few mention quotes, for brands over a period with its comparison (docs/analytics.md,
"Listening").

Everything is read through reputation's selectors: the volumes, the sentiment and the
e-reputation score from its hourly rollups (``reputation.selectors.statistics``), the crises
from ``reputation.selectors.crises``, the quotes from its mention stream. The figures follow
reputation's definitions (docs/listening.md), never a second copy of them.

A fixed number of queries whatever the period and the number of brands (at most 11). Client
roles see their brands only: every selector used narrows with ``visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agency.models import ApiKey, Membership
from analytics.periods import Period, change_ratio
from analytics.selectors.crises import CrisisItem, CrisisSummary, brand_crises
from analytics.selectors.share_of_voice import BrandShareOfVoice, VoiceShare, brand_share_of_voice
from clients.selectors import brands_visible_to
from reputation.models.mentions import Mention, SentimentLabel
from reputation.selectors.listening import (
    MentionFilters,
    mentions_list,
)
from reputation.selectors.statistics import reputation_score, volume_by_day

Actor = Membership | ApiKey

__all__ = [
    "BrandShareOfVoice",
    "CrisisItem",
    "CrisisSummary",
    "ListeningDay",
    "ListeningSummary",
    "MentionQuote",
    "Sentiment",
    "VoiceShare",
    "brand_crises",
    "brand_listening",
    "brand_share_of_voice",
    "mention_quotes",
]

QUOTES_PER_SENTIMENT = 2
QUOTE_MAX_CHARS = 400
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "ary"})


@dataclass(frozen=True)
class Sentiment:
    positive: int
    neutral: int
    negative: int
    total: int
    positive_share: float | None
    neutral_share: float | None
    negative_share: float | None

    @classmethod
    def of(cls, positive: int, neutral: int, negative: int) -> Sentiment:
        total = positive + neutral + negative

        def share(count: int) -> float | None:
            return count / total if total else None

        return cls(
            positive, neutral, negative, total, share(positive), share(neutral), share(negative)
        )


@dataclass(frozen=True)
class ListeningDay:
    day: dt.date
    mentions: int
    positive: int
    neutral: int
    negative: int
    reputation_score: int


@dataclass(frozen=True)
class MentionQuote:
    mention_id: int
    brand_id: int
    text: str
    author: str
    network: str
    language: str
    sentiment: str
    published_at: dt.datetime
    url: str
    direction: str  # "rtl" for Arabic and Darija in Arabic script, else "ltr"


@dataclass(frozen=True)
class ListeningSummary:
    period: Period
    comparison: Period | None
    brand_ids: list[int]
    mentions: int
    mentions_previous: int | None
    mentions_change: float | None
    reach: int
    sentiment: Sentiment
    sentiment_previous: Sentiment | None
    reputation_score: int
    reputation_score_previous: int | None
    reputation_score_change: int | None  # in points (the score is 0–100)
    by_day: list[ListeningDay]
    share_of_voice: list[BrandShareOfVoice]
    crises: CrisisSummary
    quotes: list[MentionQuote]


def brand_listening(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    tz: ZoneInfo | str,
    period: Period,
    comparison: Period | None,
) -> ListeningSummary:
    """Listening figures of ``brand_ids`` (None: every brand the actor sees) over ``period``,
    its days in ``tz``, with the ``comparison`` period's beside them."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    brands = _brands(actor, brand_ids)
    ids = list(brands)
    since, until = period.utc_bounds(zone)
    days = volume_by_day(actor, tz=zone, brand_ids=ids, since=since, until=until)
    current = _totals(days)
    previous = None
    if comparison is not None:
        before, after = comparison.utc_bounds(zone)
        previous = _totals(volume_by_day(actor, tz=zone, brand_ids=ids, since=before, until=after))
    score = reputation_score(volume=current["volume"], sentiment_sum=current["sentiment_sum"])
    score_previous = None
    if previous is not None:
        score_previous = reputation_score(
            volume=previous["volume"], sentiment_sum=previous["sentiment_sum"]
        )
    return ListeningSummary(
        period=period,
        comparison=comparison,
        brand_ids=ids,
        mentions=current["volume"],
        mentions_previous=previous["volume"] if previous else None,
        mentions_change=change_ratio(current["volume"], previous["volume"] if previous else None),
        reach=current["reach"],
        sentiment=_sentiment(current),
        sentiment_previous=_sentiment(previous) if previous else None,
        reputation_score=score,
        reputation_score_previous=score_previous,
        reputation_score_change=None if score_previous is None else score - score_previous,
        by_day=_by_day(period, days),
        share_of_voice=brand_share_of_voice(
            actor, brands=brands, tz=zone, period=period, comparison=comparison
        ),
        crises=brand_crises(actor, brands=brands, tz=zone, period=period, comparison=comparison),
        quotes=mention_quotes(actor, brand_ids=ids, since=since, until=until),
    )


def _brands(actor: Actor, brand_ids: Iterable[int] | None) -> dict[int, str]:
    """{id: name} of the brands asked for that the actor sees (one query)."""
    brands = brands_visible_to(actor)
    if brand_ids is not None:
        brands = brands.filter(pk__in=list(brand_ids))
    return dict(brands.values_list("pk", "name"))


_TOTAL_KEYS = ("volume", "positive", "neutral", "negative", "reach", "sentiment_sum")


def _totals(days: list[dict]) -> dict:
    return {key: sum(d[key] or 0 for d in days) for key in _TOTAL_KEYS}


def _sentiment(totals: dict) -> Sentiment:
    return Sentiment.of(totals["positive"], totals["neutral"], totals["negative"])


def _by_day(period: Period, days: list[dict]) -> list[ListeningDay]:
    """Every day of the period, a day without mentions included (its score is 50)."""
    found = {d["day"]: d for d in days}
    out = []
    for day in period.dates():
        row = found.get(day) or dict.fromkeys(_TOTAL_KEYS, 0)
        out.append(
            ListeningDay(
                day=day,
                mentions=row["volume"] or 0,
                positive=row["positive"] or 0,
                neutral=row["neutral"] or 0,
                negative=row["negative"] or 0,
                reputation_score=reputation_score(
                    volume=row["volume"] or 0, sentiment_sum=row["sentiment_sum"] or 0
                ),
            )
        )
    return out


def mention_quotes(
    actor: Actor, *, brand_ids: list[int], since: dt.datetime, until: dt.datetime
) -> list[MentionQuote]:
    """A few mentions of the brands themselves (not their competitors) that people engaged
    with most: up to two negative, two positive and two neutral, whatever their language
    (Arabic and Darija come as they are, marked right-to-left). Three queries."""
    quotes: list[MentionQuote] = []
    filters = MentionFilters(since=since, until=until, voice="")
    for label in (SentimentLabel.NEGATIVE, SentimentLabel.POSITIVE, SentimentLabel.NEUTRAL):
        mentions = (
            mentions_list(actor, filters)
            .filter(brand_id__in=brand_ids, sentiment_label=label)
            .order_by("-engagement", "-reach", "-published_at", "-id")[:QUOTES_PER_SENTIMENT]
        )
        quotes.extend(_quote(m) for m in mentions)
    return quotes


def _quote(mention: Mention) -> MentionQuote:
    text = " ".join((mention.text or mention.title).split())
    if len(text) > QUOTE_MAX_CHARS:
        text = text[: QUOTE_MAX_CHARS - 1].rstrip() + "…"
    author = mention.author
    source = mention.source
    network = (
        (source.network if source else "")
        or (author.network if author else "")
        or (source.kind if source else "")
    )
    return MentionQuote(
        mention_id=mention.pk,
        brand_id=mention.brand_id,
        text=text,
        author=(author.name or author.handle) if author else "",
        network=network,
        language=mention.language,
        sentiment=mention.sentiment_label,
        published_at=mention.published_at,
        url=mention.url,
        direction="rtl" if mention.language in RIGHT_TO_LEFT_LANGUAGES else "ltr",
    )
