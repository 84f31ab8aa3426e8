"""The networks' rule codes in words people read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from networks import rules
from networks.registry import display_name

# The networks' rule codes, in words people read (networks.rules gives English only).
RULE_MESSAGES = {
    "text_required": gettext_lazy("%(network)s needs text, a link or media."),
    "text_too_long": gettext_lazy(
        "%(network)s allows %(max_length)s characters; this text counts %(length)s."
    ),
    "text_too_many_bytes": gettext_lazy(
        "%(network)s allows %(max_bytes)s bytes of text; this text takes %(size)s (emoji and "
        "non-Latin letters take several bytes each)."
    ),
    "too_many_hashtags": gettext_lazy(
        "%(network)s allows %(max_hashtags)s hashtags; this text has %(count)s."
    ),
    "media_required": gettext_lazy("%(network)s posts need at least one image or video."),
    "too_many_media": gettext_lazy(
        "%(network)s allows %(max_media)s media per post; this post has %(count)s."
    ),
    "video_must_be_alone": gettext_lazy(
        "On %(network)s a video or GIF cannot be combined with other media."
    ),
    "too_many_videos": gettext_lazy("%(network)s allows %(max_videos)s video(s) per post."),
    "media_kind_not_allowed": gettext_lazy("%(network)s does not accept %(kind)s media."),
    "media_type_not_allowed": gettext_lazy(
        "%(network)s does not accept files of type %(mime_type)s."
    ),
    "media_too_large": gettext_lazy(
        "%(network)s accepts files up to %(max_bytes)s bytes; this one has %(size)s."
    ),
    "alt_text_too_long": gettext_lazy("%(network)s allows %(max_length)s characters of alt text."),
    "thread_not_supported": gettext_lazy("%(network)s does not support threads."),
    "thread_item_empty": gettext_lazy("A thread post is empty."),
    "first_comment_not_supported": gettext_lazy("%(network)s does not support a first comment."),
}


def rule_message(violation: rules.RuleViolation, network: str) -> str:
    template = RULE_MESSAGES.get(violation.code)
    if template is None:
        return violation.message
    params = {k: v for k, v in violation.params.items() if not isinstance(v, list | dict)}
    params["network"] = display_name(network)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return violation.message
