"""Discourse forums: their public posts as mentions, without an account.

Every Discourse forum serves its pages as JSON to anonymous visitors (docs.discourse.org, the
API's OpenAPI description). Two of them are read:

* ``GET {forum}/search.json?q={terms} order:latest`` (with search terms): ``posts[]`` of
  ``{id, name, username, created_at, like_count, blurb, post_number, topic_id}`` and
  ``topics[]`` of ``{id, title, fancy_title, slug, posts_count}``; a post's text is its
  ``blurb``, the excerpt around the match (search gives no full text).
* ``GET {forum}/posts.json`` (without): ``latest_posts[]`` of ``{id, name, username,
  created_at, cooked, post_number, topic_id, topic_slug, topic_title}``, the forum's latest
  posts with their ``cooked`` HTML; every post then goes through the queries' matcher.

A post's address is ``{forum}/t/{slug}/{topic_id}/{post_number}``. ``since_id`` is the newest
post id already read (post ids grow), so only newer posts are returned. Guarantees: fetched
through the outbound guard (internal addresses refused, one deadline, at most 5 MiB);
``cooked`` is returned raw except for quotes of other posts (``<aside class="quote">``), which
are removed so a reply is not credited with what it quotes; every failure is a
:class:`FeedError` that names the problem (HTTP status, a 429 with its ``Retry-After``, not
JSON, a member of the wrong type).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from .addresses import OutboundError, OutboundPolicy
from .feeds import FeedError
from .http import HttpSettings, redact_url
from .outbound import fetch

MAX_BYTES = 5 * 1024 * 1024
DEADLINE_SECONDS = 30.0
_QUOTE = re.compile(r"<aside\b[^>]*\bclass=[\"'][^\"']*\bquote\b.*?</aside>", re.S | re.I)


@dataclass(frozen=True)
class ForumPost:
    id: int
    url: str
    title: str
    text: str  # HTML (cooked, or the search's blurb)
    username: str
    name: str
    created_at: datetime | None
    topic_id: int
    post_number: int
    likes: int = 0


def forum_base(url: str) -> str:
    """The forum's root from an address a person gives (its home, /latest, a search page)."""
    parts = urlsplit(url.strip())
    path = re.sub(r"/(latest|top|new|categories|search|posts)(\.json|\.rss)?/?$", "", parts.path)
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}"


def read_forum(
    url: str,
    *,
    query: str = "",
    since_id: int | None = None,
    policy: OutboundPolicy | None = None,
    settings: HttpSettings | None = None,
) -> list[ForumPost]:
    """The forum's posts newer than ``since_id``: matching ``query``, or the latest ones."""
    base = forum_base(url)
    if query.strip():
        address = f"{base}/search.json?q={quote(query.strip() + ' order:latest')}"
        document = _get(address, policy, settings)
        posts = _list(document, "posts", address)
        topics = {t.get("id"): t for t in _list(document, "topics", address) if isinstance(t, dict)}
    else:
        address = f"{base}/posts.json"
        document = _get(address, policy, settings)
        posts, topics = _list(document, "latest_posts", address), {}
    found = []
    for n, post in enumerate(posts):
        item = _post(post, topics, base, f"posts[{n}]", address)
        if since_id is None or item.id > since_id:
            found.append(item)
    return sorted(found, key=lambda p: p.id)


def _get(address: str, policy, settings) -> dict:
    shown = redact_url(address)
    try:
        answer = fetch(
            "GET",
            address,
            policy=policy or OutboundPolicy(),
            headers={"Accept": "application/json"},
            deadline_seconds=DEADLINE_SECONDS,
            max_bytes=MAX_BYTES,
            max_redirects=3,
            settings=settings,
        )
    except OutboundError as exc:
        raise FeedError(str(exc), url=address) from exc
    if answer.status_code == 429:
        wait = answer.headers.get("retry-after", "")
        after = f", retry after {wait} s" if wait else ""
        raise FeedError(
            f"the forum asked us to slow down (HTTP 429{after})",
            url=address,
            status=429,
        )
    if answer.is_error:
        raise FeedError(
            f"HTTP {answer.status_code} from {shown}", url=address, status=answer.status_code
        )
    try:
        document = json.loads(answer.content)
    except (ValueError, RecursionError):
        raise FeedError(
            f"not a Discourse forum: {shown} did not answer JSON", url=address
        ) from None
    if not isinstance(document, dict):
        raise FeedError(f"not a Discourse forum: {shown} did not answer a JSON object", url=address)
    return document


def _list(document: dict, key: str, address: str) -> list:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FeedError(f'not a Discourse forum: "{key}" is not a list', url=address)
    return value


def _post(post, topics: dict, base: str, path: str, address: str) -> ForumPost:
    if not isinstance(post, dict):
        raise FeedError(f"not a Discourse forum: {path} is not an object", url=address)
    try:
        post_id, topic_id = int(post["id"]), int(post["topic_id"])
        number = int(post.get("post_number") or 1)
    except (KeyError, TypeError, ValueError):
        raise FeedError(
            f"not a Discourse forum: {path} has no numeric id, topic_id or post_number",
            url=address,
        ) from None
    topic = topics.get(topic_id) or {}
    slug = _str(post.get("topic_slug")) or _str(topic.get("slug")) or "-"
    title = _str(post.get("topic_title")) or _str(topic.get("title"))
    text = _str(post.get("cooked")) or _str(post.get("blurb"))
    return ForumPost(
        id=post_id,
        url=f"{base}/t/{quote(slug)}/{topic_id}/{number}",
        title=title,
        text=_QUOTE.sub(" ", text),
        username=_str(post.get("username")),
        name=_str(post.get("name")),
        created_at=_time(_str(post.get("created_at"))),
        topic_id=topic_id,
        post_number=number,
        likes=post["like_count"] if isinstance(post.get("like_count"), int) else 0,
    )


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _time(value: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
