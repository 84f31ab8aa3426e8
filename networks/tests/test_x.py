import base64
import json
import time
from datetime import UTC, datetime

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
from networks.oauth import code_challenge_s256, generate_code_verifier
from networks.x.adapter import XAdapter

from .conftest import load

API = "https://api.x.com/2"
CREDS = Credentials(access_token="x-access", refresh_token="x-refresh", external_id="2244994945")
TWEET = "1445880548472328192"


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(XAdapter)


@respx.mock
def test_publish_a_thread_chains_replies(adapter):
    route = respx.post(f"{API}/tweets").mock(
        side_effect=[
            httpx.Response(201, json=load("x_tweet_created.json")),
            httpx.Response(201, json={"data": {"id": "2", "text": "2/2"}}),
        ]
    )

    result = adapter.publish(
        CREDS, PostContent(text="1/2", link="https://atlas.example", thread=["2/2"])
    )

    assert result.external_id == TWEET and result.thread_ids == ["2"]
    assert result.url == f"https://x.com/i/web/status/{TWEET}"
    first, second = (json.loads(c.request.content) for c in route.calls)
    assert first == {"text": "1/2\n\nhttps://atlas.example"}
    assert second == {"text": "2/2", "reply": {"in_reply_to_tweet_id": TWEET}}
    assert route.calls.last.request.headers["Authorization"] == "Bearer x-access"


@respx.mock
def test_images_are_uploaded_with_alt_text_and_attached(adapter):
    upload = respx.post(f"{API}/media/upload").respond(200, json=load("x_media_upload.json"))
    metadata = respx.post(f"{API}/media/metadata").respond(200, json={"data": {}})
    tweet = respx.post(f"{API}/tweets").respond(201, json=load("x_tweet_created.json"))
    image = MediaItem(
        kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"\xff\xd8", alt_text="Une plage"
    )

    adapter.publish(CREDS, PostContent(text="Photo", media=[image]))

    assert b'name="media_category"' in upload.calls.last.request.content
    assert json.loads(metadata.calls.last.request.content)["metadata"] == {
        "alt_text": {"text": "Une plage"}
    }
    assert json.loads(tweet.calls.last.request.content)["media"] == {
        "media_ids": ["1880028106020515840"]
    }


@respx.mock
def test_video_goes_through_initialize_append_finalize_and_status(adapter, sleeps):
    init = respx.post(f"{API}/media/upload/initialize").respond(200, json=load("x_media_init.json"))
    append = respx.post(f"{API}/media/upload/1880028106020515841/append").respond(200)
    respx.post(f"{API}/media/upload/1880028106020515841/finalize").respond(
        200, json=load("x_media_finalize_pending.json")
    )
    status = respx.get(f"{API}/media/upload").respond(
        200, json=load("x_media_status_succeeded.json")
    )
    respx.post(f"{API}/tweets").respond(201, json=load("x_tweet_created.json"))
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"v" * (5 * 1024 * 1024))

    adapter.publish(CREDS, PostContent(text="Vidéo", media=[video]))

    assert json.loads(init.calls.last.request.content)["media_category"] == "tweet_video"
    assert append.call_count == 2  # 4 MiB chunks
    assert status.calls.last.request.url.params["command"] == "STATUS"
    assert sleeps == [1]


@respx.mock
def test_expired_token_raises_auth_expired(adapter):
    respx.post(f"{API}/tweets").respond(401, json=load("x_error_401.json"))
    with pytest.raises(AuthExpired):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_rate_limit_carries_retry_after_from_x_rate_limit_reset(adapter):
    respx.post(f"{API}/tweets").respond(
        429,
        json=load("x_error_429.json"),
        headers={
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(time.time()) + 900),
        },
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert 880 < caught.value.retry_after <= 900


