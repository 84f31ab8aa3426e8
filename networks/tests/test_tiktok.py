import json
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from networks.base import (
    AppCredentials,
    AuthExpired,
    Credentials,
    MediaItem,
    MediaKind,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    RateLimited,
    TransientError,
)
from networks.content import MB
from networks.tiktok.adapter import TikTokAdapter
from networks.tiktok.publishing import chunk_plan, chunk_ranges

from .conftest import load

API = "https://open.tiktokapis.com/v2"
UPLOAD = "https://open-upload.tiktokapis.com/video/"
OPEN_ID = "afd97af1-b87b-48b9-ac98-410aghda5344"
CREDS = Credentials(
    access_token="act.example12345Example12345Example",
    refresh_token="rft.example12345Example12345Example",
    external_id=OPEN_ID,
)
APP = AppCredentials(client_id="awx3yd7k2rg9", client_secret="s3cr3t")
VIDEO_ID = "7344568975633009962"


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(TikTokAdapter)


def _video(size=1024, **kwargs) -> MediaItem:
    return MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"\0" * size, **kwargs)


def _json(call) -> dict:
    return json.loads(call.request.content)


def _form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.content.decode()).items()}


def _creator(**changes):
    body = load("tiktok_creator_info.json")
    body["data"].update(changes)
    return respx.post(f"{API}/post/publish/creator_info/query/").respond(200, json=body)


def _status(*fixtures):
    return respx.post(f"{API}/post/publish/status/fetch/").mock(
        side_effect=[httpx.Response(200, json=load(f)) for f in fixtures]
    )


# ---------------------------------------------------------------- creator info


@respx.mock
def test_privacy_level_choices_come_from_the_creator_info(adapter):
    _creator()
    assert adapter.option_choices(CREDS, "privacy_level") == [
        ("PUBLIC_TO_EVERYONE", "Everyone"),
        ("MUTUAL_FOLLOW_FRIENDS", "Friends (followers you follow back)"),
        ("SELF_ONLY", "Only me"),
    ]


@respx.mock
def test_a_privacy_level_the_account_does_not_allow_is_refused_before_anything_is_sent(adapter):
    _creator()
    init = respx.post(f"{API}/post/publish/video/init/")
    content = PostContent(
        text="Thé", media=[_video()], options={"privacy_level": "FOLLOWER_OF_CREATOR"}
    )
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, content)
    assert caught.value.code == "privacy_level_not_allowed"
    assert "Followers" in caught.value.explanation and "Only me" in caught.value.explanation
    assert not init.called


@respx.mock
def test_a_missing_privacy_level_is_refused(adapter):
    _creator()
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="Thé", media=[_video()]))
    assert caught.value.code == "privacy_level_required"


@respx.mock
def test_branded_content_cannot_be_private(adapter):
    _creator()
    options = {"privacy_level": "SELF_ONLY", "brand_content_toggle": True}
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="Partenariat", media=[_video()], options=options))
    assert caught.value.code == "branded_content_private"


# ---------------------------------------------------------------- direct post


def test_chunk_plan_follows_tiktoks_rules():
    assert chunk_plan(3 * MB) == (3 * MB, 1)  # under 5 MB: whole
    assert chunk_plan(64 * MB) == (64 * MB, 1)
    size = 70 * MB + 123
    chunk_size, count = chunk_plan(size)
    assert 5 * MB <= chunk_size <= 64 * MB and count == size // chunk_size
    ranges = chunk_ranges(size)
    assert len(ranges) == count and ranges[0] == (0, chunk_size - 1)
    assert ranges[-1][1] == size - 1 and ranges[-1][1] - ranges[-1][0] + 1 <= 128 * MB
    assert all(b[0] == a[1] + 1 for a, b in zip(ranges, ranges[1:], strict=False))


