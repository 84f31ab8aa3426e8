import json
import time

import httpx
import pytest
import respx

from networks.base import (
    AuthExpired,
    Credentials,
    MediaItem,
    MediaKind,
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    RateLimited,
    TransientError,
)
from networks.bluesky.adapter import BlueskyAdapter

from .conftest import load

PDS = "https://bsky.social/xrpc"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
CREDS = Credentials(
    access_token="jwt-access",
    refresh_token="jwt-refresh",
    instance_url="https://bsky.social",
    external_id=DID,
    extra={"handle": "atlasbrand.bsky.social"},
)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(BlueskyAdapter)


def _record(route) -> dict:
    return json.loads(route.calls.last.request.content)["record"]


@respx.mock
def test_login_with_app_password_gives_session_credentials(adapter):
    route = respx.post(f"{PDS}/com.atproto.server.createSession").respond(
        200, json=load("bluesky_session.json")
    )

    creds = adapter.login("atlasbrand.bsky.social", "abcd-efgh-ijkl-mnop")

    assert creds.external_id == DID
    assert creds.refresh_token.endswith("refresh.sig")
    assert json.loads(route.calls.last.request.content)["identifier"] == "atlasbrand.bsky.social"
    assert "***" in repr(creds) and "access.sig" not in repr(creds)


@respx.mock
def test_refresh_uses_the_refresh_jwt(adapter):
    route = respx.post(f"{PDS}/com.atproto.server.refreshSession").respond(
        200, json=load("bluesky_session.json")
    )

    renewed = adapter.refresh(CREDS)

    assert route.calls.last.request.headers["Authorization"] == "Bearer jwt-refresh"
    assert renewed.access_token.endswith("access.sig")


@respx.mock
def test_publish_builds_facets_with_utf8_byte_offsets(adapter):
    respx.get(f"{PDS}/com.atproto.identity.resolveHandle").respond(
        200, json={"did": "did:plc:friend"}
    )
    route = respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        200, json=load("bluesky_create_record.json")
    )
    text = "Été 👍🏽 avec @salma.bsky.social sur https://atlas.example/été #Maroc"

    result = adapter.publish(CREDS, PostContent(text=text))

    record = _record(route)
    encoded = text.encode("utf-8")
    slices = {
        f["features"][0]["$type"].rsplit("#", 1)[1]: encoded[
            f["index"]["byteStart"] : f["index"]["byteEnd"]
        ].decode("utf-8")
        for f in record["facets"]
    }
    assert slices == {
        "mention": "@salma.bsky.social",
        "link": "https://atlas.example/été",
        "tag": "#Maroc",
    }
    assert record["facets"][0]["index"]["byteStart"] != text.index("https")  # bytes, not chars
    assert result.url == "https://bsky.app/profile/atlasbrand.bsky.social/post/3l6oveex3ii2l"


@respx.mock
def test_publish_uploads_images_and_embeds_them_with_alt_text(adapter):
    upload = respx.post(f"{PDS}/com.atproto.repo.uploadBlob").respond(
        200, json=load("bluesky_upload_blob.json")
    )
    route = respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        200, json=load("bluesky_create_record.json")
    )
    image = MediaItem(
        kind=MediaKind.IMAGE,
        mime_type="image/jpeg",
        data=b"\xff\xd8jpeg",
        width=1200,
        height=800,
        alt_text="Plage d'Essaouira",
    )

    adapter.publish(CREDS, PostContent(text="Photos", media=[image]))

    assert upload.calls.last.request.headers["Content-Type"] == "image/jpeg"
    embed = _record(route)["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Plage d'Essaouira"
    assert embed["images"][0]["aspectRatio"] == {"width": 1200, "height": 800}


@respx.mock
def test_link_without_images_becomes_an_external_card(adapter):
    route = respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        200, json=load("bluesky_create_record.json")
    )

    adapter.publish(
        CREDS,
        PostContent(text="À lire", link="https://atlas.example/blog", link_title="Notre blog"),
    )

    record = _record(route)
    assert record["embed"]["external"] == {
        "uri": "https://atlas.example/blog",
        "title": "Notre blog",
        "description": "",
    }
    assert record["text"].endswith("https://atlas.example/blog")


