"""What a TikTok post may hold (sources in docs/networks.md).

The Content Posting API counts the title in UTF-16 code units ("2200 in UTF-16 runes"), so
an emoji outside the Basic Multilingual Plane counts 2.
"""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import MB, ContentRules

GB = 1024 * MB


def count_utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


RULES = ContentRules(
    network=Network.TIKTOK,
    max_length=2_200,
    count=count_utf16,
    max_media=35,  # a photo post takes up to 35 images; a video post one video
    allowed_kinds=frozenset({MediaKind.IMAGE, MediaKind.VIDEO}),
    max_bytes={MediaKind.IMAGE: 20 * MB, MediaKind.VIDEO: 4 * GB},
    allowed_mime_types=frozenset(
        {"video/mp4", "video/webm", "video/quicktime", "image/jpeg", "image/webp"}
    ),
    max_videos=1,
    mix_images_and_video=False,
    media_required=True,
)
