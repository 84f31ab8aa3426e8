"""What a Google Business Profile local post may hold (sources in docs/networks.md).

``LocalPost.summary`` takes 1,500 characters; the post carries at most one photo, which Google
fetches itself from a public ``sourceUrl`` (JPG or PNG, 10 KB to 5 MB, at least 250 x 250
pixels in the Business Profile photo guidelines). No video through the API. The link travels as
the post's button (``callToAction.url``), not in the text.
"""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import MB, ContentRules
from networks.text import count_code_points

RULES = ContentRules(
    network=Network.GOOGLE_BUSINESS,
    max_length=1_500,
    count=count_code_points,
    max_media=1,
    allowed_kinds=frozenset({MediaKind.IMAGE}),
    max_bytes={MediaKind.IMAGE: 5 * MB},
    allowed_mime_types=frozenset({"image/jpeg", "image/png"}),
    min_dimensions={MediaKind.IMAGE: (250, 250)},
    link_as_text=False,  # sent as the call-to-action button's URL
)
