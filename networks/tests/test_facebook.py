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
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    RateLimited,
    TransientError,
)
from networks.facebook.adapter import FacebookAdapter
from networks.meta import DEFAULT_GRAPH_VERSION

from .conftest import load

GRAPH = f"https://graph.facebook.com/{DEFAULT_GRAPH_VERSION}"
PAGE = "104729925234"
POST = "104729925234_122106371212345678"
CREDS = Credentials(access_token="EAAPageToken", refresh_token="EAAUserToken", external_id=PAGE)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(FacebookAdapter)


def _form(route) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(route.calls.last.request.content.decode()).items()}


@respx.mock
def test_publish_text_and_link_to_the_page_feed(adapter):
    route = respx.post(f"{GRAPH}/{PAGE}/feed").respond(200, json=load("facebook_feed_post.json"))

    result = adapter.publish(
        CREDS, PostContent(text="Nouvelle collection", link="https://shop.example/ete")
    )

    assert result.external_id == POST
    assert result.url == f"https://www.facebook.com/{POST}"
    form = _form(route)
    assert form == {
        "message": "Nouvelle collection",
        "link": "https://shop.example/ete",
        "access_token": "EAAPageToken",
    }
    assert "access_token" not in str(route.calls.last.request.url)  # token in body, not URL


@respx.mock
def test_several_photos_are_uploaded_unpublished_then_attached(adapter):
    photos = respx.post(f"{GRAPH}/{PAGE}/photos").mock(
        side_effect=[
            httpx.Response(200, json={"id": "9001"}),
            httpx.Response(200, json={"id": "9002"}),
        ]
    )
    feed = respx.post(f"{GRAPH}/{PAGE}/feed").respond(200, json=load("facebook_feed_post.json"))
    media = [
        MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", url=f"https://cdn.example/{n}.jpg")
        for n in (1, 2)
    ]

    adapter.publish(CREDS, PostContent(text="Album", media=media))

    assert [parse_qs(c.request.content.decode())["published"] for c in photos.calls] == [
        ["false"],
        ["false"],
    ]
    form = _form(feed)
    assert json.loads(form["attached_media[0]"]) == {"media_fbid": "9001"}
    assert json.loads(form["attached_media[1]"]) == {"media_fbid": "9002"}


@respx.mock
def test_single_photo_returns_the_feed_post_id_and_keeps_the_link_in_the_caption(adapter):
    respx.post(f"{GRAPH}/{PAGE}/photos").respond(200, json=load("facebook_photo.json"))
    image = MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", data=b"png")

    result = adapter.publish(
        CREDS, PostContent(text="Photo", media=[image], link="https://shop.example")
    )

    assert result.external_id == "104729925234_122106371212345679"
    assert b"Photo\n\nhttps://shop.example" in respx.calls.last.request.content


