import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

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
    TokenSet,
    TransientError,
)
from networks.oauth import code_challenge_s256, generate_code_verifier
from networks.youtube.adapter import YouTubeAdapter
from networks.youtube.errors import seconds_until_pacific_midnight
from networks.youtube.upload import QUANTUM

from .conftest import load

API = "https://www.googleapis.com/youtube/v3"
UPLOAD = "https://www.googleapis.com/upload/youtube/v3"
SESSION = f"{UPLOAD}/videos?uploadType=resumable&upload_id=xa298sd_f"
TOKEN_URL = "https://oauth2.googleapis.com/token"
CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
VIDEO = "Ks-_Mh1QhMc"
CREDS = Credentials(access_token="yt-access", refresh_token="yt-refresh", external_id=CHANNEL)
APP = AppCredentials(client_id="123.apps.googleusercontent.com", client_secret="yt-secret")
OPTIONS = {"title": "Marrakech en 60 secondes", "privacy_status": "public", "made_for_kids": False}


@pytest.fixture
def adapter(make_adapter):
    adapter = make_adapter(YouTubeAdapter)
    adapter.upload_chunk_size = QUANTUM  # 256 KiB chunks keep the test's video small
    return adapter


def video(size: int) -> MediaItem:
    data = bytes(i % 251 for i in range(size))
    return MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=size, data=data)


