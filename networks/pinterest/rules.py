"""What a Pinterest pin may hold (Pinterest product specs, standard pins; docs/networks.md).

A pin is one image or one video: its description is the post's text (500 characters), its
title and destination link are publishing options (networks.pinterest.adapter). Images are
PNG or JPEG up to 20 MB (the desktop limit; the app allows 32 MB); videos .mp4, .mov or
.m4v, up to 2 GB, 4 seconds to 15 minutes, shorter than 1:2 (width:height) and taller than
1.91:1.
"""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import MB, ContentRules
from networks.text import count_code_points

GB = 1024 * MB
TITLE_MAX = 100
DESCRIPTION_MAX = 500

RULES = ContentRules(
    network=Network.PINTEREST,
    max_length=DESCRIPTION_MAX,
    count=count_code_points,
    max_media=1,
    allowed_kinds=frozenset({MediaKind.IMAGE, MediaKind.VIDEO}),
    max_bytes={MediaKind.IMAGE: 20 * MB, MediaKind.VIDEO: 2 * GB},
    allowed_mime_types=frozenset(
        {"image/jpeg", "image/png", "video/mp4", "video/quicktime", "video/x-m4v"}
    ),
    media_required=True,
    max_alt_text=500,
    link_as_text=False,  # the destination link is the pin's own field
    aspect_ratios={MediaKind.VIDEO: (1 / 2, 1.91)},
    video_duration=(4.0, 15 * 60.0),
)
