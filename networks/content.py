"""The shape of a network's content rules, and of a broken rule.

Each network declares its rules in networks/<name>/rules.py; networks/rules.py checks content
against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .base import MediaKind

MB = 1024 * 1024
# The media kinds most networks take.
IMG_GIF_VIDEO = frozenset({MediaKind.IMAGE, MediaKind.GIF, MediaKind.VIDEO})


@dataclass(frozen=True)
class ContentRules:
    network: str
    max_length: int
    count: Callable[[str], int]
    max_media: int
    allowed_kinds: frozenset[MediaKind]
    max_bytes: dict[MediaKind, int] = field(default_factory=dict)
    allowed_mime_types: frozenset[str] | None = None  # None: any of the allowed kinds
    max_videos: int = 1
    mix_images_and_video: bool = False
    media_required: bool = False
    max_hashtags: int | None = None
    max_alt_text: int | None = None
    thread: bool = False
    first_comment: bool = False
    link_as_text: bool = True  # the link is appended to the text and counts in its length
    max_text_bytes: int | None = None  # a limit on the UTF-8 size too (Bluesky)
    # Checked only when the media's size in pixels or duration is known (MediaItem fields):
    # the smallest (width, height) per kind, the (narrowest, widest) width/height ratio per
    # kind, and the (shortest, longest) video in seconds.
    min_dimensions: dict[MediaKind, tuple[int, int]] = field(default_factory=dict)
    aspect_ratios: dict[MediaKind, tuple[float, float]] = field(default_factory=dict)
    video_duration: tuple[float, float] | None = None
    # Characters the network refuses in the text (YouTube descriptions: "<" and ">").
    forbidden_characters: frozenset[str] = frozenset()
    # The networks' content policies (networks.policy): the publish option that is the
    # network's own paid-partnership label ("" : the disclosure must be in the text), the most
    # @mentions it takes, the hashtags it recommends at most (a warning), and whether it
    # refuses a post identical to a recent one of the same account.
    paid_partnership_flag: str = ""
    # The only hashtags the network's policy accepts as the disclosure (X: #ad); empty: any of
    # networks.policy's disclosures.
    disclosure_hashtags: frozenset[str] = frozenset()
    max_mentions: int | None = None
    recommended_max_hashtags: int | None = None
    duplicate_refused: bool = False


@dataclass(frozen=True)
class RuleViolation:
    code: str
    message: str
    field: str
    params: dict = field(default_factory=dict)
    # "error": the network refuses it (or its policy forbids it); "warning": it recommends.
    severity: str = "error"
