"""Publishing on Threads: media containers, waiting for them, publishing, and reading posts.

Every post is two steps: a container (``POST /{threads-user-id}/threads`` with ``media_type``
TEXT, IMAGE, VIDEO or CAROUSEL) then ``POST /{threads-user-id}/threads_publish`` with its
``creation_id``. A container is polled (``GET /{container-id}?fields=status,error_message``)
until ``FINISHED`` before it is published: videos take a while, and Threads advises waiting for
images too. A reply is a post whose container names ``reply_to_id``. A container that is never
published expires after 24 hours, so creating one again after a lost answer is harmless; only
``threads_publish`` is a write whose lost answer leaves the outcome unknown.
"""

from __future__ import annotations

from networks.base import (
    RECENT_POSTS_LIMIT,
    AccountPost,
    Credentials,
    MediaItem,
    MediaKind,
    PermanentError,
    PostContent,
    RateLimited,
    TransientError,
)
from networks.lookup import normalise_text, parse_time
from networks.rules import composed_text

POST_FIELDS = "id,text,permalink,timestamp,media_type,is_quote_post"
PAGE_SIZE = 25
# Threads' REPOST_FACADE is someone else's post reposted by the account: not the brand's.
NOT_OURS = {"REPOST_FACADE"}


def publishing_quota(adapter, creds: Credentials) -> tuple[int, int]:
    """(posts published through the API in the last 24 hours, allowed total: 250)."""
    body = adapter.get(
        f"{creds.external_id}/threads_publishing_limit", creds, fields="quota_usage,config"
    )
    entry = (body.get("data") or [{}])[0]
    total = (entry.get("config") or {}).get("quota_total", 250)
    return int(entry.get("quota_usage") or 0), int(total)


def check_quota(adapter, creds: Credentials, needed: int) -> None:
    used, total = publishing_quota(adapter, creds)
    if used + needed > total:
        raise RateLimited(
            f"Threads allows {total} API-published posts in 24 hours; {used} already",
            retry_after=None,
            network=adapter.network,
        )


def _public_url(adapter, item: MediaItem) -> str:
    if not item.url:
        raise PermanentError(
            "Threads downloads media itself: this file needs a public URL",
            code="media_url_required",
            network=adapter.network,
        )
    return item.url


def _media_fields(adapter, item: MediaItem) -> dict:
    if item.kind == MediaKind.VIDEO:
        return {"media_type": "VIDEO", "video_url": _public_url(adapter, item)}
    fields = {"media_type": "IMAGE", "image_url": _public_url(adapter, item)}
    if item.alt_text:
        fields["alt_text"] = item.alt_text
    return fields


def create_container(adapter, creds: Credentials, fields: dict) -> str:
    return adapter.post(f"{creds.external_id}/threads", creds, fields, idempotent=True)["id"]


def wait_finished(adapter, creds: Credentials, container_id: str) -> None:
    for attempt in range(adapter.poll_attempts):
        body = adapter.get(container_id, creds, fields="status,error_message")
        status = body.get("status")
        if status in ("FINISHED", "PUBLISHED"):
            return
        if status in ("ERROR", "EXPIRED"):
            raise PermanentError(
                f"Threads could not process the media ({status}): "
                f"{body.get('error_message') or 'no reason given'}",
                code=body.get("error_message") or status,
                network=adapter.network,
                raw=body,
            )
        if attempt + 1 < adapter.poll_attempts:
            adapter.wait()
    raise TransientError("Threads is still processing the media", network=adapter.network)


def main_container(adapter, creds: Credentials, content: PostContent, text: str) -> str:
    media = content.media
    if not media:
        return create_container(adapter, creds, {"media_type": "TEXT", "text": text})
    if len(media) == 1:
        fields = _media_fields(adapter, media[0])
        if text:
            fields["text"] = text
        return create_container(adapter, creds, fields)
    children = [
        create_container(adapter, creds, {**_media_fields(adapter, m), "is_carousel_item": "true"})
        for m in media
    ]
    for child in children:
        wait_finished(adapter, creds, child)
    fields = {"media_type": "CAROUSEL", "children": ",".join(children)}
    if text:
        fields["text"] = text
    return create_container(adapter, creds, fields)


def publish_container(adapter, creds: Credentials, container_id: str) -> str:
    wait_finished(adapter, creds, container_id)
    body = adapter.post(
        f"{creds.external_id}/threads_publish", creds, {"creation_id": container_id}
    )
    return str(body["id"])


def publish_reply(adapter, creds: Credentials, parent_id: str, text: str) -> str:
    container = create_container(
        adapter, creds, {"media_type": "TEXT", "text": text, "reply_to_id": parent_id}
    )
    return publish_container(adapter, creds, container)


def post_text(adapter, content: PostContent) -> str:
    """The text publish sends (the link appended: Threads previews the first link)."""
    return composed_text(content, adapter.rules())


def listed_kind(content: PostContent) -> str:
    """The ``media_type`` Threads lists the post publish makes for ``content`` as."""
    if not content.media:
        return "TEXT_POST"
    if len(content.media) > 1:
        return "CAROUSEL_ALBUM"
    return "VIDEO" if content.media[0].kind == MediaKind.VIDEO else "IMAGE"


def lookup_key(text: str, kind: str) -> str:
    """Text and kind together: a media post without text must not look like another one."""
    return f"{normalise_text(text)}\n{kind}"


def recent_posts(adapter, creds: Credentials, since) -> list[AccountPost]:
    """GET /{threads-user-id}/threads since ``since``, newest first, by ``after`` cursor."""
    found: list[AccountPost] = []
    params: dict = {"fields": POST_FIELDS, "limit": PAGE_SIZE, "since": int(since.timestamp())}
    while len(found) < RECENT_POSTS_LIMIT:
        body = adapter.get(f"{creds.external_id}/threads", creds, **params)
        for item in body.get("data") or []:
            created = parse_time(item.get("timestamp"))
            if created and created < since:
                return found
            if not item.get("id") or item.get("media_type") in NOT_OURS:
                continue
            found.append(
                AccountPost(
                    external_id=str(item["id"]),
                    text=item.get("text") or "",
                    url=item.get("permalink") or "",
                    created_at=created,
                    raw=item,
                )
            )
        paging = body.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        if not paging.get("next") or not after:
            break
        params["after"] = after
    return found[:RECENT_POSTS_LIMIT]