def content(size: int = QUANTUM * 2 + QUANTUM // 2, **options) -> PostContent:
    return PostContent(
        text="Une journée dans la médina.", media=[video(size)], options={**OPTIONS, **options}
    )


def session_route():
    return respx.post(f"{UPLOAD}/videos").respond(200, headers={"Location": SESSION})


# ------------------------------------------------------------------ resumable upload


@respx.mock
def test_video_is_uploaded_in_chunks_and_an_interrupted_chunk_resumes_where_youtube_stopped(
    adapter,
):
    post = content()
    data = post.media[0].data
    total = len(data)  # 655,360 bytes: two whole chunks and a half
    start = session_route()
    seen = []

    def session(request):
        seen.append(request.headers.get("Content-Range"))
        ranges = request.headers["Content-Range"]
        if ranges == f"bytes 0-262143/{total}":
            assert request.content == data[:QUANTUM]
            return httpx.Response(308, headers={"Range": "bytes=0-262143"})
        if ranges == f"bytes 262144-524287/{total}":
            raise httpx.ReadTimeout("the connection dropped mid-chunk", request=request)
        if ranges == f"bytes */{total}":
            assert request.content == b""
            # YouTube kept half of the interrupted chunk.
            return httpx.Response(308, headers={"Range": "bytes=0-393215"})
        if ranges == f"bytes 393216-655359/{total}":
            assert request.content == data[393216:]
            return httpx.Response(201, json=load("youtube_video_inserted.json"))
        raise AssertionError(ranges)

    respx.put(url__startswith=SESSION).mock(side_effect=session)

    result = adapter.publish(CREDS, post)

    assert result.external_id == VIDEO
    assert result.url == f"https://www.youtube.com/watch?v={VIDEO}"
    assert seen == [
        f"bytes 0-262143/{total}",
        f"bytes 262144-524287/{total}",
        f"bytes */{total}",
        f"bytes 393216-655359/{total}",
    ]
    opened = start.calls.last.request
    assert opened.url.params["uploadType"] == "resumable"
    assert opened.url.params["part"] == "snippet,status"
    assert opened.headers["X-Upload-Content-Length"] == str(total)
    assert opened.headers["X-Upload-Content-Type"] == "video/mp4"
    assert opened.headers["Authorization"] == "Bearer yt-access"
    assert json.loads(opened.content) == {
        "snippet": {"title": "Marrakech en 60 secondes", "description": post.text},
        "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
    }


@respx.mock
def test_chunks_are_whole_multiples_of_256_kib_whatever_size_is_configured(adapter):
    adapter.upload_chunk_size = QUANTUM + 1000  # rounded down to one quantum
    session_route()
    ranges = []

    def session(request):
        ranges.append(request.headers["Content-Range"])
        if request.headers["Content-Range"].startswith("bytes 0-"):
            return httpx.Response(308, headers={"Range": "bytes=0-262143"})
        return httpx.Response(200, json=load("youtube_video_inserted.json"))

    respx.put(url__startswith=SESSION).mock(side_effect=session)
    adapter.publish(CREDS, content(size=QUANTUM + 10))
    assert ranges == [f"bytes 0-262143/{QUANTUM + 10}", f"bytes 262144-262153/{QUANTUM + 10}"]


@respx.mock
def test_a_timeout_on_the_final_chunk_is_outcome_unknown(adapter):
    session_route()
    respx.put(url__startswith=SESSION).mock(side_effect=httpx.ReadTimeout("no answer"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, content(size=1000))  # one chunk: the final one


@respx.mock
def test_a_server_error_on_the_final_chunk_asks_the_session_and_finds_the_video_made(adapter):
    session_route()
    route = respx.put(url__startswith=SESSION).mock(
        side_effect=[
            httpx.Response(503, json=load("youtube_error_backend.json")),
            httpx.Response(200, json=load("youtube_video_inserted.json")),
        ]
    )
    result = adapter.publish(CREDS, content(size=1000))
    assert result.external_id == VIDEO
    assert route.calls.last.request.headers["Content-Range"] == "bytes */1000"
    assert route.call_count == 2  # the bytes were not sent twice


@respx.mock
def test_an_expired_upload_session_is_transient_so_the_next_attempt_starts_anew(adapter):
    session_route()
    respx.put(url__startswith=SESSION).mock(
        side_effect=[httpx.Response(503), httpx.Response(404, json={})]
    )
    with pytest.raises(TransientError, match="session expired"):
        adapter.publish(CREDS, content(size=1000))


@respx.mock
def test_the_video_is_read_from_its_file_chunk_by_chunk(adapter, tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"m" * (QUANTUM + 5))
    session_route()
    bodies = []

    def session(request):
        bodies.append(len(request.content))
        if len(bodies) == 1:
            return httpx.Response(308, headers={"Range": "bytes=0-262143"})
        return httpx.Response(201, json=load("youtube_video_inserted.json"))

    respx.put(url__startswith=SESSION).mock(side_effect=session)
    item = MediaItem(kind=MediaKind.VIDEO, mime_type="video/quicktime", path=str(path))
    adapter.publish(CREDS, PostContent(text="", media=[item], options=OPTIONS))
    assert bodies == [QUANTUM, 5]


@respx.mock
def test_category_and_thumbnail_are_sent_and_a_refused_thumbnail_is_only_a_warning(adapter):
    session_route()
    respx.put(url__startswith=SESSION).respond(201, json=load("youtube_video_inserted.json"))
    respx.get("https://cdn.example/thumb.png").respond(200, content=b"\x89PNG\r\n\x1a\nrest")
    thumb = respx.post(f"{UPLOAD}/thumbnails/set").respond(
        403, json=load("youtube_error_forbidden.json")
    )
    post = content(size=100, category_id="19", thumbnail_url="https://cdn.example/thumb.png")

    result = adapter.publish(CREDS, post)

    assert result.external_id == VIDEO
    assert thumb.called and "thumbnail was not set" in result.warnings[0]
    sent = thumb.calls.last.request
    assert sent.url.params["videoId"] == VIDEO
    assert sent.headers["Content-Type"] == "image/png"
    opened = json.loads(respx.calls[0].request.content)
    assert opened["snippet"]["categoryId"] == "19"


# ------------------------------------------------------------------ options and rules


@respx.mock
def test_missing_or_bad_options_are_refused_before_any_call(adapter):
    for options in (
        {"title": "", "privacy_status": "public", "made_for_kids": False},
        {"title": "x" * 101, "privacy_status": "public", "made_for_kids": False},
        {"title": "ok", "privacy_status": "friends", "made_for_kids": False},
        {"title": "ok", "privacy_status": "public"},
        {"title": "<b>ok</b>", "privacy_status": "public", "made_for_kids": True},
    ):
        with pytest.raises(PermanentError) as caught:
            adapter.publish(CREDS, PostContent(text="t", media=[video(10)], options=options))
        assert caught.value.code == "invalid_options"
    assert not respx.calls


# ------------------------------------------------------------------ OAuth


def test_authorization_url_asks_google_for_offline_access_consent_pkce_and_the_scopes():
    verifier = generate_code_verifier()
    url = YouTubeAdapter().authorization_url(
        APP,
        redirect_uri="https://app.example/oauth/youtube/callback",
        state="s",
        code_challenge=code_challenge_s256(verifier),
    )
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://accounts.google.com/o/oauth2/v2/auth"
    )
    assert query["access_type"] == "offline" and query["prompt"] == "consent"
    assert query["code_challenge_method"] == "S256"
    assert query["scope"].split() == [
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://www.googleapis.com/auth/youtube.force-ssl",
    ]


@respx.mock
def test_code_exchange_then_the_channel_the_tokens_open(adapter):
    token = respx.post(TOKEN_URL).respond(200, json=load("youtube_token.json"))
    channels = respx.get(f"{API}/channels").respond(200, json=load("youtube_channels_mine.json"))

    tokens = adapter.exchange_code(
        APP, code="4/0Ab", redirect_uri="https://app.example/cb", code_verifier="v" * 43
    )
    [profile] = adapter.connected_profiles(tokens, app=APP)

    form = parse_qs(token.calls.last.request.content.decode())
    assert form["grant_type"] == ["authorization_code"]
    assert form["code_verifier"] == ["v" * 43] and form["client_secret"] == ["yt-secret"]
    assert tokens.refresh_token == "1//0gYt-refresh" and tokens.expires_in == 3599
    assert channels.calls.last.request.url.params["mine"] == "true"
    assert channels.calls.last.request.headers["Authorization"] == "Bearer ya29.a0AfB_byC-yt-access"
    assert (profile.external_id, profile.handle, profile.display_name) == (
        CHANNEL,
        "@atlasvoyages",
        "Atlas Voyages",
    )
    assert profile.network == "youtube" and profile.refresh_token == "1//0gYt-refresh"
    assert "https://www.googleapis.com/auth/youtube.force-ssl" in profile.scopes


@respx.mock
def test_a_google_account_without_a_channel_cannot_be_connected(adapter):
    respx.get(f"{API}/channels").respond(200, json={"kind": "youtube#channelListResponse"})
    with pytest.raises(PermanentError) as caught:
        adapter.connected_profiles(TokenSet(access_token="t"), app=APP)
    assert caught.value.code == "no_channel"


@respx.mock
def test_refresh_keeps_the_refresh_token_google_does_not_send_again(adapter):
    route = respx.post(TOKEN_URL).respond(
        200, json={"access_token": "ya29.new", "expires_in": 3599, "token_type": "Bearer"}
    )
    fresh = adapter.refresh(CREDS, APP)
    assert fresh.access_token == "ya29.new" and fresh.refresh_token == "yt-refresh"
    assert fresh.expires_at > datetime.now(UTC)
    assert parse_qs(route.calls.last.request.content.decode())["grant_type"] == ["refresh_token"]


@respx.mock
def test_a_revoked_grant_on_refresh_asks_for_a_reconnection(adapter):
    respx.post(TOKEN_URL).respond(400, json=load("youtube_error_invalid_grant.json"))
    with pytest.raises(AuthExpired):
        adapter.refresh(CREDS, APP)


@respx.mock
def test_disconnecting_revokes_the_refresh_token(adapter):
    route = respx.post("https://oauth2.googleapis.com/revoke").respond(200)
    assert adapter.revoke_token(app=APP, access_token="a", refresh_token="r") is True
    assert parse_qs(route.calls.last.request.content.decode()) == {"token": ["r"]}


# ------------------------------------------------------------------ errors


@respx.mock
def test_quota_exceeded_waits_until_midnight_pacific(adapter):
    respx.post(f"{UPLOAD}/videos").respond(403, json=load("youtube_error_quota.json"))
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, content(size=10))
    assert 60 <= caught.value.retry_after <= 25 * 3600
    assert "quota" in caught.value.explanation


