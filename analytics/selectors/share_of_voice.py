"""Share of voice: each brand's own mentions against its competitors' (the voices of its
competitor listening queries), from reputation's hourly rollups. Part of the listening summary
(analytics.selectors.listening)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agency.models import ApiKey, Membership
from analytics.periods import Period
from reputation.selectors.listening import listening_queries_visible_to
from reputation.selectors.statistics import voice_volumes

Actor = Membership | ApiKey


@dataclass(frozen=True)
class VoiceShare:
    voice: str  # "" for the brand itself, else the competitor's name
    name: str
    is_brand: bool
    mentions: int
    share: float | None
    mentions_previous: int | None
    share_previous: float | None


@dataclass(frozen=True)
class BrandShareOfVoice:
    brand_id: int
    brand_name: str
    mentions: int  # the brand's and its competitors' together
    voices: list[VoiceShare]  # the brand first, then its competitors, most mentioned first


def brand_share_of_voice(
    actor: Actor,
    *,
    brands: dict[int, str],
    tz: ZoneInfo,
    period: Period,
    comparison: Period | None,
) -> list[BrandShareOfVoice]:
    """Per brand: its own mentions and each competitor's (the voices of its competitor
    listening queries, a competitor without mentions included), counts and shares. Three
    queries (two without a comparison)."""
    ids = list(brands)
    since, until = period.utc_bounds(tz)
    now = _volumes(voice_volumes(actor, brand_ids=ids, since=since, until=until))
    before: dict[tuple[int, str], int] | None = None
    if comparison is not None:
        start, end = comparison.utc_bounds(tz)
        before = _volumes(voice_volumes(actor, brand_ids=ids, since=start, until=end))
    voices: dict[int, set[str]] = {pk: set() for pk in ids}
    for query in listening_queries_visible_to(actor).filter(brand_id__in=ids, is_competitor=True):
        voices[query.brand_id].add(query.voice)
    for brand_id, voice in [*now, *(before or {})]:
        if voice and brand_id in voices:
            voices[brand_id].add(voice)
    out = []
    for brand_id in sorted(ids, key=lambda pk: (brands[pk].lower(), pk)):
        names = ["", *sorted(voices[brand_id], key=lambda v: (-now.get((brand_id, v), 0), v))]
        total = sum(now.get((brand_id, v), 0) for v in names)
        total_before = None if before is None else sum(before.get((brand_id, v), 0) for v in names)
        rows = []
        for voice in names:
            count = now.get((brand_id, voice), 0)
            count_before = None if before is None else before.get((brand_id, voice), 0)
            rows.append(
                VoiceShare(
                    voice=voice,
                    name=voice or brands[brand_id],
                    is_brand=voice == "",
                    mentions=count,
                    share=count / total if total else None,
                    mentions_previous=count_before,
                    share_previous=(
                        count_before / total_before
                        if count_before is not None and total_before
                        else None
                    ),
                )
            )
        out.append(BrandShareOfVoice(brand_id, brands[brand_id], total, rows))
    return out


def _volumes(rows: list[dict]) -> dict[tuple[int, str], int]:
    return {(r["brand_id"], r["voice"]): r["volume"] or 0 for r in rows}