@respx.mock
def test_server_error_is_transient(adapter):
    respx.post(f"{API}/tweets").respond(503, json={"title": "Service Unavailable"})
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_invalid_request_is_permanent_with_problem_type(adapter):
    respx.post(f"{API}/tweets").respond(400, json=load("x_error_400.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="x" * 300))
    assert caught.value.code == "invalid-request"
    assert "parameters to your request was invalid" in caught.value.explanation


@respx.mock
def test_duplicate_content_is_explained(adapter):
    respx.post(f"{API}/tweets").respond(403, json=load("x_error_403_duplicate.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert caught.value.code == "duplicate"
    assert "identical to a recent one" in caught.value.explanation


@respx.mock
def test_timeout_on_publish_is_outcome_unknown(adapter):
    respx.post(f"{API}/tweets").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_find_existing_post_ignores_tco_rewriting_of_links(adapter):
    respx.get(f"{API}/users/2244994945/tweets").respond(200, json=load("x_user_tweets.json"))
    content = PostContent(text="Nouvelle collection disponible !", link="https://shop.example/ete")
    assert adapter.find_existing_post(CREDS, content).external_id == TWEET


@respx.mock
def test_recent_search_gives_mentions_with_author_and_since_id(adapter):
    route = respx.get(f"{API}/tweets/search/recent").respond(200, json=load("x_search_recent.json"))

    mentions = adapter.search_mentions(CREDS, "@atlasbrand -is:retweet", since_id="1445")
    comments = adapter.list_comments(CREDS, TWEET, since=datetime(2026, 3, 1, tzinfo=UTC))

    assert mentions[0].author.handle == "amine_ma" and mentions[0].author.followers == 812
    assert mentions[0].language == "fr"
    assert comments[0].parent_id == TWEET
    params = route.calls.last.request.url.params
    assert params["query"] == f"conversation_id:{TWEET}"
    assert params["start_time"] == "2026-03-01T00:00:00Z"
    assert route.calls[0].request.url.params["since_id"] == "1445"


@respx.mock
def test_hide_reply_and_metrics(adapter):
    hide = respx.put(f"{API}/tweets/1446000000000000001/hidden").respond(
        200, json={"data": {"hidden": True}}
    )
    respx.get(f"{API}/tweets/{TWEET}").respond(200, json=load("x_tweet_metrics.json"))

    adapter.hide_comment(CREDS, "1446000000000000001")
    m = adapter.post_metrics(CREDS, TWEET)

    assert json.loads(hide.calls.last.request.content) == {"hidden": True}
    assert (m.impressions, m.likes, m.comments, m.shares, m.saves) == (4012, 73, 5, 10, 6)
    with pytest.raises(NotSupported):
        adapter.delete_comment(CREDS, "1446000000000000001")


@respx.mock
def test_code_exchange_sends_pkce_verifier_with_basic_auth(adapter):
    token = respx.post(f"{API}/oauth2/token").respond(200, json=load("x_token.json"))
    verifier = generate_code_verifier()

    url = adapter.authorization_url(
        AppCredentials("cid", "csecret"),
        redirect_uri="https://a.example/cb",
        state="st",
        code_challenge=code_challenge_s256(verifier),
    )
    tokens = adapter.exchange_code(
        AppCredentials("cid", "csecret"),
        code="abc",
        redirect_uri="https://a.example/cb",
        code_verifier=verifier,
    )

    assert url.startswith("https://x.com/i/oauth2/authorize?")
    assert "offline.access" in url.replace("+", " ").replace("%20", " ")
    request = token.calls.last.request
    assert f"code_verifier={verifier}" in request.content.decode()
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert tokens.refresh_token == "bWRWa3VvSlEyNew"
    assert "access_token" not in tokens.raw


def test_pkce_is_required_for_x(adapter):
    with pytest.raises(ValueError, match="PKCE"):
        adapter.authorization_url(
            AppCredentials("cid"), redirect_uri="https://a.example/cb", state="st"
        )
    with pytest.raises(ValueError, match="PKCE"):
        adapter.exchange_code(
            AppCredentials("cid"), code="abc", redirect_uri="https://a.example/cb"
        )


@respx.mock
def test_refresh_rotates_the_refresh_token(adapter):
    respx.post(f"{API}/oauth2/token").respond(200, json=load("x_token.json"))
    renewed = adapter.refresh(CREDS, AppCredentials("cid", "csecret"))
    assert renewed.refresh_token == "bWRWa3VvSlEyNew"
    assert renewed.expires_at > datetime.now(UTC)