def test_seconds_until_pacific_midnight_follows_the_pacific_day():
    # 07:00 UTC on 1 July is midnight in Los Angeles (PDT, UTC-7): a whole day to wait.
    assert seconds_until_pacific_midnight(datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == 86400
    assert seconds_until_pacific_midnight(datetime(2026, 1, 1, 7, 0, tzinfo=UTC)) == 3600


@respx.mock
def test_upload_limit_exceeded_waits_a_day(adapter):
    respx.post(f"{UPLOAD}/videos").respond(400, json=load("youtube_error_upload_limit.json"))
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, content(size=10))
    assert caught.value.retry_after == 24 * 3600


@respx.mock
def test_invalid_credentials_raise_auth_expired(adapter):
    respx.get(f"{API}/videos").respond(401, json=load("youtube_error_401.json"))
    with pytest.raises(AuthExpired):
        adapter.post_metrics(CREDS, VIDEO)


@respx.mock
def test_backend_error_is_transient_after_the_get_retries(adapter):
    route = respx.get(f"{API}/videos").respond(503, json=load("youtube_error_backend.json"))
    with pytest.raises(TransientError):
        adapter.post_metrics(CREDS, VIDEO)
    assert route.call_count == 3


@respx.mock
def test_forbidden_is_permanent_with_youtube_reason_as_code(adapter):
    respx.post(f"{API}/comments").respond(403, json=load("youtube_error_forbidden.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.reply(CREDS, "UgzDE2tasfmrYLyNkGt4AaABAg", "Merci")
    assert caught.value.code == "forbidden"


def test_the_adapter_names_its_api_version_and_documentation():
    assert YouTubeAdapter.api_version == "v3"
    assert YouTubeAdapter.api_retirement is None
    assert any("Resumable" in page for page in YouTubeAdapter.docs)
