"""TikTok: connecting (Login Kit for Web), token refresh, and what the account's videos say."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import respx

from networks.base import AuthExpired, PostContent, TokenSet
from networks.tiktok.adapter import TikTokAdapter

from .conftest import load
from .test_tiktok import API, APP, CREDS, OPEN_ID, VIDEO_ID, _form, _json


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(TikTokAdapter)


# ---------------------------------------------------------------- OAuth


def test_authorization_url_is_login_kit_for_web_with_client_key_and_comma_scopes(adapter):
    url = adapter.authorization_url(APP, redirect_uri="https://app.example/cb/", state="st4te")
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://www.tiktok.com/v2/auth/authorize/"
    )
    assert query["client_key"] == "awx3yd7k2rg9" and "client_id" not in query
    assert query["scope"].split(",") == [
        "user.info.basic",
        "user.info.profile",
        "user.info.stats",
        "video.publish",
        "video.upload",
        "video.list",
    ]
    assert query["response_type"] == "code" and query["state"] == "st4te"
    assert "code_challenge" not in query  # PKCE is for TikTok's desktop and mobile apps


@respx.mock
def test_code_exchange_sends_client_key_and_secret_and_reads_the_token(adapter):
    route = respx.post(f"{API}/oauth/token/").respond(200, json=load("tiktok_token.json"))
    tokens = adapter.exchange_code(APP, code="c0de", redirect_uri="https://app.example/cb/")
    assert tokens.access_token == "act.example12345Example12345Example"
    assert tokens.refresh_token == "rft.example12345Example12345Example"
    assert tokens.expires_in == 86400
    assert _form(route.calls.last) == {
        "grant_type": "authorization_code",
        "code": "c0de",
        "redirect_uri": "https://app.example/cb/",
        "client_key": "awx3yd7k2rg9",
        "client_secret": "s3cr3t",
    }


@respx.mock
def test_refresh_stores_the_rotated_refresh_token(adapter):
    body = load("tiktok_token.json") | {"access_token": "act.new", "refresh_token": "rft.new"}
    route = respx.post(f"{API}/oauth/token/").respond(200, json=body)
    fresh = adapter.refresh(CREDS, APP)
    assert (fresh.access_token, fresh.refresh_token) == ("act.new", "rft.new")
    assert fresh.expires_at > datetime.now(UTC)
    assert _form(route.calls.last)["grant_type"] == "refresh_token"
    assert _form(route.calls.last)["refresh_token"] == CREDS.refresh_token


@respx.mock
def test_a_dead_refresh_token_asks_for_a_reconnection(adapter):
    respx.post(f"{API}/oauth/token/").respond(
        400, json=load("tiktok_oauth_error_invalid_grant.json")
    )
    with pytest.raises(AuthExpired, match="invalid or expired"):
        adapter.refresh(CREDS, APP)


@respx.mock
def test_connected_profile_is_the_signed_in_creator(adapter):
    route = respx.get(f"{API}/user/info/").respond(200, json=load("tiktok_user_info.json"))
    (profile,) = adapter.connected_profiles(
        TokenSet(access_token="act.x", refresh_token="rft.x", expires_in=86400, scope="video.list"),
        app=APP,
    )
    assert profile.external_id == OPEN_ID
    assert profile.handle == "@cafe.zellige" and profile.display_name == "Café Zellige"
    assert profile.refresh_token == "rft.x" and profile.scopes == ["video.list"]
    assert route.calls.last.request.headers["Authorization"] == "Bearer act.x"


# ---------------------------------------------------------------- reading


@respx.mock
def test_find_existing_post_recognises_our_caption(adapter):
    route = respx.post(f"{API}/video/list/").respond(200, json=load("tiktok_video_list.json"))
    found = adapter.find_existing_post(
        CREDS, PostContent(text="Le thé à la menthe  du matin #casablanca")
    )
    assert found.external_id == VIDEO_ID
    assert adapter.find_existing_post(CREDS, PostContent(text="Autre chose")) is None
    assert route.calls.last.request.url.params["fields"].startswith("id,")
    assert _json(route.calls.last) == {"max_count": 20}


@respx.mock
def test_recent_posts_stop_at_since(adapter):
    respx.post(f"{API}/video/list/").respond(200, json=load("tiktok_video_list.json"))
    since = datetime(2026, 12, 3, tzinfo=UTC)
    (post,) = adapter.list_recent_posts(CREDS, since)
    assert post.external_id == VIDEO_ID and post.comments_count == 12
    assert post.created_at == datetime.fromtimestamp(1796457600, tz=UTC)


@respx.mock
def test_post_and_account_metrics(adapter):
    query = respx.post(f"{API}/video/query/").respond(200, json=load("tiktok_video_query.json"))
    respx.get(f"{API}/user/info/").respond(200, json=load("tiktok_user_stats.json"))
    post = adapter.post_metrics(CREDS, VIDEO_ID)
    assert (post.views, post.likes, post.comments, post.shares) == (15204, 930, 12, 41)
    assert post.reach is None  # TikTok does not say
    assert _json(query.calls.last) == {"filters": {"video_ids": [VIDEO_ID]}}
    assert adapter.account_metrics(CREDS).followers == 12840
