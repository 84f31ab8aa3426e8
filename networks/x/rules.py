"""What a X post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import IMG_GIF_VIDEO, MB, ContentRules
from networks.text import count_x

RULES = ContentRules(
    network=Network.X,
    max_length=280,
    count=count_x,
    max_media=4,
    allowed_kinds=IMG_GIF_VIDEO,
    max_bytes={MediaKind.IMAGE: 5 * MB, MediaKind.GIF: 15 * MB, MediaKind.VIDEO: 512 * MB},
    max_alt_text=1000,
    thread=True,
    # X Help "How to use hashtags": no more than two per post recommended (a warning); X
    # refuses a post identical to a recent one ("duplicate content", 403).
    recommended_max_hashtags=2,
    duplicate_refused=True,
    # X "Paid Partnerships Policy": an organic post of a paid partnership "must include #ad".
    disclosure_hashtags=frozenset({"ad"}),
)
