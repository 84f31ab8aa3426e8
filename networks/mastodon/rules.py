"""What a Mastodon post may hold (sources in docs/networks.md)."""

from __future__ import annotations

from networks.base import MediaKind, Network
from networks.content import IMG_GIF_VIDEO, MB, ContentRules
from networks.options import PAID_PARTNERSHIP, OptionKind, PublishOption
from networks.text import count_mastodon

RULES = ContentRules(
    network=Network.MASTODON,
    max_length=500,
    count=count_mastodon,
    max_media=4,
    allowed_kinds=IMG_GIF_VIDEO,
    max_bytes={MediaKind.IMAGE: 16 * MB, MediaKind.GIF: 16 * MB, MediaKind.VIDEO: 99 * MB},
    max_alt_text=1500,
    thread=True,
)

# The statuses API's own choices: who sees the post, and a content warning shown before it.
PUBLISH_OPTIONS = (
    PublishOption(
        "visibility",
        "Visibility",
        OptionKind.CHOICE,
        choices=(
            ("public", "Public"),
            ("unlisted", "Quiet public"),
            ("private", "Followers only"),
        ),
        help_text="Empty: public.",
    ),
    PublishOption(
        "spoiler_text",
        "Content warning",
        max_length=500,
        help_text="Shown before the post, which stays hidden until opened.",
    ),
    PAID_PARTNERSHIP,
)
