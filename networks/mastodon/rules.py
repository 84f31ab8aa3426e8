"""What a Mastodon post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import IMG_GIF_VIDEO, MB, ContentRules
from networks.text import count_mastodon

RULES = ContentRules(
    network=Network.MASTODON,
    max_length=500,
    count=count_mastodon,
    max_media=4,
    allowed_kinds=IMG_GIF_VIDEO,
    max_bytes={MediaKind.IMAGE: 16 * MB, MediaKind.GIF: 16 * MB, MediaKind.VIDEO: 99 * MB},
    max_alt_text=1500,
    thread=True,
)
