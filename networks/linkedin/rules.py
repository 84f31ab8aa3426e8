"""What a LinkedIn post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import MB, ContentRules
from networks.text import count_code_points

RULES = ContentRules(
    network=Network.LINKEDIN,
    max_length=3_000,
    count=count_code_points,
    max_media=20,
    allowed_kinds=frozenset({MediaKind.IMAGE, MediaKind.GIF, MediaKind.VIDEO}),
    max_bytes={MediaKind.IMAGE: 36 * MB, MediaKind.GIF: 36 * MB, MediaKind.VIDEO: 500 * MB},
    first_comment=True,
    link_as_text=False,  # sent as an article content card
    duplicate_refused=True,  # Posts API: 422 "Content is a duplicate"
)
