"""What a TikTok post may hold (sources in docs/networks.md).

Sizes, formats and durations from the Content Posting API's media restrictions (a photo: JPEG
or WebP, 20 MB; a video: MP4, WebM or MOV, 4 GB). The title is counted in UTF-16 code units
("2200 in UTF-16 runes"), so an emoji outside the Basic Multilingual Plane counts 2.
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
    # Content Posting API media restrictions: video sides 360 to 4,096 px; every creator may
    # post up to 10 minutes (creator_info says their own, lower, limit), 3 seconds at least.
    min_dimensions={MediaKind.VIDEO: (360, 360)},
    video_duration=(3.0, 600.0),
    # The Content Posting API's own disclosure: brand_content_toggle ("Paid partnership").
    paid_partnership_flag="brand_content_toggle",
)