@respx.mock
def test_direct_post_uploads_in_chunks_then_polls_until_complete(adapter, sleeps):
    _creator()
    init = respx.post(f"{API}/post/publish/video/init/").respond(
        200, json=load("tiktok_video_init.json")
    )
    put = respx.put(UPLOAD).mock(side_effect=[httpx.Response(206)] * 6 + [httpx.Response(201)])
    status = _status(
        "tiktok_status_processing.json",
        "tiktok_status_processing.json",
        "tiktok_status_complete.json",
    )
    respx.post(f"{API}/video/query/").respond(200, json=load("tiktok_video_query.json"))
    size = 70 * MB
    content = PostContent(
        text="Le thé à la menthe du matin #casablanca",
        media=[_video(size)],
        options={"privacy_level": "PUBLIC_TO_EVERYONE", "disable_duet": True},
    )

    result = adapter.publish(CREDS, content)

    assert result.external_id == VIDEO_ID
    assert result.url == f"https://www.tiktok.com/@cafe.zellige/video/{VIDEO_ID}"
    sent = _json(init.calls.last)
    assert sent["post_info"] == {
        "title": "Le thé à la menthe du matin #casablanca",
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "disable_comment": False,
        "disable_duet": True,
        "disable_stitch": True,  # the creator turned stitches off: it stays off
        "video_cover_timestamp_ms": 1000,
        "brand_content_toggle": False,
        "brand_organic_toggle": False,
    }
    assert sent["source_info"] == {
        "source": "FILE_UPLOAD",
        "video_size": size,
        "chunk_size": 10 * MB,
        "total_chunk_count": 7,
    }
    ranges = [c.request.headers["Content-Range"] for c in put.calls]
    assert ranges[0] == f"bytes 0-{10 * MB - 1}/{size}"
    assert ranges[-1] == f"bytes {60 * MB}-{size - 1}/{size}"
    assert sum(len(c.request.content) for c in put.calls) == size
    assert put.calls.last.request.url.params["upload_token"] == "Xza123"
    assert _json(status.calls.last) == {"publish_id": "v_pub_file~v2-1.123456789"}
    assert len(sleeps) == 2


@respx.mock
def test_a_video_with_a_public_url_is_pulled_by_tiktok(adapter):
    _creator()
    init = respx.post(f"{API}/post/publish/video/init/").respond(
        200, json=load("tiktok_pull_init.json")
    )
    _status("tiktok_status_complete.json")
    respx.post(f"{API}/video/query/").respond(200, json=load("tiktok_video_query.json"))
    item = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://cdn.example/v.mp4")
    content = PostContent(text="x", media=[item], options={"privacy_level": "SELF_ONLY"})
    adapter.publish(CREDS, content)
    assert _json(init.calls.last)["source_info"] == {
        "source": "PULL_FROM_URL",
        "video_url": "https://cdn.example/v.mp4",
    }


@respx.mock
def test_a_private_post_keeps_its_publish_id(adapter):
    _creator()
    respx.post(f"{API}/post/publish/video/init/").respond(200, json=load("tiktok_video_init.json"))
    respx.put(UPLOAD).respond(201)
    body = load("tiktok_status_complete.json")
    body["data"].pop("publicaly_available_post_id")
    respx.post(f"{API}/post/publish/status/fetch/").respond(200, json=body)
    content = PostContent(text="x", media=[_video()], options={"privacy_level": "SELF_ONLY"})
    assert adapter.publish(CREDS, content).external_id == "v_pub_file~v2-1.123456789"


@respx.mock
def test_inbox_mode_uploads_without_post_info_and_ends_in_the_creators_inbox(adapter):
    creator = _creator()
    init = respx.post(f"{API}/post/publish/inbox/video/init/").respond(
        200, json=load("tiktok_video_init.json")
    )
    respx.put(UPLOAD).respond(201)
    _status("tiktok_status_processing.json", "tiktok_status_inbox.json")
    content = PostContent(text="Brouillon", media=[_video()], options={"mode": "inbox"})

    result = adapter.publish(CREDS, content)

    assert result.external_id == "v_pub_file~v2-1.123456789"
    assert "inbox" in result.warnings[0]
    assert "post_info" not in _json(init.calls.last)
    assert _json(init.calls.last)["source_info"]["total_chunk_count"] == 1
    assert not creator.called  # the creator info is the direct post's requirement


@respx.mock
def test_a_failed_publication_says_why(adapter):
    _creator()
    respx.post(f"{API}/post/publish/video/init/").respond(200, json=load("tiktok_video_init.json"))
    respx.put(UPLOAD).respond(201)
    _status("tiktok_status_failed.json")
    content = PostContent(text="x", media=[_video()], options={"privacy_level": "SELF_ONLY"})
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, content)
    assert caught.value.code == "frame_rate_check_failed"
    assert "23 to 60" in caught.value.explanation


@respx.mock
def test_a_lost_answer_to_the_init_is_an_unknown_outcome(adapter):
    _creator()
    respx.post(f"{API}/post/publish/video/init/").mock(side_effect=httpx.ReadTimeout("slow"))
    content = PostContent(text="x", media=[_video()], options={"privacy_level": "SELF_ONLY"})
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, content)


