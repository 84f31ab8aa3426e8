"""Recognising our own reply among the answers a network lists under a message.

After a reply's outcome is unknown (a timeout, a dropped connection, a worker killed during
the call), the outbox asks the network before it resends: ``find_existing_reply`` reads the
answers under the parent with each network's documented listing (``list_comments``: Graph
``/{id}/comments``, Mastodon's ``/statuses/:id/context``, Bluesky's ``getPostThread``, X's
conversation search, LinkedIn's comments) and this module picks ours. A network that cannot
list answers cannot be asked: the outbox then asks a person instead of resending.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .base import Comment
from .lookup import lookup_candidate, normalise_text


def recognised_reply(
    comments: Iterable[Comment],
    parent_id: str,
    text: str,
    *,
    author_id: str = "",
    since: datetime | None = None,
) -> str | None:
    """The id of the first of ``comments`` that is our reply: an answer to ``parent_id`` (when
    the network says what it answers), by the connected account ``author_id`` (when the
    network names authors), with ``text`` (whitespace aside) and, with ``since``, made at or
    after it (an older identical answer is another reply)."""
    wanted = normalise_text(text)
    for comment in comments:
        if comment.parent_id and comment.parent_id != parent_id:
            continue
        author = comment.author.external_id if comment.author else ""
        if author_id and author and author != author_id:
            continue
        if not lookup_candidate(comment.external_id, comment.created_at, since=since):
            continue
        if normalise_text(comment.text) == wanted:
            return comment.external_id
    return None
