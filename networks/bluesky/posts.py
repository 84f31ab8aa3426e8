"""The account's own recent posts (app.bsky.feed.getAuthorFeed), whoever wrote them.

``filter=posts_no_replies`` leaves replies out; reposts (a feed item with a ``reason``) and
another author's posts in it are skipped. The feed has no ``since``: pages of 100 are followed
with the response's ``cursor`` until a post older than ``since``. ``replyCount`` is the post
view's count of replies.
"""

from __future__ import annotations

from networks.adapter import parse_time
from networks.base import RECENT_POSTS_LIMIT, AccountPost

PAGES = 3


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    found: list[AccountPost] = []
    cursor = None
    for _page in range(PAGES):
        params: dict = {"actor": creds.external_id, "filter": "posts_no_replies", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        body = adapter.request(
            "GET",
            adapter.xrpc(creds, "app.bsky.feed.getAuthorFeed"),
            headers=adapter.auth(creds),
            params=params,
        ).json()
        for item in body.get("feed") or []:
            post = item.get("post") or {}
            if item.get("reason") or not post.get("uri"):
                continue  # a repost: someone else's post
            if creds.external_id and (post.get("author") or {}).get("did") != creds.external_id:
                continue
            record = post.get("record") or {}
            created = parse_time(record.get("createdAt")) or parse_time(post.get("indexedAt"))
            if created and created < since:
                return found
            count = post.get("replyCount")
            found.append(
                AccountPost(
                    external_id=post["uri"],
                    text=record.get("text", ""),
                    url=adapter.post_url(creds, post["uri"]),
                    created_at=created,
                    comments_count=count if isinstance(count, int) else None,
                    raw=post,
                )
            )
            if len(found) >= RECENT_POSTS_LIMIT:
                return found
        cursor = body.get("cursor")
        if not cursor:
            break
    return found
