"""Polling the sources read from the open web rather than through a connected account: feeds
(RSS, Atom, JSON Feed), Discourse forums and Reddit search. Each fetch goes through the
outbound guard with the policy from settings; each failure is a PollError whose message is
kept on the source (reputation.services.polling records it and backs off).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from agency.outbound import outbound_policy
from reputation.models.sources import Source, SourceKind
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.services.polling import PollError, PollOutcome

REDDIT_TOKEN_KEY = "reputation:reddit:app-token"
REDDIT_PAUSE_KEY = "reputation:reddit:pause-until"


def poll_web(source: Source) -> PollOutcome:
    if source.kind == SourceKind.DISCOURSE:
        items = _discourse(source)
    elif source.kind == SourceKind.REDDIT:
        items = _reddit(source)
    else:
        return _feed(source)
    result = mentions_ingest(agency_id=source.agency_id, items=items, source=source)
    return PollOutcome(status="ok", result=result)


def _feed(source: Source) -> PollOutcome:
    from networks.rss import FeedError, fetch_feed

    try:
        # Through the outbound guard: the address is checked again at every poll (a name may
        # resolve elsewhere today, a redirect may point inside), within one deadline.
        feed = fetch_feed(
            source.url,
            etag=source.etag or None,
            last_modified=source.last_modified or None,
            policy=outbound_policy(),
        )
    except FeedError as exc:
        raise PollError(str(exc)) from exc
    source.etag = (feed.etag or "")[:500]
    source.last_modified = (feed.last_modified or "")[:100]
    if feed.status == "not_modified":
        return PollOutcome(status="not_modified")
    items = [
        RawMention(
            external_id=entry.guid or entry.link,
            url=entry.link,
            title=entry.title,
            text=entry.content or entry.summary or entry.title,
            published_at=entry.published,
            network="web",
            author_handle=entry.author,
            author_name=entry.author,
            language_hint=entry.language or feed.language,
        )
        for entry in feed.entries
    ]
    result = mentions_ingest(agency_id=source.agency_id, items=items, source=source)
    return PollOutcome(status="ok", result=result)


def _discourse(source: Source) -> list[RawMention]:
    """The forum's posts newer than the cursor (the newest post id read): the search's when
    the source has search terms, else the latest posts (every one goes to the matcher)."""
    from networks.discourse import read_forum
    from networks.feeds import FeedError

    since = int(source.cursor) if source.cursor.isdigit() else None
    try:
        posts = read_forum(
            source.url, query=source.search_terms, since_id=since, policy=outbound_policy()
        )
    except FeedError as exc:
        raise PollError(str(exc)) from exc
    if posts:
        source.cursor = str(max(p.id for p in posts))
    host = urlsplit(source.url).hostname or ""
    return [
        RawMention(
            external_id=f"discourse:{host}:{post.id}",
            url=post.url,
            title=post.title,
            text=post.text,
            published_at=post.created_at,
            network="discourse",
            # Usernames are per forum: the same name on two forums is two people.
            author_handle=f"{post.username}@{host}" if post.username else "",
            author_name=post.name or post.username,
            author_url=f"{source.url.rstrip('/')}/u/{post.username}" if post.username else "",
            engagement=post.likes,
        )
        for post in posts
    ]


def REDDIT_NOT_CONFIGURED() -> str:  # noqa: N802 - a message, read like a constant
    return _(
        "Reddit search is not configured on this platform: REDDIT_CLIENT_ID and "
        "REDDIT_CLIENT_SECRET are empty (docs/setup.md)."
    )


def reddit_configured() -> bool:
    return bool(settings.REDDIT_CLIENT_ID and settings.REDDIT_CLIENT_SECRET)


def _reddit(source: Source) -> list[RawMention]:
    """Reddit's newest posts for the source's terms, after the cursor (the newest post's
    created_utc read). Reddit's rate-limit window is respected across every source of the
    platform: when a search leaves no request, none is sent until the window resets."""
    from networks.reddit import RedditError, search_posts

    if not reddit_configured():
        raise PollError(REDDIT_NOT_CONFIGURED())
    paused_until = cache.get(REDDIT_PAUSE_KEY) or 0
    if paused_until > time.time():
        raise PollError(
            _("Reddit's rate limit is reached; the next search is in %(seconds)d s.")
            % {"seconds": paused_until - time.time()}
        )
    since = _float(source.cursor)
    try:
        try:
            page = search_posts(_reddit_token(), source.search_terms, **_reddit_args(since))
        except RedditError as exc:
            if not exc.token_refused:
                raise
            cache.delete(REDDIT_TOKEN_KEY)  # expired or revoked early: one new token, once
            page = search_posts(_reddit_token(), source.search_terms, **_reddit_args(since))
    except RedditError as exc:
        if exc.retry_after:
            cache.set(REDDIT_PAUSE_KEY, time.time() + exc.retry_after, int(exc.retry_after) + 1)
        raise PollError(str(exc)) from exc
    if page.remaining is not None and page.remaining < 1 and page.reset_seconds:
        cache.set(REDDIT_PAUSE_KEY, time.time() + page.reset_seconds, int(page.reset_seconds) + 1)
    times = [p.created_at.timestamp() for p in page.posts if p.created_at]
    if times:
        source.cursor = repr(max([*times, since or 0.0]))
    return [
        RawMention(
            external_id=post.name,
            url=post.url,
            title=post.title,
            text=post.text or post.title,
            published_at=post.created_at,
            network="reddit",
            author_handle=_redditor(post.author),
            author_name=_redditor(post.author),
            author_url=f"https://www.reddit.com/user/{post.author}"
            if _redditor(post.author)
            else "",
            engagement=post.score + post.num_comments,
        )
        for post in page.posts
    ]


def _redditor(name: str) -> str:
    """A post's author, or "" for a deleted account (Reddit writes "[deleted]")."""
    return "" if name in ("", "[deleted]") else name


def _reddit_args(since: float | None) -> dict:
    return {"user_agent": settings.REDDIT_USER_AGENT, "since": since, "policy": outbound_policy()}


def _reddit_token() -> str:
    """The platform's app-only token, shared by every agency's Reddit sources until it
    expires (a minute early)."""
    from networks.reddit import app_token

    token = cache.get(REDDIT_TOKEN_KEY)
    if token:
        return token
    fresh = app_token(
        settings.REDDIT_CLIENT_ID,
        settings.REDDIT_CLIENT_SECRET,
        user_agent=settings.REDDIT_USER_AGENT,
        policy=outbound_policy(),
    )
    cache.set(REDDIT_TOKEN_KEY, fresh.access_token, max(fresh.expires_in - 60, 60))
    return fresh.access_token


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
