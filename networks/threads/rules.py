"""What a Threads post may hold (Threads API "Posts" and media specifications; docs/networks.md).

Text is 500 characters, an emoji counting as the number of its UTF-8 bytes (Threads' own rule:
a four-byte emoji takes four of the 500). A post holds one image or one video, or a carousel of
2 to 20 that may mix them. Images are JPEG or PNG up to 8 MB, between 1:10 and 10:1; videos
MOV or MP4 up to 1 GB and 5 minutes, between 0.01:1 and 10:1. Threads downloads the media
itself from a public URL.
"""

from __future__ import annotations

import unicodedata

import regex

from networks.base import MediaKind, Network
from networks.content import MB, ContentRules

MAX_TEXT = 500
MAX_CAROUSEL = 20
# Code points Threads counts as emoji: pictographs, and what joins or modifies them (ZWJ,
# variation selectors, skin tones, keycaps, regional-indicator flags, tag sequences).
_EMOJI = regex.compile(
    r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}"
    r"\u200d\ufe0f\u20e3\U000e0020-\U000e007f]"
)


def count_threads(text: str) -> int:
    """Characters as Threads counts them: one each, except emoji, which count their bytes."""
    text = unicodedata.normalize("NFC", text)
    return sum(len(char.encode("utf-8")) if _EMOJI.match(char) else 1 for char in text)


RULES = ContentRules(
    network=Network.THREADS,
    max_length=MAX_TEXT,
    count=count_threads,
    max_media=MAX_CAROUSEL,
    allowed_kinds=frozenset({MediaKind.IMAGE, MediaKind.VIDEO}),
    max_bytes={MediaKind.IMAGE: 8 * MB, MediaKind.VIDEO: 1024 * MB},
    allowed_mime_types=frozenset({"image/jpeg", "image/png", "video/mp4", "video/quicktime"}),
    max_videos=MAX_CAROUSEL,
    mix_images_and_video=True,  # a carousel may mix them
    thread=True,  # follow-up posts are published as replies to the previous one
    aspect_ratios={MediaKind.IMAGE: (0.1, 10.0), MediaKind.VIDEO: (0.01, 10.0)},
    video_duration=(0.0, 300.0),
)
