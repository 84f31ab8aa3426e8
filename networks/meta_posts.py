"""The account's own posts through the Graph API, for Facebook Pages and Instagram alike.

Both edges (``/{page-id}/published_posts``, ``/{ig-user-id}/media``) answer
``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`` newest first and take
``since`` (a Unix time); ``next`` is there only when another page exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .adapter import parse_time
from .base import RECENT_POSTS_LIMIT, AccountPost, Credentials

PAGE_SIZE = 25


def graph_recent_posts(
    adapter,
    creds: Credentials,
    path: str,
    *,
    fields: str,
    since: datetime,
    time_field: str,
    to_post: Callable[[dict], AccountPost],
) -> list[AccountPost]:
    """Follow the edge's pages until a post older than ``since`` or ``RECENT_POSTS_LIMIT``."""
    found: list[AccountPost] = []
    params: dict = {"fields": fields, "limit": PAGE_SIZE, "since": int(since.timestamp())}
    while len(found) < RECENT_POSTS_LIMIT:
        body = adapter._get(path, creds, **params)
        for item in body.get("data", []):
            created = parse_time(item.get(time_field))
            if not item.get("id") or (created and created < since):
                return found  # newest first: the rest is older still
            found.append(to_post(item))
        after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
        if not (body.get("paging") or {}).get("next") or not after:
            break
        params["after"] = after
    return found[:RECENT_POSTS_LIMIT]
