import json
from datetime import UTC, datetime, timedelta

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
from networks.mastodon.adapter import MastodonAdapter, html_to_text
from networks.rules import check_content

from .conftest import load

BASE = "https://mastodon.example"
CREDS = Credentials(access_token="tok-mastodon", instance_url=BASE, external_id="109302")


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(MastodonAdapter)


@respx.mock
def test_publish_sends_idempotency_key_and_returns_status_url(adapter):
    route = respx.post(f"{BASE}/api/v1/statuses").respond(200, json=load("mastodon_status.json"))

    result = adapter.publish(
        CREDS,
        PostContent(
            text="Nouvelle collection disponible !",
            link="https://shop.example/ete",
            idempotency_key="pub-42",
        ),
    )

    assert result.external_id == "113401"
    assert result.url == "https://mastodon.example/@atlasbrand/113401"
    request = route.calls.last.request
    assert request.headers["Idempotency-Key"] == "pub-42"
    assert request.headers["Authorization"] == "Bearer tok-mastodon"
    sent = json.loads(request.content)
    assert sent["status"] == "Nouvelle collection disponible !\n\nhttps://shop.example/ete"


@respx.mock
def test_publish_waits_for_media_processing_before_posting(adapter, sleeps):
    respx.post(f"{BASE}/api/v2/media").respond(202, json=load("mastodon_media_processing.json"))
    respx.get(f"{BASE}/api/v1/media/22348641").mock(
        side_effect=[
            httpx.Response(206, json=load("mastodon_media_processing.json")),
            httpx.Response(200, json=load("mastodon_media_ready.json")),
        ]
    )
    status = respx.post(f"{BASE}/api/v1/statuses").respond(200, json=load("mastodon_status.json"))
    video = MediaItem(
        kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"\x00" * 10, alt_text="Démonstration"
    )

    adapter.publish(CREDS, PostContent(text="Vidéo", media=[video], idempotency_key="k"))

    assert len(sleeps) == 2
    assert json.loads(status.calls.last.request.content)["media_ids"] == ["22348641"]


@respx.mock
def test_thread_posts_reply_to_the_previous_post_with_derived_keys(adapter):
    first = load("mastodon_status.json")
    second = {**first, "id": "113402"}
    third = {**first, "id": "113403"}
    route = respx.post(f"{BASE}/api/v1/statuses").mock(
        side_effect=[
            httpx.Response(200, json=first),
            httpx.Response(200, json=second),
            httpx.Response(200, json=third),
        ]
    )

    result = adapter.publish(
        CREDS, PostContent(text="1/3", thread=["2/3", "3/3"], idempotency_key="pub-7")
    )

    assert result.thread_ids == ["113402", "113403"]
    bodies = [json.loads(c.request.content) for c in route.calls]
    assert [b.get("in_reply_to_id") for b in bodies] == [None, "113401", "113402"]
    assert [c.request.headers["Idempotency-Key"] for c in route.calls] == [
        "pub-7",
        "pub-7:1",
        "pub-7:2",
    ]


@respx.mock
def test_expired_token_raises_auth_expired(adapter):
    respx.post(f"{BASE}/api/v1/statuses").respond(401, json=load("mastodon_error_401.json"))
    with pytest.raises(AuthExpired, match="access token is invalid"):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_rate_limit_carries_retry_after_seconds_from_reset_header(adapter):
    reset = (datetime.now(UTC) + timedelta(seconds=300)).isoformat().replace("+00:00", "Z")
    respx.post(f"{BASE}/api/v1/statuses").respond(
        429,
        json={"error": "Too many requests"},
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset,
        },
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert 295 <= caught.value.retry_after <= 300


@respx.mock
def test_server_error_is_transient(adapter):
    respx.post(f"{BASE}/api/v1/statuses").respond(503)
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_validation_error_is_permanent_with_network_message(adapter):
    respx.post(f"{BASE}/api/v1/statuses").respond(422, json=load("mastodon_error_422.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="x" * 600))
    assert caught.value.code == "422"
    assert "character limit of 500 exceeded" in caught.value.explanation


@respx.mock
def test_timeout_on_publish_is_outcome_unknown(adapter):
    respx.post(f"{BASE}/api/v1/statuses").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="hello", idempotency_key="k"))


@respx.mock
def test_refused_connection_on_publish_is_transient_not_unknown(adapter):
    respx.post(f"{BASE}/api/v1/statuses").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_find_existing_post_recognises_our_text_in_recent_statuses(adapter):
    respx.get(f"{BASE}/api/v1/accounts/109302/statuses").respond(
        200, json=[load("mastodon_status.json")]
    )
    content = PostContent(text="Nouvelle collection disponible !", link="https://shop.example/ete")

    found = adapter.find_existing_post(CREDS, content)

    assert found is not None and found.external_id == "113401"
    assert adapter.find_existing_post(CREDS, PostContent(text="autre chose")) is None