@respx.mock
def test_thread_replies_point_to_root_and_parent(adapter):
    created = load("bluesky_create_record.json")
    second = {"uri": f"at://{DID}/app.bsky.feed.post/second", "cid": "cid2"}
    third = {"uri": f"at://{DID}/app.bsky.feed.post/third", "cid": "cid3"}
    route = respx.post(f"{PDS}/com.atproto.repo.createRecord").mock(
        side_effect=[
            httpx.Response(200, json=created),
            httpx.Response(200, json=second),
            httpx.Response(200, json=third),
        ]
    )

    adapter.publish(CREDS, PostContent(text="1/3", thread=["2/3", "3/3"]))

    replies = [json.loads(c.request.content)["record"].get("reply") for c in route.calls]
    assert replies[0] is None
    assert replies[1]["root"]["uri"] == replies[1]["parent"]["uri"] == created["uri"]
    assert replies[2]["root"]["uri"] == created["uri"]
    assert replies[2]["parent"] == second


@respx.mock
def test_expired_token_raises_auth_expired(adapter):
    respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        400, json=load("bluesky_error_expired.json")
    )
    with pytest.raises(AuthExpired, match="ExpiredToken"):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_rate_limit_carries_retry_after_from_ratelimit_reset(adapter):
    respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        429,
        json=load("bluesky_error_ratelimit.json"),
        headers={
            "ratelimit-limit": "5000",
            "ratelimit-remaining": "0",
            "ratelimit-reset": str(int(time.time()) + 120),
            "ratelimit-policy": "5000;w=3600",
        },
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert 100 < caught.value.retry_after <= 120


@respx.mock
def test_server_error_is_transient(adapter):
    respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(502)
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_invalid_record_is_permanent_with_lexicon_code(adapter):
    respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        400, json=load("bluesky_error_invalid.json")
    )
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="x" * 400))
    assert caught.value.code == "InvalidRequest"
    assert "300 graphemes" in caught.value.explanation


@respx.mock
def test_timeout_on_publish_is_outcome_unknown(adapter):
    respx.post(f"{PDS}/com.atproto.repo.createRecord").mock(side_effect=httpx.WriteTimeout("x"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_find_existing_post_lists_recent_records(adapter):
    respx.get(f"{PDS}/com.atproto.repo.listRecords").respond(
        200,
        json={
            "records": [
                {
                    "uri": f"at://{DID}/app.bsky.feed.post/3l6oveex3ii2l",
                    "cid": "c",
                    "value": {"text": "Bonjour  Casa", "createdAt": "2026-03-01T10:00:00Z"},
                }
            ]
        },
    )

    assert adapter.find_existing_post(CREDS, PostContent(text="Bonjour Casa")).external_id.endswith(
        "3l6oveex3ii2l"
    )
    assert adapter.find_existing_post(CREDS, PostContent(text="Autre")) is None


@respx.mock
def test_search_comments_reply_and_metrics(adapter):
    respx.get(f"{PDS}/app.bsky.feed.searchPosts").respond(200, json=load("bluesky_search.json"))
    respx.get(f"{PDS}/app.bsky.feed.getPostThread").respond(200, json=load("bluesky_thread.json"))
    parent = load("bluesky_search.json")["posts"][0]
    respx.get(f"{PDS}/app.bsky.feed.getPosts").respond(200, json={"posts": [parent]})
    created = respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        200, json=load("bluesky_create_record.json")
    )

    mentions = adapter.search_mentions(CREDS, "atlasbrand")
    comments = adapter.list_comments(CREDS, f"at://{DID}/app.bsky.feed.post/3l6oveex3ii2l")
    adapter.reply(CREDS, parent["uri"], "Merci !")
    metrics = adapter.post_metrics(CREDS, parent["uri"])

    assert mentions[0].language == "fr" and mentions[0].author.handle == "youssef.bsky.social"
    assert [c.text for c in comments] == ["Magnifique !"]  # blocked reply skipped
    reply = _record(created)["reply"]
    assert reply["root"] == reply["parent"] == {"uri": parent["uri"], "cid": parent["cid"]}
    assert (metrics.likes, metrics.shares) == (4, 1)


def test_oauth_and_comment_moderation_are_not_supported(adapter):
    with pytest.raises(NotSupported):
        adapter.authorization_url(None, redirect_uri="x", state="s")
    with pytest.raises(NotSupported):
        adapter.hide_comment(CREDS, "at://x")
