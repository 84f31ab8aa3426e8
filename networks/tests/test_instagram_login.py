"""Instagram through Instagram Login: the same Graph API calls as with Facebook Login, on
graph.instagram.com, with Instagram's own login and long-lived tokens and no Facebook Page."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import respx

from networks.base import (
    AppCredentials,
    AuthExpired,
    Credentials,
    MediaItem,
    MediaKind,
    NotSupported,
    PermanentError,
    PostContent,
    RateLimited,
)
from networks.connect import ApiVersions
from networks.instagram_login.adapter import InstagramLoginAdapter
from networks.meta import DEFAULT_GRAPH_VERSION
from networks.registry import adapter_options

from .conftest import load

HOST = "https://graph.instagram.com"
GRAPH = f"{HOST}/{DEFAULT_GRAPH_VERSION}"
IG = "17841405822304914"
CONTAINER = "17889455560051444"
MEDIA = "17920238422030506"
CREDS = Credentials(access_token="IGAALongLived456", external_id=IG)
APP = AppCredentials(client_id="990602627938098", client_secret="ig-secret")
IMAGE = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", url="https://cdn.example/a.jpg")


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(InstagramLoginAdapter)


def _form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.content.decode()).items()}


def test_authorization_url_is_instagrams_business_login(adapter):
    url = adapter.authorization_url(APP, redirect_uri="https://app.example/cb/", state="st")
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://www.instagram.com/oauth/authorize"
    )
    assert query["client_id"] == APP.client_id and query["response_type"] == "code"
    assert query["scope"].split(",") == [
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_comments",
        "instagram_business_manage_messages",
        "instagram_business_manage_insights",
    ]


@respx.mock
def test_connecting_exchanges_the_code_then_keeps_a_long_lived_token(adapter):
    token = respx.post("https://api.instagram.com/oauth/access_token").respond(
        200, json=load("instagram_login_token.json")
    )
    long_lived = respx.get(f"{HOST}/access_token").respond(
        200, json=load("instagram_login_long_lived.json")
    )
    me = respx.get(f"{GRAPH}/me").respond(200, json=load("instagram_login_me.json"))

    tokens = adapter.exchange_code(APP, code="AQBx", redirect_uri="https://app.example/cb/")
    (profile,) = adapter.connected_profiles(tokens, app=APP)

    assert _form(token.calls.last) == {
        "client_id": APP.client_id,
        "client_secret": "ig-secret",
        "grant_type": "authorization_code",
        "redirect_uri": "https://app.example/cb/",
        "code": "AQBx",
    }
    params = long_lived.calls.last.request.url.params
    assert params["grant_type"] == "ig_exchange_token"
    assert params["access_token"] == "IGAAShortLived123" and params["client_secret"] == "ig-secret"
    assert me.calls.last.request.url.params["access_token"] == "IGAALongLived456"
    assert profile.external_id == IG  # the professional account's id, not the app-scoped one
    assert profile.handle == "@cafe.zellige" and profile.display_name == "Café Zellige"
    assert profile.access_token == "IGAALongLived456" and not profile.linked_page_id
    assert profile.expires_at > datetime.now(UTC) + timedelta(days=59)
    assert "instagram_business_manage_messages" in profile.scopes


@respx.mock
def test_a_refused_code_is_explained(adapter):
    respx.post("https://api.instagram.com/oauth/access_token").respond(
        400, json=load("instagram_login_error_code.json")
    )
    with pytest.raises(PermanentError, match="Invalid authorization code"):
        adapter.exchange_code(APP, code="old", redirect_uri="https://app.example/cb/")


@respx.mock
def test_refresh_gives_sixty_more_days_from_the_current_token(adapter):
    route = respx.get(f"{HOST}/refresh_access_token").respond(
        200, json=load("instagram_login_long_lived.json") | {"access_token": "IGAAFresh"}
    )
    fresh = adapter.refresh(CREDS, APP)
    assert fresh.access_token == "IGAAFresh" and fresh.external_id == IG
    assert fresh.expires_at > datetime.now(UTC) + timedelta(days=59)
    params = route.calls.last.request.url.params
    assert params["grant_type"] == "ig_refresh_token"
    assert params["access_token"] == "IGAALongLived456"


@respx.mock
def test_an_expired_token_asks_for_a_reconnection(adapter):
    respx.get(f"{HOST}/refresh_access_token").respond(400, json=load("meta_error_190_463.json"))
    with pytest.raises(AuthExpired):
        adapter.refresh(CREDS, APP)


@respx.mock
def test_publishing_is_the_container_flow_on_graph_instagram_com(adapter):
    respx.get(f"{GRAPH}/{IG}/content_publishing_limit").respond(
        200, json=load("instagram_publishing_limit.json")
    )
    create = respx.post(f"{GRAPH}/{IG}/media").respond(200, json=load("instagram_container.json"))
    respx.get(f"{GRAPH}/{CONTAINER}").respond(200, json=load("instagram_container_finished.json"))
    publish = respx.post(f"{GRAPH}/{IG}/media_publish").respond(
        200, json=load("instagram_media_publish.json")
    )
    respx.get(f"{GRAPH}/{MEDIA}").respond(200, json=load("instagram_permalink.json"))

    result = adapter.publish(CREDS, PostContent(text="Été", media=[IMAGE]))

    assert result.external_id == MEDIA
    assert result.url == "https://www.instagram.com/p/C4xYz12AbCd/"
    assert _form(create.calls.last)["access_token"] == "IGAALongLived456"
    assert _form(publish.calls.last)["creation_id"] == CONTAINER


@respx.mock
def test_the_daily_publishing_limit_is_checked_first(adapter):
    respx.get(f"{GRAPH}/{IG}/content_publishing_limit").respond(
        200, json=load("instagram_publishing_limit_full.json")
    )
    with pytest.raises(RateLimited):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))


@respx.mock
def test_comments_are_read_answered_and_hidden(adapter):
    respx.get(f"{GRAPH}/{MEDIA}/comments").respond(200, json=load("instagram_comments.json"))
    reply = respx.post(f"{GRAPH}/17870913679156914/replies").respond(200, json={"id": "r1"})
    hide = respx.post(f"{GRAPH}/17870913679156914").respond(200, json={"success": True})

    comments = adapter.list_comments(CREDS, MEDIA)
    assert [c.external_id for c in comments] == ["17870913679156914", "17870913679156999"]
    assert comments[1].parent_id == "17870913679156914"
    assert adapter.reply(CREDS, "17870913679156914", "Merci !") == "r1"
    adapter.hide_comment(CREDS, "17870913679156914")
    assert _form(reply.calls.last)["message"] == "Merci !"
    assert _form(hide.calls.last)["hide"] == "true"


@respx.mock
def test_private_messages_go_through_the_account_itself(adapter):
    listed = respx.get(f"{GRAPH}/{IG}/conversations").respond(
        200, json=load("instagram_login_conversations.json")
    )
    sent = respx.post(f"{GRAPH}/{IG}/messages").respond(
        200, json=load("instagram_login_send_message.json")
    )

    ((thread, message),) = adapter.list_direct_messages(CREDS)
    answer = adapter.send_direct_message(CREDS, thread, thread, "Oui, de 9 h à 18 h.")

    assert thread == "1234567890123456" and message.text == "Vous êtes ouverts dimanche ?"
    assert listed.calls.last.request.url.params["access_token"] == "IGAALongLived456"
    assert listed.calls.last.request.url.params["platform"] == "instagram"
    assert answer == "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy"
    assert json.loads(sent.calls.last.request.content) == {
        "recipient": {"id": "1234567890123456"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Oui, de 9 h à 18 h."},
    }


@respx.mock
def test_a_private_reply_to_a_comment(adapter):
    sent = respx.post(f"{GRAPH}/{IG}/messages").respond(
        200, json=load("instagram_login_send_message.json")
    )
    adapter.send_private_reply(CREDS, "17870913679156914", "Je vous écris en privé.")
    assert json.loads(sent.calls.last.request.content)["recipient"] == {
        "comment_id": "17870913679156914"
    }


@respx.mock
def test_metrics_are_the_media_insights(adapter):
    respx.get(f"{GRAPH}/{MEDIA}/insights").respond(200, json=load("instagram_insights.json"))
    respx.get(f"{GRAPH}/{IG}").respond(200, json={"followers_count": 1520, "id": IG})
    post = adapter.post_metrics(CREDS, MEDIA)
    assert (post.views, post.reach, post.saves) == (8400, 6100, 66)
    assert adapter.account_metrics(CREDS).followers == 1520


def test_hashtag_search_and_likes_need_facebook_login(adapter):
    with pytest.raises(NotSupported):
        adapter.search_mentions(CREDS, "#atlas")
    with pytest.raises(NotSupported):
        adapter.like_comment(CREDS, "c1")


def test_the_pinned_graph_version_applies_but_not_the_facebook_host():
    versions = ApiVersions(meta_graph="v25.0", meta_graph_base_url="http://127.0.0.1:8999")
    assert adapter_options("instagram_login", versions) == {"graph_version": "v25.0"}
    pinned = InstagramLoginAdapter(graph_version="v25.0")
    assert pinned.url("me") == "https://graph.instagram.com/v25.0/me"
    assert pinned.api_version == "v25.0"
