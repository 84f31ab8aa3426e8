from urllib.parse import parse_qs

import httpx
import pytest
import respx

from networks.base import (
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
from networks.instagram.adapter import InstagramAdapter
from networks.meta import DEFAULT_GRAPH_VERSION

from .conftest import load

GRAPH = f"https://graph.facebook.com/{DEFAULT_GRAPH_VERSION}"
IG = "17841405822304914"
CONTAINER = "17889455560051444"
MEDIA = "17920238422030506"
CREDS = Credentials(access_token="EAAUserToken", external_id=IG)
IMAGE = MediaItem(
    kind=MediaKind.IMAGE,
    mime_type="image/jpeg",
    url="https://cdn.example/plage.jpg",
    alt_text="Plage",
)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(InstagramAdapter)


def _form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.content.decode()).items()}


def _quota(usage_fixture="instagram_publishing_limit.json"):
    route = respx.get(f"{GRAPH}/{IG}/content_publishing_limit")
    return route.respond(200, json=load(usage_fixture))


@respx.mock
def test_publish_single_image_through_container_status_and_media_publish(adapter):
    _quota()
    create = respx.post(f"{GRAPH}/{IG}/media").respond(200, json=load("instagram_container.json"))
    respx.get(f"{GRAPH}/{CONTAINER}").respond(200, json=load("instagram_container_finished.json"))
    publish = respx.post(f"{GRAPH}/{IG}/media_publish").respond(
        200, json=load("instagram_media_publish.json")
    )
    respx.get(f"{GRAPH}/{MEDIA}").respond(200, json=load("instagram_permalink.json"))

    result = adapter.publish(CREDS, PostContent(text="Été #atlas", media=[IMAGE]))

    assert result.external_id == MEDIA
    assert result.url == "https://www.instagram.com/p/C4xYz12AbCd/"
    assert _form(create.calls.last) == {
        "image_url": "https://cdn.example/plage.jpg",
        "alt_text": "Plage",
        "caption": "Été #atlas",
        "access_token": "EAAUserToken",
    }
    assert _form(publish.calls.last)["creation_id"] == CONTAINER


@respx.mock
def test_carousel_creates_children_then_a_carousel_container(adapter, sleeps):
    _quota()
    create = respx.post(f"{GRAPH}/{IG}/media").mock(
        side_effect=[
            httpx.Response(200, json={"id": "c1"}),
            httpx.Response(200, json={"id": "c2"}),
            httpx.Response(200, json={"id": "parent"}),
        ]
    )
    respx.get(f"{GRAPH}/c1").respond(200, json={"status_code": "FINISHED", "id": "c1"})
    respx.get(f"{GRAPH}/c2").mock(
        side_effect=[
            httpx.Response(200, json={"status_code": "IN_PROGRESS", "id": "c2"}),
            httpx.Response(200, json={"status_code": "FINISHED", "id": "c2"}),
        ]
    )
    respx.get(f"{GRAPH}/parent").respond(200, json={"status_code": "FINISHED", "id": "parent"})
    respx.post(f"{GRAPH}/{IG}/media_publish").respond(200, json={"id": MEDIA})
    respx.get(f"{GRAPH}/{MEDIA}").respond(200, json=load("instagram_permalink.json"))
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://cdn.example/v.mp4")

    adapter.publish(CREDS, PostContent(text="Carrousel", media=[IMAGE, video]))

    forms = [_form(c) for c in create.calls]
    assert forms[0]["is_carousel_item"] == "true" and "caption" not in forms[0]
    assert forms[1]["media_type"] == "VIDEO" and forms[1]["video_url"].endswith("v.mp4")
    assert forms[2]["media_type"] == "CAROUSEL" and forms[2]["children"] == "c1,c2"
    assert forms[2]["caption"] == "Carrousel"
    assert len(sleeps) == 1  # waited once for c2


@respx.mock
def test_publishing_quota_reached_raises_rate_limited_before_any_container(adapter):
    _quota("instagram_publishing_limit_full.json")
    create = respx.post(f"{GRAPH}/{IG}/media")
    with pytest.raises(RateLimited, match="100 API-published posts"):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))
    assert not create.called


@respx.mock
def test_container_error_status_is_permanent(adapter):
    _quota()
    respx.post(f"{GRAPH}/{IG}/media").respond(200, json=load("instagram_container.json"))
    respx.get(f"{GRAPH}/{CONTAINER}").respond(200, json=load("instagram_container_error.json"))
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://cdn.example/v.avi")
    with pytest.raises(PermanentError, match="2207026"):
        adapter.publish(CREDS, PostContent(text="x", media=[video]))


