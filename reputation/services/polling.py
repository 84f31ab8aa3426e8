"""Polling services: claim due sources (across agencies), poll one, record the outcome.

The beat dispatcher calls :func:`sources_dispatch_due_across_agencies` every minute: each claimed
source gets a lease (``lease_until``) through a conditional UPDATE, so two dispatchers never
poll the same source at once; a poll that dies leaves the lease to expire and the source is
claimed again, so no source is lost. On PostgreSQL the candidates are read with
``SELECT … FOR UPDATE SKIP LOCKED``; SQLite ignores row locks and relies on the conditional
UPDATE alone.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from agency.models import Agency
from networks.registry import adapter_class
from reputation.models.sources import Source, SourceKind
from reputation.owned_items import KIND_COMMENT, KIND_MENTION, KIND_REVIEW
from reputation.owned_posts import published_post_ids
from reputation.services.account_comments import account_comments
from reputation.services.ingest import IngestResult, RawMention, mentions_ingest

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=24)
CLAIM_BATCH = 200


class PollError(Exception):
    """A poll failed; ``str(error)`` is shown to the user as the source's last error."""


@dataclass
class PollOutcome:
    status: str  # "ok", "not_modified", "failed"
    result: IngestResult | None = None
    error: str = ""


def sources_claim_due_across_agencies(
    *, now: datetime | None = None, limit: int = CLAIM_BATCH
) -> list[tuple[int, int]]:
    """Claim up to ``limit`` due, active sources of every agency: [(agency_id, source_id)].

    Cross-agency by design (the dispatcher serves every tenant), hence ``Source.unscoped``.
    """
    now = now or timezone.now()
    due = Q(active=True, next_poll_at__lte=now) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    claimed: list[tuple[int, int]] = []
    with transaction.atomic():
        candidates = Source.unscoped.filter(due).order_by("next_poll_at")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        for source_id, agency_id in candidates.values_list("id", "agency_id")[:limit]:
            # The claim itself: exactly one row changes, or someone else got it first.
            changed = Source.unscoped.filter(due, pk=source_id).update(lease_until=now + LEASE)
            if changed == 1:
                claimed.append((agency_id, source_id))
    return claimed


def sources_dispatch_due_across_agencies(*, now: datetime | None = None) -> int:
    """Claim due sources of every agency and queue one poll each, in its agency's scope.

    The claim (a lease in the database) commits first; the polls are queued on commit. A lost
    message is harmless: the lease expires and the next dispatch claims the source again.
    """
    from reputation.tasks import poll_source

    with transaction.atomic():
        claimed = sources_claim_due_across_agencies(now=now)
        for agency_id, source_id in claimed:
            transaction.on_commit(
                partial(poll_source.delay, agency_id=agency_id, source_id=source_id)
            )
    return len(claimed)


def source_poll(*, source: Source, client=None) -> PollOutcome:
    """Fetch a source, run the pipeline on what it returned, record the outcome.

    Guarantees: the lease is released; on success the failure count is reset and the next poll
    is one interval away; on failure the error is kept for the user and the next poll is pushed
    back exponentially (interval × 2^failures, at most a day, with jitter).
    """
    # Errors are stored for people to read: write them in the agency's language.
    language = Agency.objects.filter(pk=source.agency_id).values_list("language", flat=True)
    cursors = (source.cursor, source.notifications_cursor)
    with translation.override(language.first() or settings.LANGUAGE_CODE):
        outcome = _poll(source, client=client)
    if outcome.status == "failed":
        # Nothing read was stored (the pipeline rolled back): read it again next time.
        source.cursor, source.notifications_cursor = cursors
    source_record_outcome(source=source, outcome=outcome)
    return outcome


def _poll(source: Source, *, client=None) -> PollOutcome:
    try:
        if source.kind in (SourceKind.RSS, SourceKind.DISCOURSE, SourceKind.REDDIT):
            from reputation.services.web_sources import poll_web

            outcome = poll_web(source)
        elif source.kind in (SourceKind.NETWORK_SEARCH, SourceKind.OWNED_COMMENTS):
            outcome = _poll_network(source)
        else:  # pragma: no cover - constrained in the database
            raise PollError(f"unknown source kind {source.kind!r}")
    except PollError as exc:
        outcome = PollOutcome(status="failed", error=str(exc)[:2000])
    except Exception as exc:  # noqa: BLE001 - record any failure, then let ops see the trace
        logger.exception("poll of source %s failed", source.pk)
        outcome = PollOutcome(
            status="failed",
            error=_("internal error (%(kind)s)") % {"kind": type(exc).__name__},
        )
    return outcome


