"""What an Instagram post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import MB, ContentRules
from networks.text import count_code_points

RULES = ContentRules(
    network=Network.INSTAGRAM,
    max_length=2_200,
    count=count_code_points,
    max_media=10,
    allowed_kinds=frozenset({MediaKind.IMAGE, MediaKind.VIDEO}),
    max_bytes={MediaKind.IMAGE: 8 * MB, MediaKind.VIDEO: 300 * MB},
    allowed_mime_types=frozenset({"image/jpeg", "video/mp4", "video/quicktime"}),
    max_videos=10,
    mix_images_and_video=True,  # carousels may mix
    media_required=True,
    max_hashtags=30,
    # IG User Media: "caption ... maximum 2200 characters, 30 hashtags, and 20 @ tags".
    max_mentions=20,
    first_comment=True,
)
