"""Pinterest: publishing pins (image, video), errors, OAuth and the board choices."""

import base64
import json
from datetime import UTC, datetime
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
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    RateLimited,
    TokenSet,
    TransientError,
)
from networks.options import check_options
from networks.pinterest.adapter import PinterestAdapter

from .conftest import load

API = "https://api.pinterest.com/v5"
TOKEN_URL = f"{API}/oauth/token"
BOARD = "549755885175"
PIN = "813744226420795884"
CREDS = Credentials(
    access_token="pina_AMAXQWYWAAAA", refresh_token="pinr_AMAXQWYWAAAA", external_id="549755885175"
)
APP = AppCredentials("1484362", "pinterest-secret")
IMAGE = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"\xff\xd8jpeg")


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(PinterestAdapter)


def _content(**kwargs) -> PostContent:
    kwargs.setdefault("text", "La recette de nos cornes de gazelle, pas à pas.")
    kwargs.setdefault("media", [IMAGE])
    kwargs.setdefault("options", {"board_id": BOARD})
    return PostContent(**kwargs)


# ------------------------------------------------------------------ publishing


@respx.mock
def test_an_image_pin_goes_to_the_chosen_board_with_title_link_and_base64_image(adapter):
    route = respx.post(f"{API}/pins").respond(201, json=load("pinterest_pin.json"))
    alt = MediaItem(
        kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"\xff\xd8jpeg", alt_text="Assiette"
    )

    result = adapter.publish(
        CREDS,
        _content(
            media=[alt],
            options={
                "board_id": BOARD,
                "title": "Cornes de gazelle",
                "link": "https://cafetanger.example/recettes/cornes-de-gazelle",
            },
        ),
    )

    assert result.external_id == PIN
    assert result.url == f"https://www.pinterest.com/pin/{PIN}/"
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer pina_AMAXQWYWAAAA"
    body = json.loads(request.content)
    assert body["board_id"] == BOARD
    assert body["title"] == "Cornes de gazelle"
    assert body["description"] == "La recette de nos cornes de gazelle, pas à pas."
    assert body["link"] == "https://cafetanger.example/recettes/cornes-de-gazelle"
    assert body["alt_text"] == "Assiette"
    assert body["media_source"] == {
        "source_type": "image_base64",
        "content_type": "image/jpeg",
        "data": base64.b64encode(b"\xff\xd8jpeg").decode(),
    }


@respx.mock
def test_an_image_known_only_by_its_url_is_fetched_by_pinterest_and_the_post_link_is_used(
    adapter,
):
    route = respx.post(f"{API}/pins").respond(201, json=load("pinterest_pin.json"))
    remote = MediaItem(
        kind=MediaKind.IMAGE, mime_type="image/jpeg", url="https://cdn.example/a.jpg"
    )

    adapter.publish(CREDS, _content(media=[remote], link="https://cafetanger.example/"))

    body = json.loads(route.calls.last.request.content)
    assert body["media_source"] == {"source_type": "image_url", "url": "https://cdn.example/a.jpg"}
    assert body["link"] == "https://cafetanger.example/"
    assert "title" not in body


@respx.mock
def test_a_video_is_registered_uploaded_polled_until_succeeded_then_pinned(adapter, sleeps):
    respx.post(f"{API}/media").respond(201, json=load("pinterest_media_register.json"))
    upload = respx.post("https://pinterest-media-upload.s3-accelerate.amazonaws.com/").respond(204)
    status = respx.get(f"{API}/media/12345").mock(
        side_effect=[
            httpx.Response(200, json=load("pinterest_media_processing.json")),
            httpx.Response(200, json=load("pinterest_media_processing.json")),
            httpx.Response(200, json=load("pinterest_media_succeeded.json")),
        ]
    )
    pin = respx.post(f"{API}/pins").respond(201, json=load("pinterest_pin.json"))
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"\x00\x00\x00\x18ftyp")

    adapter.publish(CREDS, _content(media=[video]))

    sent = upload.calls.last.request
    assert "Authorization" not in sent.headers  # Pinterest's storage, signed by the parameters
    form = sent.content
    assert b'name="x-amz-signature"' in form and b'name="key"' in form
    assert b"uploads/12/34/5/12345.mp4" in form
    assert b'name="file"' in form and b"\x00\x00\x00\x18ftyp" in form
    assert status.call_count == 3 and len(sleeps) == 2
    assert json.loads(pin.calls.last.request.content)["media_source"] == {
        "source_type": "video_id",
        "media_id": "12345",
        "cover_image_key_frame_time": 1,
    }


@respx.mock
def test_a_video_pinterest_could_not_process_is_permanent_and_no_pin_is_created(adapter):
    respx.post(f"{API}/media").respond(201, json=load("pinterest_media_register.json"))
    respx.post("https://pinterest-media-upload.s3-accelerate.amazonaws.com/").respond(204)
    respx.get(f"{API}/media/12345").respond(200, json=load("pinterest_media_failed.json"))
    pin = respx.post(f"{API}/pins").respond(201, json=load("pinterest_pin.json"))
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"v")

    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, _content(media=[video]))

    assert caught.value.code == "media_failed"
    assert not pin.called


@respx.mock
def test_a_video_still_processing_after_every_poll_is_transient(adapter):
    respx.post(f"{API}/media").respond(201, json=load("pinterest_media_register.json"))
    respx.post("https://pinterest-media-upload.s3-accelerate.amazonaws.com/").respond(204)
    respx.get(f"{API}/media/12345").respond(200, json=load("pinterest_media_processing.json"))

    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"v")
    with pytest.raises(TransientError):
        adapter.publish(CREDS, _content(media=[video]))


