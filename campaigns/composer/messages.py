"""The networks' rule codes in words people read."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy

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
    "text_forbidden_characters": gettext_lazy(
        "%(network)s does not accept these characters in the text: %(characters)s"
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
    "media_too_small": gettext_lazy(
        "%(network)s needs media of at least %(min_width)s×%(min_height)s pixels; this one is "
        "%(width)s×%(height)s."
    ),
    "aspect_ratio_not_allowed": gettext_lazy(
        "%(network)s accepts a width/height ratio from %(min_ratio)s to %(max_ratio)s; this "
        "media is %(ratio)s."
    ),
    "video_too_short": gettext_lazy(
        "%(network)s needs videos of at least %(min_duration)s s; this one lasts %(duration)s s."
    ),
    "video_too_long": gettext_lazy(
        "%(network)s accepts videos up to %(max_duration)s s; this one lasts %(duration)s s."
    ),
    "option_required": gettext_lazy("%(network)s needs “%(option)s”."),
    "option_too_long": gettext_lazy(
        "%(network)s allows %(max_length)s characters for “%(option)s”; this one has %(length)s."
    ),
    "option_not_a_choice": gettext_lazy(
        "%(network)s: this “%(option)s” is not one of the choices."
    ),
    "option_not_a_url": gettext_lazy("%(network)s: “%(option)s” must be a web address."),
    "option_unknown": gettext_lazy("%(network)s has no such option."),
    "paid_partnership_undisclosed": gettext_lazy(
        "%(network)s requires a paid partnership to be disclosed: add #ad, #sponsored or "
        "“collaboration commerciale” to the text, or use the network's branded-content label "
        "where it has one."
    ),
    "paid_partnership_hashtag_required": gettext_lazy(
        "%(network)s's policy requires a paid partnership to carry %(hashtags)s in the text."
    ),
    "paid_partnership_label_missing": gettext_lazy(
        "This text reads as a paid partnership: %(network)s asks for its branded-content label "
        "to be switched on as well."
    ),
    "too_many_mentions": gettext_lazy(
        "%(network)s allows %(max_mentions)s @mentions; this text has %(count)s."
    ),
    "hashtags_above_recommended": gettext_lazy(
        "%(network)s recommends at most %(max_hashtags)s hashtags; this text has %(count)s."
    ),
}


def rule_message(violation: rules.RuleViolation, network: str) -> str:
    template = RULE_MESSAGES.get(violation.code)
    if template is None:
        return violation.message
    params = {k: v for k, v in violation.params.items() if not isinstance(v, list | dict)}
    params["network"] = display_name(network)
    if "option" in params:  # the adapter's English label; its French is in the catalogue
        params["option"] = gettext(params["option"])
    for key, value in params.items():  # numbers shown to people are localised (0,56)
        if isinstance(value, float):
            params[key] = formats.number_format(value, decimal_pos=2 if value % 1 else 0)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return violation.message