def _poll_network(source: Source, *, http=None) -> PollOutcome:
    """Read a network through the brand's connected account, from the stored cursor on.

    A search source asks the network's search; an owned-comments source reads the replies to
    the brand's own recently published posts. The cursor is what the adapter's ``since_id``
    expects for a search (the newest post id seen; Bluesky: the newest post's ISO time), and
    the newest comment's ISO time for owned comments.
    """
    from clients.adapters import build_adapter
    from clients.models import SocialAccount
    from clients.services.accounts import credentials_of
    from networks.base import AuthExpired, NetworkError, RateLimited

    account = (
        SocialAccount.objects.filter(
            brand_id=source.brand_id, network=source.network, status="connected"
        )
        .order_by("-connected_at")
        .first()
    )
    if account is None:
        raise PollError(
            _("Connect a %(network)s account to this brand to search %(network)s.")
            % {"network": source.network}
        )
    try:
        adapter = build_adapter(source.network, http)
        if source.kind == SourceKind.OWNED_COMMENTS:
            creds = credentials_of(account)
            if adapter.capabilities.read_own_posts:
                # First: a reply also in the account's notifications is then stored as the
                # comment it is, under its post (reputation.services.account_posts).
                from reputation.services.account_posts import account_posts_read

                account_posts_read(source=source, adapter=adapter, account=account, creds=creds)
            items = _owned_comments(source, adapter, account, creds)
            if adapter.capabilities.read_mentions:
                items += _owned_mentions(source, adapter, creds)
            if adapter.capabilities.read_direct_messages:
                items += _owned_direct_messages(source, adapter, creds)
        else:
            items = _search(source, adapter, credentials_of(account))
    except AuthExpired as exc:
        raise PollError(
            _("The %(network)s account must be reconnected (%(error)s).")
            % {"network": source.network, "error": exc}
        ) from exc
    except RateLimited as exc:
        raise PollError(
            _("%(network)s asked us to slow down (%(error)s).")
            % {"network": source.network, "error": exc}
        ) from exc
    except NetworkError as exc:
        raise PollError(str(exc) or type(exc).__name__) from exc
    result = mentions_ingest(
        agency_id=source.agency_id,
        items=items,
        source=source,
        account_id=account.pk if source.kind == SourceKind.OWNED_COMMENTS else None,
    )
    return PollOutcome(status="ok", result=result)


def _raw_mention(source: Source, mention) -> RawMention:
    """A network's mention (search result or notification) as the pipeline's input."""
    return RawMention(
        external_id=mention.external_id,
        url=mention.url,
        text=mention.text,
        published_at=mention.created_at,
        network=source.network,
        author_handle=mention.author.handle or mention.author.external_id,
        author_name=mention.author.name,
        author_url=mention.author.url,
        author_followers=mention.author.followers,
        language_hint=mention.language,
        reach=mention.author.followers or 0,
        kind=KIND_MENTION,
        author_external_id=mention.author.external_id,
        raw=mention.raw,
    )


def _search(source: Source, adapter, creds) -> list[RawMention]:
    found = adapter.search_mentions(creds, source.search_terms, since_id=source.cursor or None)
    if found:
        source.cursor = _newest_cursor(source.network, found, source.cursor)[:500]
    return [_raw_mention(source, m) for m in found]


# Replies come mostly in a post's first days; older posts are not re-read at every poll.
OWNED_POSTS_WINDOW = timedelta(days=14)
OWNED_POSTS_LIMIT = 50


def _owned_comments(source: Source, adapter, account, creds) -> list[RawMention]:
    """Replies to what the brand published on this account lately (asked of the engine
    through reputation/owned_posts.py)."""
    from networks.base import PermanentError

    since = parse_datetime(source.cursor) if source.cursor else None
    post_ids = published_post_ids(
        account=account, since=timezone.now() - OWNED_POSTS_WINDOW, limit=OWNED_POSTS_LIMIT
    )
    comments = account_comments(adapter, account, creds, since)  # reviews, then the posts'
    for post_id in post_ids:
        try:
            comments += [(post_id, c) for c in adapter.list_comments(creds, post_id, since=since)]
        except PermanentError:
            # The post was deleted at the network: its comments went with it.
            logger.info("source %s: post %s is gone at %s", source.pk, post_id, source.network)
    times = [c.created_at for _, c in comments if c.created_at]
    if times:
        source.cursor = max([*times, *([since] if since else [])]).isoformat()[:500]
    return [owned_comment_raw(source.network, post_id, c) for post_id, c in comments]


