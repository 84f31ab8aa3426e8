"""Content rules per network, and how each network counts length.

The composer (live feedback) and the publishing engine (last check before sending) both call
:func:`check_content`. It never raises on bad content: it returns every
:class:`RuleViolation`, each with a stable ``code``, its ``params`` and an English message, so
the Django side can translate by code.

How length is counted (see docs/networks.md for sources):

* X: twitter-text v3 weighting. Text is NFC-normalised; each URL (with or without scheme)
  counts 23; code points in the "light" ranges weigh 1, others (CJK...) 2; an emoji sequence
  (with skin tone, ZWJ family...) weighs 2 as a whole. Limit 280.
* Mastodon: grapheme clusters; URLs with an http(s) scheme count 23; ``@user@domain`` counts
  as ``@user``. Limit from the instance (default 500).
* Bluesky: grapheme clusters of the text as stored (links are not shortened). Limit 300, and
  at most 3,000 bytes of UTF-8 (app.bsky.feed.post: ``maxGraphemes`` 300, ``maxLength``
  3000): 300 emoji families are 300 graphemes but 7,500 bytes, and the PDS refuses them.
* Facebook, Instagram, LinkedIn: Unicode code points after NFC normalisation.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import regex

from .base import MediaKind, Network, PostContent

MB = 1024 * 1024

# ----------------------------------------------------------------------------- counting

_GRAPHEME = regex.compile(r"\X")
_TRAILING_PUNCT = ".,:;!?'\")]}"

# Enough generic TLDs for the texts agencies write; every two-letter TLD is a country code.
_GENERIC_TLDS = (
    "com|org|net|edu|gov|int|mil|info|biz|name|pro|app|dev|io|ai|co|me|tv|shop|store|online|"
    "site|tech|blog|news|media|agency|digital|social|xyz|top|club|live|art|design|cloud|africa|"
    "paris|ovh|asia|eu|studio|world|email|link|page|fun|space|website"
)
_SCHEME_URL = regex.compile(r"(?i)\bhttps?://[^\s<>\"]+")
_BARE_URL = regex.compile(
    r"(?i)(?<![\w@.\-/#])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+"
    rf"(?:{_GENERIC_TLDS}|[a-z]{{2}})(?![\w\-])(?::\d{{1,5}})?(?:/[^\s<>\"]*)?"
)
_MASTODON_MENTION = regex.compile(r"(?<![\w/])@(\w+)@[\w.\-]+\w")
_HASHTAG = regex.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")

X_URL_LENGTH = 23
MASTODON_URL_LENGTH = 23


def _strip_trailing(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCT:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def find_urls(text: str, *, schemeless: bool = True) -> list[tuple[int, int]]:
    """Spans of URLs in ``text``; ``schemeless`` also finds ``example.com/page``."""
    spans: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(text):
        url = _strip_trailing(match.group())
        spans.append((match.start(), match.start() + len(url)))
    if schemeless:
        for match in _BARE_URL.finditer(text):
            start = match.start()
            if any(s <= start < e for s, e in spans):
                continue
            url = _strip_trailing(match.group())
            spans.append((start, start + len(url)))
    return sorted(spans)


def count_graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def count_code_points(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def count_mastodon(text: str, *, url_length: int = MASTODON_URL_LENGTH) -> int:
    """Mastodon's StatusLengthValidator: graphemes, http(s) URLs as 23, mentions sans domain."""
    text = _MASTODON_MENTION.sub(lambda m: "@" + m.group(1), text)
    total, cursor = 0, 0
    for start, end in find_urls(text, schemeless=False):
        total += count_graphemes(text[cursor:start]) + url_length
        cursor = end
    return total + count_graphemes(text[cursor:])


# twitter-text v3 configuration (config/v3.json in the twitter-text repository).
_X_SCALE = 100
_X_DEFAULT_WEIGHT = 200
_X_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))
_EMOJI_CLUSTER = regex.compile(
    r"\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Emoji_Modifier}"
    r"|\p{Regional_Indicator}|\u20E3|\p{Extended_Pictographic}\u200D"
)


