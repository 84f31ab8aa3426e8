"""What a Bluesky post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import ContentRules
from networks.text import count_graphemes

RULES = ContentRules(
    network=Network.BLUESKY,
    max_length=300,
    count=count_graphemes,
    max_media=4,
    allowed_kinds=frozenset({MediaKind.IMAGE}),
    # app.bsky.embed.images: each image blob at most 1,000,000 bytes.
    max_bytes={MediaKind.IMAGE: 1_000_000},
    allowed_mime_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
    thread=True,  # the link stays in the text (a link facet) and also becomes a card
    max_text_bytes=3_000,
)