@respx.mock
def test_comments_come_from_the_status_context_as_plain_text(adapter):
    respx.get(f"{BASE}/api/v1/statuses/113401/context").respond(
        200, json=load("mastodon_context.json")
    )

    comments = adapter.list_comments(CREDS, "113401")

    assert [c.external_id for c in comments] == ["113402", "113410"]
    assert comments[0].text == "@atlasbrand Super, c'est dispo à Casa ?"
    assert comments[0].author.handle == "salma@mastodon.social"
    assert comments[1].parent_id == "113402"
    assert "wakha, kayn f Casa" in comments[1].text


@respx.mock
def test_search_and_notifications_give_mentions_with_language(adapter):
    search = respx.get(f"{BASE}/api/v2/search").respond(200, json=load("mastodon_search.json"))
    respx.get(f"{BASE}/api/v1/notifications").respond(200, json=load("mastodon_notifications.json"))

    found = adapter.search_mentions(CREDS, "Atlas Brand", since_id="113000")
    notified = adapter.mention_notifications(CREDS)

    assert found[0].language == "fr" and found[0].author.followers == 45
    assert search.calls.last.request.url.params["type"] == "statuses"
    assert search.calls.last.request.url.params["min_id"] == "113000"
    assert notified[0].external_id == "113500"


@respx.mock
def test_get_requests_are_retried_on_server_errors(adapter):
    route = respx.get(f"{BASE}/api/v1/statuses/113401").mock(
        side_effect=[httpx.Response(502), httpx.Response(200, json=load("mastodon_status.json"))]
    )

    metrics = adapter.post_metrics(CREDS, "113401")

    assert route.call_count == 2
    assert (metrics.likes, metrics.shares, metrics.comments) == (21, 7, 3)
    assert metrics.impressions is None  # Mastodon does not count views


@respx.mock
def test_instance_limits_feed_the_content_rules(adapter):
    respx.get(f"{BASE}/api/v2/instance").respond(200, json=load("mastodon_instance.json"))

    limits = adapter.instance_limits(BASE)

    assert limits["max_characters"] == 1000
    assert check_content("mastodon", PostContent(text="a" * 900), **limits) == []
    assert check_content("mastodon", PostContent(text="a" * 900))[0].code == "text_too_long"


@respx.mock
def test_register_app_and_pkce_authorisation_on_the_instance(adapter):
    respx.post(f"{BASE}/api/v1/apps").respond(200, json=load("mastodon_app.json"))
    token = respx.post(f"{BASE}/oauth/token").respond(
        200,
        json={
            "access_token": "new",
            "token_type": "Bearer",
            "scope": "read write",
            "created_at": 1772359000,
        },
    )

    app = adapter.register_app(
        BASE, redirect_uri="https://app.example.invalid/cb", client_name="AgencySocial"
    )
    url = adapter.authorization_url(
        app,
        redirect_uri="https://app.example.invalid/cb",
        state="st",
        code_challenge="ch",
        instance_url=BASE,
    )
    tokens = adapter.exchange_code(
        app,
        code="c0de",
        redirect_uri="https://app.example.invalid/cb",
        code_verifier="v" * 43,
        instance_url=BASE,
    )

    assert app == AppCredentials(
        client_id="TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
        client_secret="ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
    )
    assert url.startswith(f"{BASE}/oauth/authorize?")
    assert "code_challenge_method=S256" in url
    assert tokens.access_token == "new"
    assert "code_verifier=" + "v" * 43 in token.calls.last.request.content.decode()


def test_html_content_becomes_plain_text_with_line_breaks():
    assert html_to_text("<p>a &amp; b</p><p>c<br />d</p>") == "a & b\n\nc\nd"


@respx.mock
def test_publish_options_set_the_visibility_and_the_content_warning_of_every_status(adapter):
    route = respx.post(f"{BASE}/api/v1/statuses").mock(
        side_effect=[
            httpx.Response(200, json={**load("mastodon_status.json"), "id": "1"}),
            httpx.Response(200, json={**load("mastodon_status.json"), "id": "2"}),
        ]
    )
    adapter.publish(
        CREDS,
        PostContent(
            text="Résultats du match",
            thread=["Suite"],
            options={"visibility": "unlisted", "spoiler_text": "Spoiler : le score"},
        ),
    )
    sent = [json.loads(call.request.content) for call in route.calls]
    assert [s["visibility"] for s in sent] == ["unlisted", "unlisted"]
    assert [s["spoiler_text"] for s in sent] == ["Spoiler : le score"] * 2


@respx.mock
def test_without_options_a_status_is_public_and_has_no_content_warning(adapter):
    route = respx.post(f"{BASE}/api/v1/statuses").respond(200, json=load("mastodon_status.json"))
    adapter.publish(CREDS, PostContent(text="Bonjour"))
    sent = json.loads(route.calls.last.request.content)
    assert sent["visibility"] == "public"
    assert "spoiler_text" not in sent