@respx.mock
def test_photos_are_pulled_from_their_urls(adapter):
    _creator()
    init = respx.post(f"{API}/post/publish/content/init/").respond(
        200, json=load("tiktok_photo_init.json")
    )
    _status("tiktok_status_complete.json")
    respx.post(f"{API}/video/query/").respond(200, json=load("tiktok_video_query.json"))
    photos = [
        MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", url=f"https://cdn.example/{n}.jpg")
        for n in (1, 2)
    ]
    options = {"privacy_level": "PUBLIC_TO_EVERYONE", "brand_organic_toggle": True}
    adapter.publish(CREDS, PostContent(text="Menu\nDu jour", media=photos, options=options))
    sent = _json(init.calls.last)
    assert sent["media_type"] == "PHOTO" and sent["post_mode"] == "DIRECT_POST"
    assert sent["source_info"]["photo_images"] == [p.url for p in photos]
    assert sent["post_info"]["title"] == "Menu" and sent["post_info"]["description"] == (
        "Menu\nDu jour"
    )
    assert sent["post_info"]["brand_organic_toggle"] is True


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "fixture", "error", "code"),
    [
        (401, "tiktok_error_token_invalid.json", AuthExpired, None),
        (403, "tiktok_error_spam_risk_too_many_posts.json", RateLimited, None),
        (
            403,
            "tiktok_error_unaudited.json",
            PermanentError,
            "unaudited_client_can_only_post_to_private_accounts",
        ),
        (
            403,
            "tiktok_error_privacy_mismatch.json",
            PermanentError,
            "privacy_level_option_mismatch",
        ),
    ],
)
@respx.mock
def test_documented_error_codes_are_mapped(adapter, status, fixture, error, code):
    _creator()
    respx.post(f"{API}/post/publish/video/init/").respond(status, json=load(fixture))
    content = PostContent(text="x", media=[_video()], options={"privacy_level": "SELF_ONLY"})
    with pytest.raises(error) as caught:
        adapter.publish(CREDS, content)
    if code:
        assert caught.value.code == code
    assert caught.value.explanation.startswith("TikTok: ")


@respx.mock
def test_rate_limit_and_server_errors(adapter):
    route = respx.post(f"{API}/post/publish/creator_info/query/")
    route.respond(429, json={"error": {"code": "rate_limit_exceeded", "message": "", "log_id": ""}})
    with pytest.raises(RateLimited):
        adapter.option_choices(CREDS, "privacy_level")
    route.respond(500, json={"error": {"code": "internal_error", "message": "", "log_id": ""}})
    with pytest.raises(TransientError):
        adapter.option_choices(CREDS, "privacy_level")


@respx.mock
def test_an_error_inside_a_200_envelope_is_still_an_error(adapter):
    respx.post(f"{API}/post/publish/creator_info/query/").respond(
        200, json=load("tiktok_error_spam_risk_too_many_posts.json")
    )
    with pytest.raises(RateLimited, match="daily limit"):
        adapter.option_choices(CREDS, "privacy_level")


@respx.mock
def test_a_video_longer_than_the_creator_may_post_is_refused(adapter):
    _creator(max_video_post_duration_sec=180)
    init = respx.post(f"{API}/post/publish/video/init/")
    content = PostContent(
        text="x",
        media=[_video(duration_seconds=240.0)],
        options={"privacy_level": "SELF_ONLY"},
    )
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, content)
    assert caught.value.code == "video_longer_than_creator_allows"
    assert "180 seconds" in caught.value.explanation
    assert not init.called


def test_content_rules_count_the_title_in_utf16_and_check_the_video():
    from networks.rules import check_content

    emoji_title = "🍵" * 1101  # 2,202 UTF-16 code units
    problems = check_content("tiktok", PostContent(text=emoji_title, media=[_video()]))
    assert [p.code for p in problems] == ["text_too_long"]
    short = _video(duration_seconds=2.0, width=1080, height=1920)
    assert [p.code for p in check_content("tiktok", PostContent(text="x", media=[short]))] == [
        "video_too_short"
    ]
    gif = MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", url="https://cdn.example/a.png")
    assert [p.code for p in check_content("tiktok", PostContent(media=[gif]))] == [
        "media_type_not_allowed"
    ]
