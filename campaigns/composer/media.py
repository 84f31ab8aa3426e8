"""Media assets and media URLs as the networks' MediaItem."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlsplit

from campaigns.media_links import media_public_url
from campaigns.models import MediaAsset
from networks.base import MediaItem
from networks.base import MediaKind as NetworkMediaKind


def media_item(asset: MediaAsset) -> MediaItem:
    return MediaItem(
        kind=NetworkMediaKind(asset.kind),
        mime_type=asset.mime_type,
        size=asset.size,
        path=asset.file.path if _has_path(asset) else None,
        # For the networks that fetch media themselves; the others upload the file's bytes.
        url=media_public_url(asset),
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
        alt_text=asset.alt_text,
    )


def _has_path(asset: MediaAsset) -> bool:
    try:
        asset.file.path  # noqa: B018 - storage without local paths raises
    except (NotImplementedError, ValueError):
        return False
    return True


def media_item_from_url(url: str) -> MediaItem:
    mime = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    if mime == "image/gif":
        kind = NetworkMediaKind.GIF
    elif mime.startswith("video/"):
        kind = NetworkMediaKind.VIDEO
    else:
        kind = NetworkMediaKind.IMAGE
    return MediaItem(kind=kind, mime_type=mime, url=url)
