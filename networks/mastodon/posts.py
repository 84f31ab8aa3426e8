"""The account's own recent statuses (GET /api/v1/accounts/:id/statuses), whoever wrote them.

Replies and boosts are left out (``exclude_replies``, ``exclude_reblogs``): they are not the
brand's posts. Pages of 40 go back with ``max_id`` (the oldest id of the page, as the Link
header's ``next`` does) until a status older than ``since``. ``replies_count`` is the Status
entity's count of replies.
"""

from __future__ import annotations

from networks.adapter import parse_time
from networks.base import RECENT_POSTS_LIMIT, AccountPost

PAGE_SIZE = 40


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    from networks.mastodon.statuses import html_to_text

    url = f"{adapter.base(creds)}/api/v1/accounts/{adapter._account_id(creds)}/statuses"
    params: dict = {"limit": PAGE_SIZE, "exclude_replies": "true", "exclude_reblogs": "true"}
    found: list[AccountPost] = []
    while len(found) < RECENT_POSTS_LIMIT:
        page = adapter.request("GET", url, headers=adapter.auth(creds), params=params).json()
        if not isinstance(page, list) or not page:
            break
        for status in page:
            created = parse_time(status.get("created_at"))
            if created and created < since:
                return found
            if status.get("visibility") == "direct" or not status.get("id"):
                continue  # a private message is not a post
            count = status.get("replies_count")
            found.append(
                AccountPost(
                    external_id=str(status["id"]),
                    text=html_to_text(status.get("content", "")),
                    url=status.get("url") or "",
                    created_at=created,
                    comments_count=count if isinstance(count, int) else None,
                    raw=status,
                )
            )
        params["max_id"] = page[-1].get("id")
        if len(page) < PAGE_SIZE or not params["max_id"]:
            break
    return found[:RECENT_POSTS_LIMIT]
