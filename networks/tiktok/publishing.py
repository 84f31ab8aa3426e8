"""The Content Posting API: the creator-info check, the post's initialisation (direct post,
inbox upload, photos), the chunked file transfer and the status poll.

Chunk rules (Media Transfer Guide): each chunk 5 to 64 MB, sent in order with
``Content-Range``; the last may be larger than ``chunk_size`` (up to 128 MB) to carry the
trailing bytes; ``total_chunk_count`` is ``video_size // chunk_size``; a video under 5 MB (we
also send anything up to 64 MB) goes whole, as one chunk the size of the file; 1 to 1,000
chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

from networks.base import MediaItem, MediaKind, PermanentError, PublishResult
from networks.content import MB
from networks.tiktok import errors
from networks.tiktok.options import DIRECT, INBOX, privacy_label

API = "https://open.tiktokapis.com/v2"
WHOLE_UP_TO = 64 * MB  # a file this size or smaller goes in one chunk
CHUNK = 10 * MB  # within 5..64 MB, so the last chunk stays under 20 MB (limit 128 MB)
MAX_CHUNKS = 1000
PHOTO_TITLE_MAX = 90  # a photo post's title; the text goes in its description (4,000)

# Terminal statuses of status/fetch; the others (PROCESSING_UPLOAD, PROCESSING_DOWNLOAD) wait.
COMPLETE, IN_INBOX, FAILED = "PUBLISH_COMPLETE", "SEND_TO_USER_INBOX", "FAILED"


@dataclass(frozen=True)
class CreatorInfo:
    """POST /v2/post/publish/creator_info/query/: what this creator may post right now."""

    privacy_levels: tuple[str, ...]
    comment_disabled: bool
    duet_disabled: bool
    stitch_disabled: bool
    max_video_seconds: int | None
    username: str = ""

    @classmethod
    def from_data(cls, data: dict) -> CreatorInfo:
        seconds = data.get("max_video_post_duration_sec")
        return cls(
            privacy_levels=tuple(str(v) for v in data.get("privacy_level_options") or ()),
            comment_disabled=bool(data.get("comment_disabled")),
            duet_disabled=bool(data.get("duet_disabled")),
            stitch_disabled=bool(data.get("stitch_disabled")),
            max_video_seconds=int(seconds) if isinstance(seconds, int | float) else None,
            username=str(data.get("creator_username") or ""),
        )


def chunk_plan(size: int) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) for a file of ``size`` bytes, by TikTok's rules."""
    if size <= WHOLE_UP_TO:
        return size, 1
    return CHUNK, size // CHUNK


def chunk_ranges(size: int) -> list[tuple[int, int]]:
    """[(first byte, last byte)] of each chunk: the last one takes the trailing bytes."""
    chunk_size, count = chunk_plan(size)
    ranges = [(i * chunk_size, (i + 1) * chunk_size - 1) for i in range(count)]
    ranges[-1] = (ranges[-1][0], size - 1)
    return ranges


def _refuse(explanation: str, code: str) -> PermanentError:
    return PermanentError(f"TikTok: {explanation}", code=code, network="tiktok")


def check_against_creator(info: CreatorInfo, options: dict, media: list[MediaItem]) -> str:
    """The privacy level to send, after the checks TikTok requires before a direct post: a
    level the creator allows, a video no longer than they may post, branded content not
    private. Refusals are PermanentError with a code of their own."""
    level = str(options.get("privacy_level") or "")
    if not level:
        raise _refuse("choose who can watch the post (privacy level)", "privacy_level_required")
    if level not in info.privacy_levels:
        allowed = ", ".join(privacy_label(v) for v in info.privacy_levels) or "none"
        raise _refuse(
            f"this account does not allow the privacy level '{privacy_label(level)}' "
            f"(it allows: {allowed})",
            "privacy_level_not_allowed",
        )
    if options.get("brand_content_toggle") and level == "SELF_ONLY":
        raise _refuse(
            "a paid partnership (branded content) cannot be private: choose who can watch",
            "branded_content_private",
        )
    for item in media:
        seconds = item.duration_seconds
        limit = info.max_video_seconds
        if item.kind == MediaKind.VIDEO and seconds and limit and seconds > limit:
            raise _refuse(
                f"this account may post videos of up to {limit} seconds; "
                f"this one lasts {seconds:.0f}",
                "video_longer_than_creator_allows",
            )
    return level


def post_info(info: CreatorInfo, options: dict, title: str, level: str) -> dict:
    """The ``post_info`` of a direct post. An interaction the creator turned off in the app
    stays off whatever was chosen (creator_info's ``*_disabled``)."""
    return {
        "title": title,
        "privacy_level": level,
        "disable_comment": bool(options.get("disable_comment")) or info.comment_disabled,
        "disable_duet": bool(options.get("disable_duet")) or info.duet_disabled,
        "disable_stitch": bool(options.get("disable_stitch")) or info.stitch_disabled,
        "video_cover_timestamp_ms": int(options.get("video_cover_timestamp_ms") or 1000),
        "brand_content_toggle": bool(options.get("brand_content_toggle")),
        "brand_organic_toggle": bool(options.get("brand_organic_toggle")),
    }