def _x_code_point_weight(char: str) -> int:
    code = ord(char)
    for start, end, weight in _X_RANGES:
        if start <= code <= end:
            return weight
    return _X_DEFAULT_WEIGHT


def _x_weight(segment: str) -> int:
    weight = 0
    for cluster in _GRAPHEME.findall(segment):
        if _EMOJI_CLUSTER.search(cluster):
            weight += _X_DEFAULT_WEIGHT
        else:
            weight += sum(_x_code_point_weight(c) for c in cluster)
    return weight


def count_x(text: str) -> int:
    """Weighted length as X counts it (twitter-text v3): the number compared with 280."""
    text = unicodedata.normalize("NFC", text)
    weighted, cursor = 0, 0
    for start, end in find_urls(text):
        weighted += _x_weight(text[cursor:start]) + X_URL_LENGTH * _X_SCALE
        cursor = end
    weighted += _x_weight(text[cursor:])
    return weighted // _X_SCALE


def count_hashtags(text: str) -> int:
    return len(_HASHTAG.findall(text))


# ----------------------------------------------------------------------------- rules


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


@dataclass(frozen=True)
class RuleViolation:
    code: str
    message: str
    field: str
    params: dict = field(default_factory=dict)


_IMG_GIF_VIDEO = frozenset({MediaKind.IMAGE, MediaKind.GIF, MediaKind.VIDEO})

RULES: dict[Network, ContentRules] = {
    Network.MASTODON: ContentRules(
        network=Network.MASTODON,
        max_length=500,
        count=count_mastodon,
        max_media=4,
        allowed_kinds=_IMG_GIF_VIDEO,
        max_bytes={MediaKind.IMAGE: 16 * MB, MediaKind.GIF: 16 * MB, MediaKind.VIDEO: 99 * MB},
        max_alt_text=1500,
        thread=True,
    ),
    Network.BLUESKY: ContentRules(
        network=Network.BLUESKY,
        max_length=300,
        count=count_graphemes,
        max_media=4,
        allowed_kinds=frozenset({MediaKind.IMAGE}),
        # app.bsky.embed.images: each image blob at most 1,000,000 bytes.
        max_bytes={MediaKind.IMAGE: 1_000_000},
        allowed_mime_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
        thread=True,  # the link stays in the text (a link facet) and also becomes a card
        max_text_bytes=3_000,
    ),
    Network.X: ContentRules(
        network=Network.X,
        max_length=280,
        count=count_x,
        max_media=4,
        allowed_kinds=_IMG_GIF_VIDEO,
        max_bytes={MediaKind.IMAGE: 5 * MB, MediaKind.GIF: 15 * MB, MediaKind.VIDEO: 512 * MB},
        max_alt_text=1000,
        thread=True,
    ),
    Network.FACEBOOK: ContentRules(
        network=Network.FACEBOOK,
        max_length=63_206,
        count=count_code_points,
        max_media=10,
        allowed_kinds=_IMG_GIF_VIDEO,
        max_bytes={MediaKind.IMAGE: 10 * MB, MediaKind.GIF: 10 * MB, MediaKind.VIDEO: 1024 * MB},
        first_comment=True,
        link_as_text=False,  # sent as the ``link`` field: a preview card
    ),
    Network.INSTAGRAM: ContentRules(
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
        first_comment=True,
    ),
    Network.LINKEDIN: ContentRules(
        network=Network.LINKEDIN,
        max_length=3_000,
        count=count_code_points,
        max_media=20,
        allowed_kinds=frozenset({MediaKind.IMAGE, MediaKind.GIF, MediaKind.VIDEO}),
        max_bytes={MediaKind.IMAGE: 36 * MB, MediaKind.GIF: 36 * MB, MediaKind.VIDEO: 500 * MB},
        first_comment=True,
        link_as_text=False,  # sent as an article content card
    ),
}


