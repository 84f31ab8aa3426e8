"""The account's own recent videos (POST /v2/video/list/, scope video.list).

TikTok lists the creator's public videos, newest first, at most 20 a page; ``cursor`` (a
time in milliseconds) and ``has_more`` page on. ``create_time`` is in Unix seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime

from networks.base import RECENT_POSTS_LIMIT, AccountPost
from networks.tiktok import errors

API = "https://open.tiktokapis.com/v2"
FIELDS = "id,title,video_description,create_time,share_url,comment_count"
PAGE_SIZE = 20  # the API's maximum
MAX_PAGES = 5


def created(video: dict) -> datetime | None:
    value = video.get("create_time")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def caption(video: dict) -> str:
    return video.get("video_description") or video.get("title") or ""


def page(adapter, creds, cursor=None, *, fields: str = FIELDS) -> dict:
    body: dict = {"max_count": PAGE_SIZE}
    if cursor is not None:
        body["cursor"] = cursor
    response = adapter.request(
        "POST",
        f"{API}/video/list/",
        headers=adapter.auth(creds),
        params={"fields": fields},
        json=body,
        idempotent=True,
    )
    return errors.data_of(response)


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    found: list[AccountPost] = []
    cursor = None
    for _ in range(MAX_PAGES):
        data = page(adapter, creds, cursor)
        for video in data.get("videos") or []:
            when = created(video)
            if since and when and when < since:
                return found
            count = video.get("comment_count")
            found.append(
                AccountPost(
                    external_id=str(video["id"]),
                    text=caption(video),
                    url=video.get("share_url", ""),
                    created_at=when,
                    comments_count=count if isinstance(count, int) else None,
                    raw=video,
                )
            )
            if len(found) >= RECENT_POSTS_LIMIT:
                return found
        if not data.get("has_more") or data.get("cursor") is None:
            break
        cursor = data["cursor"]
    return found
