"""The ingestion pipeline, as one service: raw items from a source -> stored, scored mentions.

normalise -> de-duplicate -> detect language -> match every active query of the agency in one
pass -> sentiment and abuse labels -> author upsert -> bulk insert -> hourly rollups ->
``mentions_ingested`` signal (crisis evaluation subscribes to it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agency.tenancy import NoTenantError, current_agency_id
from reputation import abuse, matching
from reputation.language import detect_language
from reputation.models.mentions import MAX_TEXT_CHARS, MAX_TITLE_CHARS, Mention, MentionMatch
from reputation.models.sources import Source, SourceKind
from reputation.owned_items import KIND_DIRECT, OwnedBatch, OwnedItem, owned_items_ingested
from reputation.places import place_of
from reputation.sentiment.analysis import analyse
from reputation.sentiment.lexicon import Sentiment
from reputation.services.authors import authors_upsert, raw_handle
from reputation.services.rollups import rollups_recompute
from reputation.signals import mentions_ingested
from reputation.text import fingerprint, fold, normalise

MAX_EXTERNAL_ID = 500
MAX_URL = 1000


@dataclass
class RawMention:
    """One item as a source delivered it: untrusted, unnormalised."""

    external_id: str
    text: str
    title: str = ""
    url: str = ""
    published_at: datetime | None = None
    network: str = "web"
    author_handle: str = ""
    author_name: str = ""
    author_url: str = ""
    author_followers: int | None = None
    language_hint: str = ""
    reach: int = 0
    engagement: int = 0
    # Owned-account items only (what the inbox threads them by; reputation.owned_items).
    kind: str = ""
    author_external_id: str = ""
    parent_external_id: str = ""
    post_external_id: str = ""
    raw: Any = None
    thread_external_id: str = ""  # direct messages: the conversation (the other party's id)


@dataclass
class IngestResult:
    received: int = 0
    duplicates: int = 0
    unmatched: int = 0
    stored: int = 0
    mention_ids: list[int] = field(default_factory=list)
    brand_ids: set[int] = field(default_factory=set)


@dataclass
class _Prepared:
    raw: RawMention
    external_id: str
    title: str
    text: str
    url: str
    fingerprint: str
    published_at: datetime
    language: str = "und"
    sentiment: Sentiment | None = None
    abuse_labels: dict[str, float] = field(default_factory=dict)


def _prepare(raw: RawMention, now: datetime) -> _Prepared | None:
    title = normalise(raw.title, max_chars=MAX_TITLE_CHARS)
    text = normalise(raw.text, max_chars=MAX_TEXT_CHARS) or title
    if not text:
        return None
    external_id = (raw.external_id or raw.url or "").strip()[:MAX_EXTERNAL_ID]
    story = fingerprint(title, text)
    published = raw.published_at or now
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    published = min(published, now)  # a feed dated in the future is clamped to now
    url = raw.url.strip() if raw.url.strip().lower().startswith(("http://", "https://")) else ""
    return _Prepared(
        raw=raw,
        external_id=external_id or f"fp:{story}",
        title=title,
        text=text,
        url=url[:MAX_URL],
        fingerprint=story,
        published_at=published,
    )


def mentions_ingest(
    *,
    agency_id: int,
    items: list[RawMention],
    source: Source | None = None,
    account_id: int | None = None,
    backfill: bool | None = None,
) -> IngestResult:
    """Turn raw items into mentions of every brand whose queries they match.

    Guarantees: one row per (brand, external id) and per (brand, story fingerprint), also under
    concurrent polls; text stored normalised and capped; nothing stored for items no active
    query matches — except from an owned-comments source, whose items (replies to the brand's
    own posts) are the brand's by where they were said; rollups of the touched hours
    recomputed; ``mentions_ingested`` sent after commit with the new mentions only. Runs in
    one transaction. Items of an owned-comments source read through ``account_id`` are handed,
    all of them (new or not, a repeated text too), to the inbox in the same transaction
    (reputation.owned_items); they are a backfill (old items that alert nobody) when the
    source has never been read, unless ``backfill`` says otherwise (a webhook's push is news).
    Runs inside the agency's tenant scope (the poll task's); another agency's id raises.
    """
    if agency_id != current_agency_id():
        raise NoTenantError(f"mentions_ingest for agency {agency_id} outside its tenant scope.")
    now = timezone.now()
    result = IngestResult(received=len(items))
    restrict_brand = source.brand_id if source is not None else None
    owned_by_brand = (
        source.brand_id if source is not None and source.kind == SourceKind.OWNED_COMMENTS else None
    )

    # 1. normalise and de-duplicate within the batch
    prepared: list[_Prepared] = []
    owned: dict[str, _Prepared] = {}  # the inbox's: two "Merci !" are two messages
    seen_ids: set[str] = set()
    seen_stories: set[str] = set()
    for raw in items:
        item = _prepare(raw, now)
        if item is None:
            result.unmatched += 1
            continue
        if owned_by_brand is not None and account_id is not None:
            owned.setdefault(item.external_id, item)
        if item.external_id in seen_ids or item.fingerprint in seen_stories:
            result.duplicates += 1
            continue
        seen_ids.add(item.external_id)
        seen_stories.add(item.fingerprint)
        prepared.append(item)

    # 2. matching (one automaton pass per item), 3. language — detected only for items that
    # matched some query (most of the web does not), then used to apply query languages.
    matcher = matching.matcher_for_agency(agency_id)
    per_brand: list[tuple[_Prepared, int, list[matching.QueryMatch]]] = []
    for item in prepared:
        if item.raw.kind == KIND_DIRECT:
            continue  # private: the inbox's only (scored below), never a listening mention
        folded = fold(f"{item.title}\n{item.text}")
        found = matcher.match("", language=matching.ANY_LANGUAGE, folded=folded)
        if restrict_brand is not None:
            found = [m for m in found if m.query.brand_id == restrict_brand]
        if found or owned_by_brand is not None:
            item.language = detect_language(
                f"{item.title}\n{item.text}" if item.title else item.text,
                hint=item.raw.language_hint,
            )
            found = [m for m in found if matching.language_allowed(item.language, m.query)]
        by_brand: dict[int, list[matching.QueryMatch]] = defaultdict(list)
        for match in found:
            by_brand[match.query.brand_id].append(match)
        if owned_by_brand is not None:
            by_brand.setdefault(owned_by_brand, [])
        if not by_brand:
            result.unmatched += 1
            continue
        for brand_id, brand_matches in by_brand.items():
            per_brand.append((item, brand_id, brand_matches))
    if not per_brand and not owned:
        return result

    # 4. sentiment and abuse labels, once per item whatever the number of brands
    for item in {id(i): i for i, _, _ in per_brand}.values():
        item.sentiment = analyse(f"{item.title}. {item.text}", item.language)
        item.abuse_labels = abuse.analyse(f"{item.title}. {item.text}").labels
    for item in owned.values():
        if item.sentiment is None:  # a repeated text or a private message: not a mention
            item.language = detect_language(item.text, hint=item.raw.language_hint)
            item.sentiment = analyse(f"{item.title}. {item.text}", item.language)

    with transaction.atomic():
        for attempt in range(3):
            try:
                with transaction.atomic():
                    _store(agency_id, source, per_brand, result, now)
                break
            except IntegrityError:
                # Another worker stored the same story meanwhile: filter again and retry.
                if attempt == 2:
                    raise
                result.mention_ids.clear()
                result.brand_ids.clear()
                result.stored = 0
        if result.mention_ids:
            if source is not None:
                Source.objects.filter(pk=source.pk).update(
                    mentions_found=F("mentions_found") + result.stored
                )
            brand_ids, mention_ids = sorted(result.brand_ids), list(result.mention_ids)
            transaction.on_commit(
                lambda: mentions_ingested.send(
                    sender=Mention,
                    agency_id=agency_id,
                    brand_ids=brand_ids,
                    mention_ids=mention_ids,
                )
            )
        if owned and source is not None and owned_by_brand is not None:
            if backfill is None:
                backfill = source.last_success_at is None
            _hand_owned(
                agency_id, source, owned_by_brand, account_id, list(owned.values()), now, backfill
            )
    return result


def _hand_owned(
    agency_id: int,
    source: Source,
    brand_id: int,
    account_id,
    owned: list[_Prepared],
    now,
    backfill: bool,
) -> None:
    authors = authors_upsert(agency_id, [item.raw for item in owned], now)
    batch = OwnedBatch(
        agency_id=agency_id,
        brand_id=brand_id,
        social_account_id=account_id,
        network=source.network,
        backfill=backfill,
        items=[
            OwnedItem(
                external_id=item.external_id,
                kind=item.raw.kind or "mention",
                text=item.text,
                url=item.url,
                published_at=item.published_at,
                language=item.language,
                sentiment_label=item.sentiment.label if item.sentiment else "neutral",
                sentiment_score=item.sentiment.score if item.sentiment else 0.0,
                author_id=authors.get((item.raw.network[:20], raw_handle(item.raw))),
                author_handle=item.raw.author_handle[:200],
                author_name=normalise(item.raw.author_name, max_chars=200),
                author_external_id=item.raw.author_external_id[:500],
                parent_external_id=item.raw.parent_external_id[:MAX_EXTERNAL_ID],
                post_external_id=item.raw.post_external_id[:MAX_EXTERNAL_ID],
                raw=item.raw.raw,
                thread_external_id=item.raw.thread_external_id[:MAX_EXTERNAL_ID],
            )
            for item in owned
        ],
    )
    owned_items_ingested(batch)


def _store(agency_id, source, per_brand, result: IngestResult, now) -> None:
    brand_ids = {brand_id for _, brand_id, _ in per_brand}
    existing = Mention.objects.filter(brand_id__in=brand_ids)
    known_ids = set(
        existing.filter(external_id__in={i.external_id for i, _, _ in per_brand}).values_list(
            "brand_id", "external_id"
        )
    )
    known_stories = set(
        existing.filter(fingerprint__in={i.fingerprint for i, _, _ in per_brand}).values_list(
            "brand_id", "fingerprint"
        )
    )
    fresh = [
        (item, brand_id, matches)
        for item, brand_id, matches in per_brand
        if (brand_id, item.external_id) not in known_ids
        and (brand_id, item.fingerprint) not in known_stories
    ]
    result.duplicates += len(per_brand) - len(fresh)
    if not fresh:
        return

    authors = authors_upsert(agency_id, [item.raw for item, _, _ in fresh], now)
    mentions = []
    for item, brand_id, matches in fresh:
        own = [m for m in matches if not m.query.voice]
        # No match at all: a reply on the brand's own account, so the brand's own voice.
        voice = "" if own or not matches else matches[0].query.voice
        terms = sorted(set().union(*(m.terms for m in matches)))
        author = authors.get((item.raw.network, raw_handle(item.raw)))
        mentions.append(
            Mention(
                agency_id=agency_id,
                brand_id=brand_id,
                source=source,
                external_id=item.external_id,
                fingerprint=item.fingerprint,
                url=item.url,
                title=item.title,
                text=item.text,
                language=item.language,
                sentiment_score=item.sentiment.score,
                sentiment_label=item.sentiment.label,
                abuse_labels=item.abuse_labels,
                author_id=author,
                published_at=item.published_at,
                place=place_of(item.raw.network, item.url, item.raw.author_handle),
                collected_at=now,
                # Potential reach: what the source says, else the author's audience.
                reach=max(item.raw.reach or item.raw.author_followers or 0, 0),
                engagement=max(item.raw.engagement or 0, 0),
                voice=voice[:120],
                matched_terms=terms,
            )
        )
    created = Mention.objects.bulk_create(mentions, batch_size=500)
    if any(m.pk is None for m in created):  # backends that return no ids
        lookup = {
            (brand_id, external_id): pk
            for brand_id, external_id, pk in Mention.objects.filter(
                external_id__in={m.external_id for m in created}
            ).values_list("brand_id", "external_id", "id")
        }
        for m in created:
            m.pk = m.id = lookup.get((m.brand_id, m.external_id))
    MentionMatch.objects.bulk_create(
        [
            MentionMatch(agency_id=agency_id, mention_id=mention.pk, query_id=match.query.id)
            for mention, (_, _, matches) in zip(created, fresh, strict=True)
            for match in matches
        ],
        batch_size=1000,
    )
    result.stored = len(created)
    result.mention_ids = [m.pk for m in created]
    result.brand_ids = {m.brand_id for m in created}
    rollups_recompute(
        agency_id=agency_id,
        brand_ids=result.brand_ids,
        since=min(m.published_at for m in created),
        until=max(m.published_at for m in created),
    )