class Publisher:
    """One publication through ``adapter`` (its request plumbing, sleep and poll settings)."""

    def __init__(self, adapter, creds):
        self.adapter = adapter
        self.creds = creds

    def call(self, path: str, payload: dict | None = None, *, idempotent=True, params=None):
        response = self.adapter.request(
            "POST",
            f"{API}/{path}",
            headers={**self.adapter.auth(self.creds), "Content-Type": "application/json"},
            json=payload if payload is not None else {},
            params=params,
            idempotent=idempotent,
        )
        return errors.data_of(response)

    def creator_info(self) -> CreatorInfo:
        return CreatorInfo.from_data(self.call("post/publish/creator_info/query/"))

    def video(self, item: MediaItem, options: dict, title: str) -> PublishResult:
        mode = options.get("mode") or DIRECT
        payload: dict = {}
        if mode == INBOX:
            path = "post/publish/inbox/video/init/"
        else:
            info = self.creator_info()
            level = check_against_creator(info, options, [item])
            path = "post/publish/video/init/"
            payload["post_info"] = post_info(info, options, title, level)
        data = None
        if item.url and not (item.data or item.path):
            payload["source_info"] = {"source": "PULL_FROM_URL", "video_url": item.url}
        else:
            data = self.adapter.media_bytes(item)
            chunk_size, count = chunk_plan(len(data))
            if count > MAX_CHUNKS:
                raise _refuse("the video is too large to send", "video_too_large")
            payload["source_info"] = {
                "source": "FILE_UPLOAD",
                "video_size": len(data),
                "chunk_size": chunk_size,
                "total_chunk_count": count,
            }
        # Not idempotent: a lost answer may have created the post (OutcomeUnknown).
        started = self.call(path, payload, idempotent=False)
        publish_id = str(started.get("publish_id") or "")
        if not publish_id:
            raise _refuse("the post was not accepted (no publish_id)", "no_publish_id")
        if data is not None:
            self.upload(str(started.get("upload_url") or ""), data, item.mime_type)
        return self.wait(publish_id, inbox=mode == INBOX)

    def photos(self, media: list[MediaItem], options: dict, text: str) -> PublishResult:
        """Photo posts (POST /v2/post/publish/content/init/, media_type PHOTO): TikTok pulls
        the images from their URLs (no file upload for photos)."""
        mode = options.get("mode") or DIRECT
        urls = [item.url for item in media]
        if not all(urls):
            raise _refuse(
                "TikTok downloads photos itself: every image needs a public URL",
                "media_url_required",
            )
        title = text.split("\n", 1)[0][:PHOTO_TITLE_MAX]
        info_payload: dict = {"title": title, "description": text}
        if mode != INBOX:
            info = self.creator_info()
            level = check_against_creator(info, options, media)
            full = post_info(info, options, title, level)
            info_payload.update(
                {k: v for k, v in full.items() if k not in ("disable_duet", "disable_stitch")}
            )
            info_payload.pop("video_cover_timestamp_ms", None)
        payload = {
            "post_info": info_payload,
            "source_info": {
                "source": "PULL_FROM_URL",
                "photo_cover_index": 0,
                "photo_images": urls,
            },
            "post_mode": "MEDIA_UPLOAD" if mode == INBOX else "DIRECT_POST",
            "media_type": "PHOTO",
        }
        started = self.call("post/publish/content/init/", payload, idempotent=False)
        return self.wait(str(started.get("publish_id") or ""), inbox=mode == INBOX)

    def upload(self, upload_url: str, data: bytes, mime_type: str) -> None:
        """PUT each chunk in order with its Content-Range (206 until the last, then 201).
        Sending a chunk again is harmless, so these are idempotent."""
        if not upload_url:
            raise _refuse("TikTok gave no upload address", "no_upload_url")
        for first, last in chunk_ranges(len(data)):
            self.adapter.request(
                "PUT",
                upload_url,
                headers={
                    "Content-Type": mime_type or "video/mp4",
                    "Content-Range": f"bytes {first}-{last}/{len(data)}",
                },
                content=data[first : last + 1],
                idempotent=True,
            )

    def status(self, publish_id: str) -> dict:
        return self.call("post/publish/status/fetch/", {"publish_id": publish_id})

    def wait(self, publish_id: str, *, inbox: bool) -> PublishResult:
        """Poll status/fetch until the post is complete, in the creator's inbox, or failed.
        A post still processing when we stop waiting was accepted: it is not sent again
        (its publish id stands for it, with a warning)."""
        data: dict = {}
        for attempt in range(self.adapter.poll_attempts):
            data = self.status(publish_id)
            state = data.get("status")
            if state == FAILED:
                raise errors.failed_publication(str(data.get("fail_reason") or ""), raw=data)
            if state == IN_INBOX or (inbox and state == COMPLETE):
                return PublishResult(
                    external_id=publish_id,
                    raw=data,
                    warnings=["sent to the creator's TikTok inbox: they finish the post there"],
                )
            if state == COMPLETE:
                return self.adapter.completed(self.creds, publish_id, data)
            if attempt + 1 < self.adapter.poll_attempts:
                self.adapter.wait()
        return PublishResult(
            external_id=publish_id,
            raw=data,
            warnings=["TikTok was still processing the post when we stopped waiting"],
        )