@respx.mock
def test_unsupported_video_error_code_is_explained(adapter):
    _quota()
    respx.post(f"{GRAPH}/{IG}/media").respond(400, json=load("instagram_error_2207026.json"))
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://cdn.example/v.avi")
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="x", media=[video]))
    assert caught.value.subcode == "2207026"
    assert "video format is not supported (MP4/MOV" in caught.value.explanation


def test_media_without_public_url_is_refused_before_calling(adapter):
    with respx.mock:
        _quota()
        with pytest.raises(PermanentError, match="public URL"):
            adapter.publish(
                CREDS,
                PostContent(
                    text="x",
                    media=[MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"jpg")],
                ),
            )


@respx.mock
def test_expired_token_raises_auth_expired(adapter):
    respx.get(f"{GRAPH}/{IG}/content_publishing_limit").respond(
        400, json=load("meta_error_190_463.json")
    )
    with pytest.raises(AuthExpired):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))


@respx.mock
def test_daily_post_limit_error_is_rate_limited(adapter):
    _quota()
    respx.post(f"{GRAPH}/{IG}/media").respond(200, json=load("instagram_container.json"))
    respx.get(f"{GRAPH}/{CONTAINER}").respond(200, json=load("instagram_container_finished.json"))
    respx.post(f"{GRAPH}/{IG}/media_publish").respond(
        400, json=load("instagram_error_2207042.json")
    )
    with pytest.raises(RateLimited, match="limit of API-published posts"):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))


@respx.mock
def test_server_error_is_transient(adapter):
    _quota()
    respx.post(f"{GRAPH}/{IG}/media").respond(503)
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))


@respx.mock
def test_timeout_on_media_publish_is_outcome_unknown(adapter):
    _quota()
    respx.post(f"{GRAPH}/{IG}/media").respond(200, json=load("instagram_container.json"))
    respx.get(f"{GRAPH}/{CONTAINER}").respond(200, json=load("instagram_container_finished.json"))
    respx.post(f"{GRAPH}/{IG}/media_publish").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))


@respx.mock
def test_timeout_creating_a_container_is_only_transient(adapter):
    _quota()
    respx.post(f"{GRAPH}/{IG}/media").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="x", media=[IMAGE]))


@respx.mock
def test_comments_with_replies_hide_and_reply(adapter):
    respx.get(f"{GRAPH}/{MEDIA}/comments").respond(200, json=load("instagram_comments.json"))
    hide = respx.post(f"{GRAPH}/17870913679156914").respond(200, json={"success": True})
    reply = respx.post(f"{GRAPH}/17870913679156914/replies").respond(200, json={"id": "r1"})

    comments = adapter.list_comments(CREDS, MEDIA)
    adapter.hide_comment(CREDS, "17870913679156914")
    reply_id = adapter.reply(CREDS, "17870913679156914", "Merci !")

    assert [c.author.handle for c in comments] == ["salma.ma", "atlasbrand"]
    assert comments[1].parent_id == "17870913679156914"
    assert _form(hide.calls.last)["hide"] == "true"
    assert reply_id == "r1" and _form(reply.calls.last)["message"] == "Merci !"


@respx.mock
def test_hashtag_search_returns_media_newer_than_since_id(adapter):
    respx.get(f"{GRAPH}/ig_hashtag_search").respond(200, json=load("instagram_hashtag_search.json"))
    respx.get(f"{GRAPH}/17843853986012965/recent_media").respond(
        200, json=load("instagram_recent_media.json")
    )

    mentions = adapter.search_mentions(CREDS, "#atlasbrand", since_id="18000000000000001")

    assert [m.external_id for m in mentions] == ["18000000000000002"]
    with pytest.raises(PermanentError, match="one hashtag"):
        adapter.search_mentions(CREDS, "atlas brand")


@respx.mock
def test_post_metrics_map_views_and_saves(adapter):
    respx.get(f"{GRAPH}/{MEDIA}/insights").respond(200, json=load("instagram_insights.json"))
    m = adapter.post_metrics(CREDS, MEDIA)
    assert (m.views, m.reach, m.likes, m.comments, m.shares, m.saves) == (
        8400,
        6100,
        530,
        41,
        18,
        66,
    )
    assert m.clicks is None and m.impressions is None