def rules_for(network: str, **instance_limits) -> ContentRules:
    """The rules for ``network``, adjusted by what an instance reports (Mastodon).

    Accepted ``instance_limits``: ``max_characters``, ``max_media_attachments``,
    ``image_size_limit``, ``video_size_limit``, ``characters_reserved_per_url``,
    ``supported_mime_types``, ``description_limit`` (names as in GET /api/v2/instance).
    """
    rules = RULES[Network(network)]
    changes: dict = {}
    if instance_limits.get("max_characters"):
        changes["max_length"] = int(instance_limits["max_characters"])
    if instance_limits.get("max_media_attachments"):
        changes["max_media"] = int(instance_limits["max_media_attachments"])
    if instance_limits.get("description_limit"):
        changes["max_alt_text"] = int(instance_limits["description_limit"])
    sizes = dict(rules.max_bytes)
    if instance_limits.get("image_size_limit"):
        sizes[MediaKind.IMAGE] = sizes[MediaKind.GIF] = int(instance_limits["image_size_limit"])
    if instance_limits.get("video_size_limit"):
        sizes[MediaKind.VIDEO] = int(instance_limits["video_size_limit"])
    if sizes != rules.max_bytes:
        changes["max_bytes"] = sizes
    if instance_limits.get("supported_mime_types"):
        changes["allowed_mime_types"] = frozenset(instance_limits["supported_mime_types"])
    url_length = instance_limits.get("characters_reserved_per_url")
    if url_length and rules.network == Network.MASTODON:
        changes["count"] = lambda text: count_mastodon(text, url_length=int(url_length))
    return replace(rules, **changes) if changes else rules


def composed_text(content: PostContent, rules: ContentRules) -> str:
    """The text as it will be sent: the link appended when the network has no link field."""
    text = content.text
    if content.link and rules.link_as_text and content.link not in text:
        text = f"{text}\n\n{content.link}" if text else content.link
    return text


def check_content(network: str, content: PostContent, **instance_limits) -> list[RuleViolation]:
    """Every way ``content`` breaks ``network``'s rules; an empty list means it can be sent."""
    rules = rules_for(network, **instance_limits)
    name = _display(network)
    found: list[RuleViolation] = []

    def add(code: str, field_name: str, message: str, **params) -> None:
        found.append(RuleViolation(code, message, field_name, params))

    text = composed_text(content, rules)
    if not text.strip() and not content.media and not content.link:
        add("text_required", "text", f"{name} needs text, a link or media.")
    length = rules.count(text)
    if length > rules.max_length:
        add(
            "text_too_long",
            "text",
            f"{name} allows {rules.max_length} characters; this text counts {length}.",
            length=length,
            max_length=rules.max_length,
        )
    found.extend(_check_text_bytes(text, rules, name, "text"))
    if rules.max_hashtags is not None:
        hashtags = count_hashtags(text)
        if hashtags > rules.max_hashtags:
            add(
                "too_many_hashtags",
                "text",
                f"{name} allows {rules.max_hashtags} hashtags; this text has {hashtags}.",
                count=hashtags,
                max_hashtags=rules.max_hashtags,
            )

    found.extend(_check_media(content, rules, name))

    if content.thread and not rules.thread:
        add("thread_not_supported", "thread", f"{name} does not support threads.")
    for index, item in enumerate(content.thread if rules.thread else []):
        item_length = rules.count(item)
        if not item.strip():
            add("thread_item_empty", f"thread[{index}]", f"Thread post {index + 2} is empty.")
        elif item_length > rules.max_length:
            add(
                "text_too_long",
                f"thread[{index}]",
                f"Thread post {index + 2} counts {item_length} characters; "
                f"{name} allows {rules.max_length}.",
                length=item_length,
                max_length=rules.max_length,
            )
        else:
            found.extend(_check_text_bytes(item, rules, name, f"thread[{index}]"))
    if content.first_comment:
        if not rules.first_comment:
            add(
                "first_comment_not_supported",
                "first_comment",
                f"{name} does not support a first comment.",
            )
        elif rules.count(content.first_comment) > rules.max_length:
            add(
                "text_too_long",
                "first_comment",
                f"The first comment is longer than {name} allows ({rules.max_length}).",
                length=rules.count(content.first_comment),
                max_length=rules.max_length,
            )
    return found


