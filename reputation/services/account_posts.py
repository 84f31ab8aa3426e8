"""The brand's posts not published through us, and their comments, in an owned-comments poll.

An owned-comments poll reads the replies to what the engine published (polling._owned_comments).
Before that, where the network lists the account's own posts (capability ``read_own_posts``),
this reads them: the posts the engine published are recognised by their network id and left to
that path; the others are kept as :class:`ExternalPost` rows and their comments go through the
same pipeline (``mentions_ingest`` with the account), so they reach the inbox exactly like our
own posts' comments, under the same source's lease, failure count and back-off.

- The first listing reads 30 days back and marks what it finds as history: the first read of
  those posts' comments is a backfill (no alert, no webhook, no rule, no SLA due time). A post
  found later is new, and so are its comments.
- Later listings read the posts since the older of the cursor (the newest post listed) and
  the re-read window (14 days, as for our own posts): one or two pages, which give each post's
  comment count.
- The comments are read, per poll, for at most ``READ_CAP`` posts: the ``NEWEST_READ`` newest,
  then those whose comment count changed since their comments were last read, then (networks
  that give no count: LinkedIn) those not read for ``UNCOUNTED_REREAD``; the rest wait for the
  next poll. Each post keeps its own comment cursor, so a post left for later misses nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clients.models import SocialAccount
from reputation.models.account_posts import MAX_POST_TEXT, ExternalPost
from reputation.models.sources import Source
from reputation.owned_posts import published_among
from reputation.services.ingest import mentions_ingest
from reputation.services.polling import owned_comment_raw

logger = logging.getLogger(__name__)

FIRST_READ = timedelta(days=30)
REREAD_WINDOW = timedelta(days=14)
NEWEST_READ = 5
READ_CAP = 20
UNCOUNTED_REREAD = timedelta(hours=6)


def account_posts_read(*, source: Source, adapter, account: SocialAccount, creds) -> int:
    """List the account's recent posts, keep those not published through us, and ingest the
    comments of the ones due (see the module). Returns the number of comments handed to the
    pipeline. A refused listing (``PermanentError``) is logged and skipped; other network
    errors propagate (the poll fails and backs off; nothing is stored). ``source.
    posts_cursor`` moves only once what was read is stored."""
    from networks.base import PermanentError

    now = timezone.now()
    first = not source.posts_cursor
    cursor = _parse(source.posts_cursor)
    since = now - FIRST_READ if first or cursor is None else min(cursor, now - REREAD_WINDOW)
    try:
        listed = [p for p in adapter.list_recent_posts(creds, since) if p.external_id]
    except PermanentError as exc:
        # Refused for this account (a permission, an API tier): the rest of the poll (our own
        # posts' comments, the mentions) still runs; a passing failure backs off as usual.
        logger.info("source %s: the account's posts are not readable (%s)", source.pk, exc)
        return 0
    every_id = {i for p in listed for i in (p.external_id, *p.other_ids)}
    ours = published_among(account=account, external_ids=every_id)
    theirs = [p for p in listed if not ({p.external_id, *p.other_ids} & ours)]

    rows = _rows_record(source, account, theirs, ours, now=now, backfill=first)
    due = _due(rows, now)
    read: list[tuple[ExternalPost, list]] = []
    for row in due:
        try:
            comments = adapter.list_comments(creds, row.external_id, since=row.comments_read_until)
        except PermanentError:
            # Deleted at the network meanwhile: its comments went with it.
            logger.info("source %s: post %s is gone", source.pk, row.external_id)
            comments = []
        read.append((row, comments))

    history = source.last_success_at is None
    with transaction.atomic():
        for backfill in (True, False):
            items = [
                owned_comment_raw(source.network, row.external_id, c)
                for row, comments in read
                if (row.backfill or history) == backfill
                for c in comments
            ]
            if items:
                mentions_ingest(
                    agency_id=source.agency_id,
                    items=items,
                    source=source,
                    account_id=account.pk,
                    backfill=backfill,
                )
        for row, comments in read:
            times = [c.created_at for c in comments if c.created_at]
            if row.comments_read_until:
                times.append(row.comments_read_until)
            ExternalPost.objects.filter(pk=row.pk).update(
                comments_count_read=row.comments_count,
                comments_read_until=max(times) if times else None,
                comments_read_at=now,
                backfill=False,
            )
    newest = max((p.created_at for p in listed if p.created_at), default=None)
    marks = [t for t in (newest, cursor) if t is not None] or [now]
    source.posts_cursor = max(marks).isoformat()[:500]
    return sum(len(comments) for _, comments in read)


def _rows_record(source, account, posts, ours, *, now, backfill: bool) -> list[ExternalPost]:
    """Create or refresh a row per listed post not published through us (newest first); a
    row kept for a post the engine turns out to have published (listed before the engine
    stored its id) is dropped, so its comments are read once, on the engine's path."""
    ExternalPost.objects.filter(social_account=account, external_id__in=ours).delete()
    known = {
        row.external_id: row
        for row in ExternalPost.objects.filter(
            social_account=account, external_id__in=[p.external_id[:500] for p in posts]
        )
    }
    fresh, changed = [], []
    for post in posts:
        values = {
            "permalink": post.url[:1000]
            if post.url.lower().startswith(("http://", "https://"))
            else "",
            "text": (post.text or "")[:MAX_POST_TEXT],
            "published_at": post.created_at,
            "comments_count": post.comments_count
            if post.comments_count is None or post.comments_count >= 0
            else None,
        }
        row = known.get(post.external_id[:500])
        if row is None:
            fresh.append(
                ExternalPost(
                    agency_id=source.agency_id,
                    brand_id=account.brand_id,
                    social_account=account,
                    external_id=post.external_id[:500],
                    backfill=backfill,
                    first_seen_at=now,
                    **values,
                )
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    # A concurrent poll of the same account cannot run (the source's lease); a conflict is
    # still harmless: the other row is read back below.
    ExternalPost.objects.bulk_create(fresh, ignore_conflicts=True)
    if changed:
        ExternalPost.objects.bulk_update(
            changed, ["permalink", "text", "published_at", "comments_count"]
        )
    ids = [p.external_id[:500] for p in posts]
    newest_first = (F("published_at").desc(nulls_last=True), "-id")
    listed = list(
        ExternalPost.objects.filter(social_account=account, external_id__in=ids).order_by(
            *newest_first
        )
    )
    # A first read's posts older than the re-read window whose comments the cap left for
    # later are not listed again: they stay due until read once.
    pending = (
        ExternalPost.objects.filter(social_account=account, backfill=True, comments_read_at=None)
        .exclude(external_id__in=ids)
        .order_by(*newest_first)
    )
    return listed + list(pending[:READ_CAP])


def _due(rows: list[ExternalPost], now: datetime) -> list[ExternalPost]:
    """The posts whose comments this poll reads, newest first, at most ``READ_CAP``."""

    def changed(row: ExternalPost) -> bool:
        if row.comments_count is None:
            return row.comments_read_at is None or row.comments_read_at < now - UNCOUNTED_REREAD
        read = row.comments_count_read if row.comments_read_at else 0
        return row.comments_count != read

    due = rows[:NEWEST_READ] + [row for row in rows[NEWEST_READ:] if changed(row)]
    return due[:READ_CAP]


def _parse(value: str) -> datetime | None:
    try:
        parsed = parse_datetime(value) if value else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None
