"""YouTube's publishing options and content rules (no HTTP)."""

from networks.base import MediaItem, MediaKind, PostContent
from networks.options import check_options
from networks.rules import check_content
from networks.youtube.adapter import YouTubeAdapter


def video(size: int = 10) -> MediaItem:
    return MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=size, data=b"v" * size)


def test_options_declare_title_privacy_and_made_for_kids_as_required():
    declared = {option.name: option for option in YouTubeAdapter.publish_options}
    assert {name for name, option in declared.items() if option.required} == {
        "title",
        "privacy_status",
        "made_for_kids",
    }
    assert declared["title"].max_length == 100
    assert [value for value, _ in declared["privacy_status"].choices] == [
        "public",
        "unlisted",
        "private",
    ]
    problems = check_options(declared.values(), {"title": "t", "privacy_status": "public"})
    assert [(p.code, p.field) for p in problems] == [("option_required", "options.made_for_kids")]


def test_rules_take_one_video_and_a_description_of_5000_bytes_without_angle_brackets():
    ok = PostContent(text="Vlog", media=[video(10)])
    assert check_content("youtube", ok) == []
    codes = {v.code for v in check_content("youtube", PostContent(text="Vlog"))}
    assert codes == {"media_required"}
    image = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", size=10)
    assert "media_kind_not_allowed" in {
        v.code for v in check_content("youtube", PostContent(text="x", media=[image]))
    }
    brackets = check_content("youtube", PostContent(text="<script>", media=[video(10)]))
    assert [(v.code, v.params) for v in brackets] == [
        ("text_forbidden_characters", {"characters": "< >"})
    ]
    arabic = PostContent(text="م" * 2501, media=[video(10)])  # 2 bytes each: 5,002 bytes
    assert [v.code for v in check_content("youtube", arabic)] == ["text_too_many_bytes"]
    avi = MediaItem(kind=MediaKind.VIDEO, mime_type="video/x-matroska", size=10)
    assert [v.code for v in check_content("youtube", PostContent(text="x", media=[avi]))] == [
        "media_type_not_allowed"
    ]


def test_a_video_longer_than_twelve_hours_is_refused_when_its_duration_is_known():
    long = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=10, duration_seconds=43201)
    unknown = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=10)
    codes = [v.code for v in check_content("youtube", PostContent(text="x", media=[long]))]
    assert codes == ["video_too_long"]
    assert check_content("youtube", PostContent(text="x", media=[unknown])) == []
