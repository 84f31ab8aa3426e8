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
* Facebook, Instagram, LinkedIn, Pinterest, Threads: Unicode code points after NFC
  normalisation.
"""

from __future__ import annotations

from dataclasses import replace

from networks.base import MediaKind, Network, PostContent
from networks.bluesky.rules import RULES as BLUESKY
from networks.content import ContentRules, RuleViolation
from networks.facebook.rules import RULES as FACEBOOK
from networks.google_business.rules import RULES as GOOGLE_BUSINESS
from networks.instagram.rules import RULES as INSTAGRAM
from networks.instagram_login.rules import RULES as INSTAGRAM_LOGIN
from networks.linkedin.rules import RULES as LINKEDIN
from networks.linkedin_profile.rules import RULES as LINKEDIN_PROFILE
from networks.mastodon.rules import RULES as MASTODON
from networks.media_rules import check_media
from networks.pinterest.rules import RULES as PINTEREST
from networks.policy import check_policy
from networks.text import count_hashtags, count_mastodon
from networks.threads.rules import RULES as THREADS
from networks.tiktok.rules import RULES as TIKTOK
from networks.x.rules import RULES as X
from networks.youtube.rules import RULES as YOUTUBE

RULES: dict[Network, ContentRules] = {
    Network.MASTODON: MASTODON,
    Network.BLUESKY: BLUESKY,
    Network.X: X,
    Network.FACEBOOK: FACEBOOK,
    Network.INSTAGRAM: INSTAGRAM,
    Network.LINKEDIN: LINKEDIN,
    Network.LINKEDIN_PROFILE: LINKEDIN_PROFILE,
    Network.TIKTOK: TIKTOK,
    Network.YOUTUBE: YOUTUBE,
    Network.PINTEREST: PINTEREST,
    Network.GOOGLE_BUSINESS: GOOGLE_BUSINESS,
    Network.THREADS: THREADS,
    Network.INSTAGRAM_LOGIN: INSTAGRAM_LOGIN,
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


def check_content(
    network: str, content: PostContent, *, include_warnings: bool = False, **instance_limits
) -> list[RuleViolation]:
    """Every way ``content`` breaks ``network``'s rules; an empty list means it can be sent.

    The networks' recommendations (``severity="warning"``, networks.policy) come only with
    ``include_warnings``: the composer shows them, the publishing engine does not stop on them.
    """
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
    found.extend(_check_forbidden_characters(text, rules, name, "text"))
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

    found.extend(check_media(content, rules, name))
    found.extend(check_policy(content, rules, name, text))

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
    if include_warnings:
        return found
    return [violation for violation in found if violation.severity != "warning"]


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


def _check_forbidden_characters(
    text: str, rules: ContentRules, name: str, field_name: str
) -> list[RuleViolation]:
    """Characters the network refuses outright (it would fail the whole request)."""
    found = sorted({char for char in text if char in rules.forbidden_characters})
    if not found:
        return []
    shown = " ".join(found)
    return [
        RuleViolation(
            "text_forbidden_characters",
            f"{name} does not accept these characters in the text: {shown}",
            field_name,
            {"characters": shown},
        )
    ]


def _display(network: str) -> str:
    # Imported here: the registry imports the adapters, which import these rules.
    from networks.registry import display_name

    try:
        return display_name(network)
    except ValueError:
        return str(network)