@respx.mock
def test_without_a_board_nothing_is_sent(adapter):
    media = respx.post(f"{API}/media")
    pins = respx.post(f"{API}/pins")
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"v")

    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, _content(media=[video], options={}))

    assert caught.value.code == "option_required"
    assert not media.called and not pins.called


# ------------------------------------------------------------------ errors


@respx.mock
def test_an_unaccepted_token_is_auth_expired(adapter):
    respx.post(f"{API}/pins").respond(401, json=load("pinterest_error_401.json"))
    with pytest.raises(AuthExpired, match="Authentication failed"):
        adapter.publish(CREDS, _content())


@respx.mock
def test_the_rate_limit_carries_retry_after(adapter):
    respx.post(f"{API}/pins").respond(
        429, json=load("pinterest_error_429.json"), headers={"Retry-After": "60"}
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, _content())
    assert caught.value.retry_after == 60.0


@respx.mock
def test_a_refused_pin_is_permanent_with_pinterests_code(adapter):
    respx.post(f"{API}/pins").respond(400, json=load("pinterest_error_400.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, _content())
    assert caught.value.code == "1"
    assert "board_id does not belong" in caught.value.explanation


@respx.mock
def test_a_server_error_is_transient_and_a_lost_answer_is_outcome_unknown(adapter):
    respx.get(f"{API}/user_account").respond(503)
    with pytest.raises(TransientError):
        adapter.account_metrics(CREDS)
    respx.post(f"{API}/pins").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, _content())


def test_comments_are_not_available_in_api_v5(adapter):
    assert not adapter.capabilities.read_comments and not adapter.capabilities.reply
    with pytest.raises(NotSupported):
        adapter.list_comments(CREDS, PIN)


# ------------------------------------------------------------------ OAuth


def test_the_authorisation_url_asks_for_comma_separated_scopes(adapter):
    url = adapter.authorization_url(APP, redirect_uri="https://app.example/cb", state="s" * 20)
    assert url.startswith("https://www.pinterest.com/oauth/?")
    query = parse_qs(url.split("?", 1)[1])
    assert query["scope"] == ["boards:read,pins:read,pins:write,user_accounts:read"]
    assert query["response_type"] == ["code"]


@respx.mock
def test_the_code_exchange_uses_basic_auth_and_asks_for_continuous_refresh(adapter):
    route = respx.post(TOKEN_URL).respond(200, json=load("pinterest_token.json"))

    tokens = adapter.exchange_code(APP, code="abc", redirect_uri="https://app.example/cb")

    request = route.calls.last.request
    expected = base64.b64encode(b"1484362:pinterest-secret").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    form = parse_qs(request.content.decode())
    assert form["grant_type"] == ["authorization_code"]
    assert form["continuous_refresh"] == ["true"]
    assert "client_secret" not in form
    assert tokens.refresh_token == "pinr_AMAXQWYWAAAA"
    assert tokens.expires_in == 2592000


@respx.mock
def test_a_refresh_stores_the_new_refresh_token_pinterest_returns(adapter):
    route = respx.post(TOKEN_URL).respond(
        200,
        json={
            **load("pinterest_token.json"),
            "access_token": "pina_NEW",
            "refresh_token": "pinr_NEW",
        },
    )

    renewed = adapter.refresh(CREDS, APP)

    assert (renewed.access_token, renewed.refresh_token) == ("pina_NEW", "pinr_NEW")
    assert renewed.expires_at > datetime.now(UTC)
    form = parse_qs(route.calls.last.request.content.decode())
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["pinr_AMAXQWYWAAAA"]


@respx.mock
def test_a_refused_refresh_token_means_reconnecting(adapter):
    respx.post(TOKEN_URL).respond(401, json=load("pinterest_error_401.json"))
    with pytest.raises(AuthExpired):
        adapter.refresh(CREDS, APP)


@respx.mock
def test_the_token_opens_the_pinterest_account_itself(adapter):
    respx.get(f"{API}/user_account").respond(200, json=load("pinterest_user_account.json"))
    tokens = TokenSet(
        access_token="pina_X", refresh_token="pinr_X", expires_in=2592000, scope="pins:read"
    )

    [profile] = adapter.connected_profiles(tokens, app=APP)

    assert profile.network == "pinterest"
    assert profile.external_id == "549755885175"
    assert profile.handle == "cafetanger" and profile.display_name == "Café Tanger"
    assert profile.refresh_token == "pinr_X" and profile.scopes == ["pins:read"]


@respx.mock
def test_the_board_choices_are_every_board_but_the_secret_ones_across_pages(adapter):
    route = respx.get(f"{API}/boards").mock(
        side_effect=[
            httpx.Response(200, json=load("pinterest_boards.json")),
            httpx.Response(200, json=load("pinterest_boards_page2.json")),
        ]
    )

    choices = adapter.option_choices(CREDS, "board_id")

    assert choices == [
        ("549755885175", "Recettes"),
        ("549755885176", "Le café"),
        ("549755885178", "Terrasse"),
    ]
    assert route.calls.last.request.url.params["bookmark"].startswith("Y2JVSG81")
    with pytest.raises(NotSupported):
        adapter.option_choices(CREDS, "title")


def test_the_publish_options_check_the_board_title_and_link():
    options = PinterestAdapter.publish_options
    problems = check_options(
        options,
        {"board_id": "nope", "title": "t" * 101, "link": "pas une adresse"},
        account_choices={"board_id": ["549755885175"]},
    )
    assert {p.code for p in problems} == {
        "option_not_a_choice",
        "option_too_long",
        "option_not_a_url",
    }
    assert [p.code for p in check_options(options, {})] == ["option_required"]
