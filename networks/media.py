"""The bytes of a media item to upload, downloaded through the outbound guard when needed."""

from __future__ import annotations

from .addresses import OutboundError, OutboundPolicy
from .base import MediaItem, PermanentError, TransientError
from .http import HttpSettings, redact_url
from .outbound import fetch

MAX_DOWNLOAD_BYTES = 600 * 1024 * 1024  # above the largest per-network media limit
MEDIA_DEADLINE_SECONDS = 300.0  # one whole media download, through the outbound guard


def media_bytes(item: MediaItem, *, policy: OutboundPolicy, settings: HttpSettings) -> bytes:
    """The bytes to upload: given directly, read from ``path``, or downloaded from ``url``."""
    data = item.local_bytes()
    if data is not None:
        return data
    if not item.url:
        raise PermanentError("a media item has neither data, path nor url", code="no_media")
    shown = redact_url(item.url)
    try:
        response = fetch(
            "GET",
            item.url,
            policy=policy,
            deadline_seconds=MEDIA_DEADLINE_SECONDS,
            max_bytes=MAX_DOWNLOAD_BYTES,
            max_redirects=5,
            settings=settings,
        )
    except OutboundError as exc:
        if exc.kind == OutboundError.TOO_LARGE:
            raise PermanentError("the media file is too large", code="media_too_large") from exc
        if exc.kind == OutboundError.UNREACHABLE:  # maybe down for now: worth a retry
            raise TransientError(f"could not download media: {exc}") from exc
        raise PermanentError(
            f"could not download media from {shown}: {exc}", code="media_download"
        ) from exc
    if response.is_error:
        raise PermanentError(
            f"could not download media from {shown} (HTTP {response.status_code})",
            code="media_download",
        )
    return response.content