def owned_comment_raw(network: str, post_id: str, c) -> RawMention:
    """A comment on the brand's post ``post_id`` (an adapter's Comment, polled or pushed by a
    webhook) as the pipeline's input: one shape whichever way it arrived."""
    return RawMention(
        external_id=c.external_id,
        url=c.url,
        text=c.text,
        published_at=c.created_at,
        network=network,
        author_handle=c.author.handle or c.author.external_id,
        author_name=c.author.name,
        author_url=c.author.url,
        author_followers=c.author.followers,
        reach=c.author.followers or 0,
        kind=KIND_REVIEW if c.rating is not None else KIND_COMMENT,
        author_external_id=c.author.external_id,
        parent_external_id=c.parent_id,
        post_external_id=post_id,
        raw=c.raw,
    )


def _owned_direct_messages(source: Source, adapter, creds) -> list[RawMention]:
    """The account's private conversations since the comments' cursor (read again at worst:
    stored once). A token without the messaging permission reads comments only."""
    from networks.base import PermanentError
    from reputation.services.pushed import owned_message_raw

    since = parse_datetime(source.cursor) if source.cursor else None
    try:
        found = adapter.list_direct_messages(creds, since=since)
    except PermanentError as exc:
        logger.info("source %s: no direct messages at %s (%s)", source.pk, source.network, exc)
        return []
    return [owned_message_raw(source.network, thread, m) for thread, m in found]


def _owned_mentions(source: Source, adapter, creds) -> list[RawMention]:
    """Posts that mention, reply to or quote the account, read from its notifications from
    ``source.notifications_cursor`` on (replies also found by ``_owned_comments`` are the
    same post, de-duplicated by the pipeline)."""
    found = adapter.mention_notifications(creds, since_id=source.notifications_cursor or None)
    if found:
        source.notifications_cursor = _notifications_cursor(
            source.network, found, source.notifications_cursor
        )[:500]
    return [_raw_mention(source, m) for m in found]


def _notifications_cursor(network: str, found, current: str) -> str:
    """The newest notification read, as the network's adapter goes on from it: a time (ISO,
    compared as a time: Bluesky's indexedAt) or an id (compared as a number: Mastodon's)."""
    from networks.adapter import parse_time

    raws = [m.raw for m in found if isinstance(m.raw, dict)]
    if adapter_class(network).notifications_cursor == "time":
        read = [parse_time(str(r.get("indexedAt") or "")) for r in raws] + [parse_time(current)]
        times = [t for t in read if t and t.tzinfo]  # a malformed time is skipped, not fatal
        return max(times).isoformat() if times else current
    ids = [str(r["id"]) for r in raws if str(r.get("id", "")).isdigit()]
    if current.isdigit():
        ids.append(current)
    return max(ids, key=int) if ids else current


def _newest_cursor(network: str, found, current: str) -> str:
    # Some searches go on from a time (Bluesky's since, YouTube's publishedAfter), not an id.
    if adapter_class(network).search_cursor == "time":
        times = [m.created_at for m in found if m.created_at]
        return max(times).isoformat() if times else current
    ids = [m.external_id for m in found if m.external_id]
    if ids and all(i.isdigit() for i in ids):
        newest = max(ids, key=int)
        return newest if not current.isdigit() or int(newest) > int(current) else current
    return ids[0] if ids else current


@transaction.atomic
def source_record_outcome(*, source: Source, outcome: PollOutcome) -> Source:
    now = timezone.now()
    interval = timedelta(minutes=max(source.poll_interval_minutes, 1))
    source.last_polled_at = now
    source.lease_until = None
    if outcome.status == "failed":
        source.consecutive_failures += 1
        backoff = min(interval * (2 ** min(source.consecutive_failures, 16)), MAX_BACKOFF)
        jitter = random.uniform(0.9, 1.1)  # noqa: S311 - spreading load, not security
        source.next_poll_at = now + backoff * jitter
        source.last_error = outcome.error
        source.last_error_at = now
    else:
        source.consecutive_failures = 0
        source.next_poll_at = now + interval
        source.last_error = ""
        source.last_success_at = now
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=source.last_polled_at,
        lease_until=None,
        consecutive_failures=source.consecutive_failures,
        next_poll_at=source.next_poll_at,
        last_error=source.last_error,
        last_error_at=source.last_error_at,
        last_success_at=source.last_success_at,
        etag=source.etag,
        last_modified=source.last_modified,
        cursor=source.cursor,
        notifications_cursor=source.notifications_cursor,
        posts_cursor=source.posts_cursor,
    )
    return source


def source_poll_now(*, source: Source) -> None:
    """Ask for a poll at the next dispatch (the "poll now" button)."""
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now(), lease_until=None)
