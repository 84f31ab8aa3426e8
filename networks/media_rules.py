"""The media part of a network's content rules: how many, which kinds and types, how large,
and, when the file's pixels or duration are known, its size, shape and length."""

from __future__ import annotations

from .base import MediaItem, MediaKind, PostContent
from .content import MB, ContentRules, RuleViolation


def check_media(content: PostContent, rules: ContentRules, name: str) -> list[RuleViolation]:
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
        found.extend(_check_shape(item, rules, name, where))
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


def _check_shape(item: MediaItem, rules: ContentRules, name: str, where: str):
    kind = item.kind.value
    if item.width and item.height:
        smallest = rules.min_dimensions.get(item.kind)
        if smallest and (item.width < smallest[0] or item.height < smallest[1]):
            yield RuleViolation(
                "media_too_small",
                f"{name} needs {kind} media of at least {smallest[0]}×{smallest[1]} pixels; "
                f"this one is {item.width}×{item.height}.",
                where,
                {
                    "width": item.width,
                    "height": item.height,
                    "min_width": smallest[0],
                    "min_height": smallest[1],
                },
            )
        ratios = rules.aspect_ratios.get(item.kind)
        ratio = item.width / item.height
        if ratios and not ratios[0] - 0.01 <= ratio <= ratios[1] + 0.01:
            yield RuleViolation(
                "aspect_ratio_not_allowed",
                f"{name} accepts {kind} media with a width/height ratio from {ratios[0]:.2f} "
                f"to {ratios[1]:.2f}; this one is {ratio:.2f}.",
                where,
                {"ratio": round(ratio, 2), "min_ratio": ratios[0], "max_ratio": ratios[1]},
            )
    duration = item.duration_seconds
    if item.kind == MediaKind.VIDEO and duration is not None and rules.video_duration:
        shortest, longest = rules.video_duration
        if duration < shortest:
            yield RuleViolation(
                "video_too_short",
                f"{name} needs videos of at least {shortest:g} s; this one lasts {duration:g} s.",
                where,
                {"duration": round(duration, 1), "min_duration": shortest},
            )
        elif duration > longest:
            yield RuleViolation(
                "video_too_long",
                f"{name} accepts videos up to {longest:g} s; this one lasts {duration:g} s.",
                where,
                {"duration": round(duration, 1), "max_duration": longest},
            )


def _human(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{size:,} bytes"
