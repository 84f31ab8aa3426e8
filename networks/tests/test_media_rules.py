"""The media shape rules (smallest size, width/height ratio, video length): checked when the
file's pixels or duration are known, skipped when they are not."""

from networks.base import MediaItem, MediaKind, PostContent
from networks.content import IMG_GIF_VIDEO, ContentRules
from networks.media_rules import check_media
from networks.text import count_code_points

RULES = ContentRules(
    network="example",
    max_length=500,
    count=count_code_points,
    max_media=4,
    allowed_kinds=IMG_GIF_VIDEO,
    min_dimensions={MediaKind.IMAGE: (600, 600)},
    aspect_ratios={MediaKind.IMAGE: (0.8, 1.91), MediaKind.VIDEO: (0.5, 0.6)},
    video_duration=(3.0, 60.0),
)


def codes(*media):
    return [v.code for v in check_media(PostContent(media=list(media)), RULES, "Example")]


def image(width=None, height=None):
    return MediaItem(MediaKind.IMAGE, "image/jpeg", size=10, width=width, height=height)


def video(seconds=None, width=1080, height=1920):
    return MediaItem(
        MediaKind.VIDEO, "video/mp4", size=10, width=width, height=height, duration_seconds=seconds
    )


def test_an_image_smaller_than_the_network_needs_is_refused_with_its_size():
    (violation,) = check_media(PostContent(media=[image(500, 500)]), RULES, "Example")
    assert violation.code == "media_too_small"
    assert violation.params == {"width": 500, "height": 500, "min_width": 600, "min_height": 600}
    assert violation.field == "media[0]"


def test_a_ratio_outside_the_range_is_refused_and_the_edges_are_allowed():
    assert codes(image(1000, 2000)) == ["aspect_ratio_not_allowed"]  # 0.5, too tall
    assert codes(image(800, 1000)) == []  # 0.8 exactly
    assert codes(image(1910, 1000)) == []  # 1.91 exactly
    assert codes(video(10, width=1920, height=1080)) == ["aspect_ratio_not_allowed"]


def test_a_video_too_short_or_too_long_is_refused():
    assert codes(video(1.5)) == ["video_too_short"]
    assert codes(video(61)) == ["video_too_long"]
    assert codes(video(60)) == []


def test_media_whose_size_or_length_is_unknown_are_not_refused_for_it():
    assert codes(image()) == []
    assert codes(video(None, width=None, height=None)) == []
