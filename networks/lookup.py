"""Recognising a post among the network's latest (the lookups after an unknown outcome), and
the small text and time helpers they share; re-exported by networks.adapter, where their
callers import them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime


def lookup_candidate(
    external_id: str,
    created_at: datetime | None,
    *,
    since: datetime | None,
    exclude_ids: Collection[str] = (),
) -> bool:
    """Whether a post the network listed may be the one a lookup is after: not already one of
    our other publications, and (with ``since``) created at or after it. A post whose time the
    network did not give is refused when a bound is asked for: marking the wrong post published
    loses a publication silently, which is worse than a person's check."""
    if not external_id or external_id in exclude_ids:
        return False
    if since is None:
        return True
    return created_at is not None and created_at >= since


def recognised_post(
    posts: Iterable[dict],
    wanted: str,
    *,
    text_of: Callable[[dict], str | None],
    time_of: Callable[[dict], datetime | None],
    since: datetime | None,
    exclude_ids: Collection[str] = (),
    id_key: str = "id",
) -> dict | None:
    """The first of ``posts`` (the network's latest, as listed) that a lookup recognises: a
    :func:`lookup_candidate` whose text, as ``text_of`` normalises it, is ``wanted``."""
    for post in posts:
        candidate = lookup_candidate(
            str(post.get(id_key, "")), time_of(post), since=since, exclude_ids=exclude_ids
        )
        if candidate and text_of(post) == wanted:
            return post
    return None


def normalise_text(text: str) -> str:
    """Whitespace-insensitive form used to recognise our own post among recent ones."""
    return " ".join(text.split())


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601 (with ``Z`` or an offset, Meta's ``+0000`` included) to an aware datetime."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    if len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        value = value[:-2] + ":" + value[-2:]  # "+0000" -> "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