@respx.mock
def test_expired_session_subcode_raises_auth_expired_in_plain_english(adapter):
    respx.post(f"{GRAPH}/{PAGE}/feed").respond(400, json=load("meta_error_190_463.json"))
    with pytest.raises(AuthExpired, match="the session has expired"):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_rate_limit_carries_retry_after_from_business_use_case_header(adapter):
    usage = {
        PAGE: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 30,
                "total_time": 40,
                "estimated_time_to_regain_access": 5,
            }
        ]
    }
    respx.post(f"{GRAPH}/{PAGE}/feed").respond(
        400,
        json=load("meta_error_4.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert caught.value.retry_after == 300.0


@respx.mock
def test_server_error_and_transient_codes_are_transient(adapter):
    respx.post(f"{GRAPH}/{PAGE}/feed").mock(
        side_effect=[httpx.Response(500), httpx.Response(500, json=load("meta_error_2.json"))]
    )
    for _ in range(2):
        with pytest.raises(TransientError):
            adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_invalid_parameter_is_permanent_with_code_subcode_and_explanation(adapter):
    respx.post(f"{GRAPH}/{PAGE}/feed").respond(400, json=load("meta_error_100.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="hello", link="https://broken.example"))
    assert (caught.value.code, caught.value.subcode) == ("100", "1609005")
    assert "could not read the link" in caught.value.explanation


@respx.mock
def test_policy_block_is_permanent_and_says_so(adapter):
    respx.post(f"{GRAPH}/{PAGE}/feed").respond(400, json=load("meta_error_368.json"))
    with pytest.raises(PermanentError, match="policy violation"):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_timeout_on_publish_is_outcome_unknown(adapter):
    respx.post(f"{GRAPH}/{PAGE}/feed").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_first_comment_reply_hide_and_delete(adapter):
    comment = respx.post(f"{GRAPH}/{POST}/comments").respond(200, json={"id": f"{POST}_1"})
    hide = respx.post(f"{GRAPH}/{POST}_7").respond(200, json={"success": True})
    delete = respx.delete(f"{GRAPH}/{POST}_7").respond(200, json={"success": True})

    assert adapter.publish_first_comment(CREDS, POST, "Lien en commentaire") == f"{POST}_1"
    adapter.hide_comment(CREDS, f"{POST}_7")
    adapter.delete_comment(CREDS, f"{POST}_7")

    assert _form(comment)["message"] == "Lien en commentaire"
    assert _form(hide)["is_hidden"] == "true"
    assert delete.called


@respx.mock
def test_comments_include_replies_with_parent_and_hidden_state(adapter):
    route = respx.get(f"{GRAPH}/{POST}/comments").respond(200, json=load("facebook_comments.json"))

    comments = adapter.list_comments(CREDS, POST)

    assert comments[0].author.name == "Nadia B." and comments[0].hidden is False
    assert comments[1].parent_id == comments[0].external_id
    assert comments[0].created_at.isoformat() == "2026-03-01T10:05:00+00:00"
    assert route.calls.last.request.url.params["filter"] == "stream"


@respx.mock
def test_post_metrics_use_views_metrics_and_counts(adapter):
    respx.get(f"{GRAPH}/{POST}/insights").respond(200, json=load("facebook_insights.json"))
    respx.get(f"{GRAPH}/{POST}").respond(200, json=load("facebook_post_counts.json"))

    m = adapter.post_metrics(CREDS, POST)

    assert (m.views, m.reach, m.clicks, m.likes, m.comments, m.shares) == (
        5120,
        3900,
        210,
        340,
        45,
        12,
    )
    # Graph has no post impressions any more, nor saves: not available, not 0.
    assert m.impressions is None and m.saves is None


@respx.mock
def test_find_existing_post_matches_recent_published_posts(adapter):
    respx.get(f"{GRAPH}/{PAGE}/published_posts").respond(
        200, json=load("facebook_published_posts.json")
    )
    found = adapter.find_existing_post(CREDS, PostContent(text="Nouvelle collection disponible !"))
    assert found.external_id == POST


@respx.mock
def test_refresh_derives_a_new_page_token_from_the_long_lived_user_token(adapter):
    exchange = respx.get(f"{GRAPH}/oauth/access_token").respond(
        200, json=load("facebook_long_lived.json")
    )
    respx.get(f"{GRAPH}/me/accounts").respond(200, json=load("facebook_accounts.json"))

    renewed = adapter.refresh(CREDS, AppCredentials("app-id", "app-secret"))

    assert renewed.access_token == "EAAPageTokenNew"
    assert renewed.refresh_token == "EAALongLivedUser"
    assert exchange.calls.last.request.url.params["grant_type"] == "fb_exchange_token"


def test_authorization_url_uses_the_versioned_dialog_and_comma_scopes(adapter):
    url = adapter.authorization_url(
        AppCredentials("app-id"), redirect_uri="https://a.example/cb", state="st4te"
    )
    assert url.startswith(f"https://www.facebook.com/{DEFAULT_GRAPH_VERSION}/dialog/oauth?")
    assert "pages_manage_posts%2Cpages_manage_engagement" in url


def test_searching_mentions_is_not_supported(adapter):
    with pytest.raises(NotSupported):
        adapter.search_mentions(CREDS, "atlas")