def _check_text_bytes(
    text: str, rules: ContentRules, name: str, field_name: str
) -> list[RuleViolation]:
    """The UTF-8 size limit, for the networks that have one besides the length."""
    if rules.max_text_bytes is None:
        return []
    size = len(text.encode("utf-8"))
    if size <= rules.max_text_bytes:
        return []
    return [
        RuleViolation(
            "text_too_many_bytes",
            f"{name} allows {rules.max_text_bytes:,} bytes of text; this text takes {size:,} "
            "(emoji and non-Latin letters take several bytes each).",
            field_name,
            {"size": size, "max_bytes": rules.max_text_bytes},
        )
    ]


def _check_media(content: PostContent, rules: ContentRules, name: str) -> list[RuleViolation]:
    found: list[RuleViolation] = []
    media = content.media
    if rules.media_required and not media:
        found.append(
            RuleViolation(
                "media_required", f"{name} posts need at least one image or video.", "media"
            )
        )
    if len(media) > rules.max_media:
        found.append(
            RuleViolation(
                "too_many_media",
                f"{name} allows {rules.max_media} media per post; this post has {len(media)}.",
                "media",
                {"count": len(media), "max_media": rules.max_media},
            )
        )
    videos = [m for m in media if m.kind in (MediaKind.VIDEO, MediaKind.GIF)]
    if videos and len(media) > 1 and not rules.mix_images_and_video:
        found.append(
            RuleViolation(
                "video_must_be_alone",
                f"On {name} a video or GIF cannot be combined with other media.",
                "media",
            )
        )
    elif len([m for m in media if m.kind == MediaKind.VIDEO]) > rules.max_videos:
        found.append(
            RuleViolation(
                "too_many_videos",
                f"{name} allows {rules.max_videos} video per post.",
                "media",
                {"max_videos": rules.max_videos},
            )
        )
    for index, item in enumerate(media):
        where = f"media[{index}]"
        if item.kind not in rules.allowed_kinds:
            found.append(
                RuleViolation(
                    "media_kind_not_allowed",
                    f"{name} does not accept {item.kind.value} media here.",
                    where,
                    {"kind": item.kind.value},
                )
            )
            continue
        if rules.allowed_mime_types is not None and item.mime_type not in rules.allowed_mime_types:
            found.append(
                RuleViolation(
                    "media_type_not_allowed",
                    f"{name} does not accept files of type {item.mime_type}.",
                    where,
                    {"mime_type": item.mime_type, "allowed": sorted(rules.allowed_mime_types)},
                )
            )
        limit = rules.max_bytes.get(item.kind)
        if limit and item.size > limit:
            found.append(
                RuleViolation(
                    "media_too_large",
                    f"{name} accepts {item.kind.value} files up to {_human(limit)}; "
                    f"this one is {_human(item.size)}.",
                    where,
                    {"size": item.size, "max_bytes": limit},
                )
            )
        if rules.max_alt_text and len(item.alt_text) > rules.max_alt_text:
            found.append(
                RuleViolation(
                    "alt_text_too_long",
                    f"{name} allows {rules.max_alt_text} characters of alt text.",
                    f"{where}.alt_text",
                    {"length": len(item.alt_text), "max_length": rules.max_alt_text},
                )
            )
    return found


def _human(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{size:,} bytes"


def _display(network: str) -> str:
    return {
        "mastodon": "Mastodon",
        "bluesky": "Bluesky",
        "x": "X",
        "facebook": "Facebook",
        "instagram": "Instagram",
        "linkedin": "LinkedIn",
    }.get(str(network), str(network))
