"""What a Facebook post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import IMG_GIF_VIDEO, MB, ContentRules
from networks.text import count_code_points

RULES = ContentRules(
    network=Network.FACEBOOK,
    max_length=63_206,
    count=count_code_points,
    max_media=10,
    allowed_kinds=IMG_GIF_VIDEO,
    max_bytes={MediaKind.IMAGE: 10 * MB, MediaKind.GIF: 10 * MB, MediaKind.VIDEO: 1024 * MB},
    first_comment=True,
    link_as_text=False,  # sent as the ``link`` field: a preview card
    duplicate_refused=True,  # Graph API error 506: "Duplicate status message"
)
