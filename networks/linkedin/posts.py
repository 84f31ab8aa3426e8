"""The organisation's own recent posts (GET /rest/posts?q=author), whoever published them.

The Posts API's author finder, newest first (``sortBy=CREATED``), with the versioned headers of
every call (``LinkedIn-Version``, ``X-Restli-Protocol-Version``); pages of 50 by ``start`` and
``count`` until a post older than ``since``. Its listing gives no comment count (that is the
socialActions / share statistics APIs), so a post's comments are read again on a schedule
instead (reputation.services.account_posts). Drafts and deleted posts are skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from networks.base import RECENT_POSTS_LIMIT, AccountPost
from networks.linkedin.text import plain_text

PAGE_SIZE = 50


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    author = quote(creds.external_id, safe="")
    found: list[AccountPost] = []
    start = 0
    while len(found) < RECENT_POSTS_LIMIT:
        body = adapter.call(
            "GET",
            f"{adapter.api_root}/posts?author={author}&q=author&count={PAGE_SIZE}"
            f"&start={start}&sortBy=CREATED",
            creds,
        ).json()
        elements = body.get("elements") or []
        for post in elements:
            created = _created_at(post)
            if created and created < since:
                return found
            if not post.get("id") or post.get("lifecycleState", "PUBLISHED") != "PUBLISHED":
                continue
            urn = post["id"]
            found.append(
                AccountPost(
                    external_id=urn,
                    text=plain_text(post.get("commentary", "")),
                    url=f"https://www.linkedin.com/feed/update/{urn}/",
                    created_at=created,
                    raw=post,
                )
            )
        if len(elements) < PAGE_SIZE:
            break
        start += PAGE_SIZE
    return found[:RECENT_POSTS_LIMIT]


def _created_at(post: dict) -> datetime | None:
    created = post.get("createdAt") or post.get("publishedAt")
    return datetime.fromtimestamp(created / 1000, UTC) if isinstance(created, int) else None
