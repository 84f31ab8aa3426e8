"""Building a pin (POST /v5/pins), uploading a video for it, and reading the account's pins.

A pin is created in one call once its media is ready: an image goes as ``image_url`` (Pinterest
fetches a public URL itself) or ``image_base64``; a video is registered (POST /v5/media), sent
to the upload URL with the parameters Pinterest returned (a multipart POST to its storage),
then polled (GET /v5/media/{media_id}) until ``succeeded`` before the pin names it as a
``video_id`` source with a cover.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from networks.base import (
    RECENT_POSTS_LIMIT,
    AccountPost,
    Credentials,
    MediaItem,
    MediaKind,
    PermanentError,
    PostContent,
    TransientError,
)
from networks.lookup import normalise_text, parse_time

PAGE_SIZE = 100  # the largest page the list endpoints take
LOOKUP_PAGE_SIZE = 25
# The frame a video pin's cover is taken from when no cover image is given (seconds; the
# first frame is often black, and every pin video lasts at least 4 seconds).
COVER_KEY_FRAME_SECONDS = 1
BASE64_TYPES = {"image/jpeg", "image/png"}


def pin_url(pin_id: str) -> str:
    return f"https://www.pinterest.com/pin/{pin_id}/"


def option(content: PostContent, name: str) -> str:
    value = content.options.get(name)
    return str(value).strip() if value not in (None, "") else ""


def destination_link(content: PostContent) -> str:
    """The pin's destination: the ``link`` option, else the post's own link."""
    return option(content, "link") or content.link


def board_id(content: PostContent) -> str:
    """The chosen board; checked before any upload (a video sent for nothing takes minutes)."""
    chosen = option(content, "board_id")
    if not chosen:
        raise PermanentError(
            "a Pinterest pin needs a board: choose one of the account's boards",
            code="option_required",
            network="pinterest",
        )
    return chosen


def pin_body(content: PostContent, media_source: dict) -> dict:
    """What POST /v5/pins is sent (and what a lookup recognises: the description)."""
    body: dict = {"board_id": board_id(content), "media_source": media_source}
    if content.text:
        body["description"] = content.text
    title = option(content, "title") or content.link_title
    if title:
        body["title"] = title
    link = destination_link(content)
    if link:
        body["link"] = link
    alt = content.media[0].alt_text if content.media else ""
    if alt:
        body["alt_text"] = alt
    return body


def image_source(adapter, item: MediaItem) -> dict:
    if item.url and item.local_bytes() is None:
        return {"source_type": "image_url", "url": item.url}
    if item.mime_type not in BASE64_TYPES:
        raise PermanentError(
            f"Pinterest takes PNG or JPEG images, not {item.mime_type}",
            code="media_type_not_allowed",
            network="pinterest",
        )
    data = base64.b64encode(adapter.media_bytes(item)).decode("ascii")
    return {"source_type": "image_base64", "content_type": item.mime_type, "data": data}


def video_source(adapter, creds: Credentials, item: MediaItem) -> dict:
    media_id = upload_video(adapter, creds, item)
    return {
        "source_type": "video_id",
        "media_id": media_id,
        "cover_image_key_frame_time": COVER_KEY_FRAME_SECONDS,
    }


def media_source(adapter, creds: Credentials, content: PostContent) -> dict:
    if len(content.media) != 1:
        raise PermanentError(
            "a Pinterest pin holds exactly one image or one video",
            code="media_required" if not content.media else "too_many_media",
            network="pinterest",
        )
    item = content.media[0]
    if item.kind == MediaKind.VIDEO:
        return video_source(adapter, creds, item)
    return image_source(adapter, item)


def upload_video(adapter, creds: Credentials, item: MediaItem) -> str:
    data = adapter.media_bytes(item)
    # A registration is not a pin (an unused one is never published): safe to repeat.
    registered = adapter.call(
        "POST", "/media", creds, json={"media_type": "video"}, idempotent=True
    ).json()
    media_id = str(registered["media_id"])
    adapter.request(
        "POST",
        registered["upload_url"],
        data=registered.get("upload_parameters") or {},
        files={"file": ("video", data, item.mime_type or "video/mp4")},
        idempotent=True,
    )
    wait_until_processed(adapter, creds, media_id)
    return media_id


def wait_until_processed(adapter, creds: Credentials, media_id: str) -> None:
    for attempt in range(adapter.poll_attempts):
        body = adapter.call("GET", f"/media/{media_id}", creds).json()
        status = body.get("status")
        if status == "succeeded":
            return
        if status == "failed":
            raise PermanentError(
                "Pinterest could not process the video",
                code="media_failed",
                network="pinterest",
                raw=body,
            )
        if attempt + 1 < adapter.poll_attempts:
            adapter.wait()
    raise TransientError("Pinterest is still processing the video", network="pinterest")


def created_at(pin: dict) -> datetime | None:
    """Pinterest's times are UTC, written without an offset (``2020-01-01T20:10:40``)."""
    when = parse_time(pin.get("created_at"))
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def pin_key(pin: dict) -> str:
    """What recognises a pin: its description, title and link together (a pin may have no
    description, and two pins without one must not look alike)."""
    parts = (pin.get("description"), pin.get("title"), pin.get("link"))
    return "\n".join(normalise_text(part or "") for part in parts)


def sent_key(content: PostContent) -> str:
    """The same key for what publish sends for ``content`` (built by pin_body's rules)."""
    title = option(content, "title") or content.link_title
    return pin_key({"description": content.text, "title": title, "link": destination_link(content)})


def recent_pins(adapter, creds: Credentials, since: datetime) -> list[AccountPost]:
    """The account's own pins (GET /v5/pins, saved pins of others left out), newest first,
    paged by ``bookmark`` until one older than ``since``."""
    found: list[AccountPost] = []
    bookmark = ""
    while len(found) < RECENT_POSTS_LIMIT:
        params = {"page_size": PAGE_SIZE, "pin_filter": "exclude_repins"}
        if bookmark:
            params["bookmark"] = bookmark
        body = adapter.call("GET", "/pins", creds, params=params).json()
        for pin in body.get("items") or []:
            when = created_at(pin)
            if when and when < since:
                return found
            if not pin.get("id"):
                continue
            found.append(
                AccountPost(
                    external_id=str(pin["id"]),
                    text=pin.get("description") or pin.get("title") or "",
                    url=pin_url(str(pin["id"])),
                    created_at=when,
                    raw=pin,
                )
            )
        bookmark = body.get("bookmark") or ""
        if not bookmark:
            break
    return found[:RECENT_POSTS_LIMIT]
