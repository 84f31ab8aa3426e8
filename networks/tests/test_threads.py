"""Threads: publishing (text, image, video with polling, carousel, thread), the quota, errors
and OAuth (short-lived, long-lived, refreshed)."""

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
from networks.threads.adapter import ThreadsAdapter

from .conftest import load

API = "https://graph.threads.net/v1.0"
USER = "17841401234567890"
POST = "18031547123456789"
CONTAINER = "17889615691921648"
CREDS = Credentials(access_token="THQVJlongLivedToken", external_id=USER)
APP = AppCredentials("990602627938098", "threads-secret")
IMAGE = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", url="https://cdn.example/a.jpg")
VIDEO = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://cdn.example/v.mp4")


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(ThreadsAdapter)


def _form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.content.decode()).items()}


def _quota(name="threads_publishing_limit.json"):
    return respx.get(f"{API}/{USER}/threads_publishing_limit").respond(200, json=load(name))


def _finished():
    return respx.get(f"{API}/{CONTAINER}").respond(
        200, json=load("threads_container_finished.json")
    )


def _published():
    respx.get(f"{API}/{POST}").respond(200, json=load("threads_permalink.json"))
    return respx.post(f"{API}/{USER}/threads_publish").respond(
        200, json=load("threads_publish.json")
    )


@respx.mock
def test_a_text_post_is_a_container_then_published_with_the_link_in_the_text(adapter):
    quota = _quota()
    create = respx.post(f"{API}/{USER}/threads").respond(200, json=load("threads_container.json"))
    _finished()
    publish = _published()

    result = adapter.publish(
        CREDS, PostContent(text="Le msemen du dimanche", link="https://cafetanger.example/menu")
    )

    assert result.external_id == POST
    assert result.url == "https://www.threads.net/@cafetanger/post/C9xYz12AbCd"
    assert quota.called
    sent = _form(create.calls.last)
    assert sent["media_type"] == "TEXT"
    assert sent["text"] == "Le msemen du dimanche\n\nhttps://cafetanger.example/menu"
    assert sent["access_token"] == "THQVJlongLivedToken"
    assert _form(publish.calls.last)["creation_id"] == CONTAINER


@respx.mock
def test_a_video_container_is_polled_until_finished_before_publishing(adapter, sleeps):
    _quota()
    create = respx.post(f"{API}/{USER}/threads").respond(200, json=load("threads_container.json"))
    status = respx.get(f"{API}/{CONTAINER}").mock(
        side_effect=[
            httpx.Response(200, json=load("threads_container_in_progress.json")),
            httpx.Response(200, json=load("threads_container_in_progress.json")),
            httpx.Response(200, json=load("threads_container_finished.json")),
        ]
    )
    publish = _published()

    adapter.publish(CREDS, PostContent(text="En cuisine", media=[VIDEO]))

    assert _form(create.calls.last) | {"access_token": ""} == {
        "media_type": "VIDEO",
        "video_url": "https://cdn.example/v.mp4",
        "text": "En cuisine",
        "access_token": "",
    }
    assert status.call_count == 3 and len(sleeps) == 2
    assert status.calls.last.request.url.params["fields"] == "status,error_message"
    assert publish.call_count == 1


@respx.mock
def test_a_container_threads_could_not_process_is_permanent_with_its_reason(adapter):
    _quota()
    respx.post(f"{API}/{USER}/threads").respond(200, json=load("threads_container.json"))
    respx.get(f"{API}/{CONTAINER}").respond(200, json=load("threads_container_error.json"))
    publish = respx.post(f"{API}/{USER}/threads_publish")

    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="x", media=[VIDEO]))

    assert caught.value.code == "FAILED_DOWNLOADING_VIDEO"
    assert not publish.called


@respx.mock
def test_a_container_still_in_progress_after_every_poll_is_transient(adapter):
    _quota()
    respx.post(f"{API}/{USER}/threads").respond(200, json=load("threads_container.json"))
    respx.get(f"{API}/{CONTAINER}").respond(200, json=load("threads_container_in_progress.json"))
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="x", media=[VIDEO]))


@respx.mock
def test_a_carousel_creates_one_child_per_item_then_the_carousel(adapter):
    _quota()
    ids = iter(["child-1", "child-2", CONTAINER])
    create = respx.post(f"{API}/{USER}/threads").mock(
        side_effect=lambda request: httpx.Response(200, json={"id": next(ids)})
    )
    respx.get(url__regex=rf"{API}/(child-\d|{CONTAINER})\?").respond(
        200, json=load("threads_container_finished.json")
    )
    _published()
    image = MediaItem(
        kind=MediaKind.IMAGE, mime_type="image/png", url="https://cdn.example/b.png", alt_text="b"
    )

    adapter.publish(CREDS, PostContent(text="Deux vues", media=[image, VIDEO]))

    first, second, carousel = (_form(call) for call in create.calls)
    assert first["is_carousel_item"] == "true" and first["alt_text"] == "b"
    assert second["media_type"] == "VIDEO" and second["is_carousel_item"] == "true"
    assert carousel["media_type"] == "CAROUSEL"
    assert carousel["children"] == "child-1,child-2"
    assert carousel["text"] == "Deux vues"


@respx.mock
def test_follow_up_posts_are_replies_to_the_previous_one(adapter):
    _quota()
    create = respx.post(f"{API}/{USER}/threads").respond(200, json=load("threads_container.json"))
    _finished()
    published = iter([POST, "18031547123456790", "18031547123456791"])
    respx.post(f"{API}/{USER}/threads_publish").mock(
        side_effect=lambda request: httpx.Response(200, json={"id": next(published)})
    )
    respx.get(f"{API}/{POST}").respond(200, json=load("threads_permalink.json"))

    result = adapter.publish(CREDS, PostContent(text="1/3", thread=["2/3", "3/3"]))

    assert result.thread_ids == ["18031547123456790", "18031547123456791"]
    replies = [_form(call) for call in create.calls][1:]
    assert [r["reply_to_id"] for r in replies] == [POST, "18031547123456790"]


@respx.mock
def test_a_full_publishing_quota_is_a_rate_limit_before_anything_is_created(adapter):
    _quota("threads_publishing_limit_full.json")
    create = respx.post(f"{API}/{USER}/threads")
    with pytest.raises(RateLimited, match="250"):
        adapter.publish(CREDS, PostContent(text="x"))
    assert not create.called


def test_media_without_a_public_url_is_refused_before_any_container(adapter):
    local = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"jpeg")
    with respx.mock:
        _quota()
        create = respx.post(f"{API}/{USER}/threads")
        with pytest.raises(PermanentError) as caught:
            adapter.publish(CREDS, PostContent(text="x", media=[local]))
    assert caught.value.code == "media_url_required"
    assert not create.called


# ------------------------------------------------------------------ errors


@respx.mock
def test_an_expired_token_is_auth_expired(adapter):
    respx.get(f"{API}/{USER}/threads_publishing_limit").respond(
        400, json=load("threads_error_190.json")
    )
    with pytest.raises(AuthExpired, match="session has expired"):
        adapter.publish(CREDS, PostContent(text="x"))


@respx.mock
def test_the_request_limit_is_a_rate_limit_and_a_refusal_is_permanent(adapter):
    respx.get(f"{API}/{POST}/insights").respond(400, json=load("threads_error_4.json"))
    with pytest.raises(RateLimited):
        adapter.post_metrics(CREDS, POST)
    respx.get(f"{API}/{POST}/conversation").respond(400, json=load("threads_error_100.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.list_comments(CREDS, POST)
    assert caught.value.code == "100"


@respx.mock
def test_a_lost_answer_to_threads_publish_is_outcome_unknown(adapter):
    _quota()
    respx.post(f"{API}/{USER}/threads").respond(200, json=load("threads_container.json"))
    _finished()
    respx.post(f"{API}/{USER}/threads_publish").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="x"))


# ------------------------------------------------------------------ OAuth


def test_the_authorisation_url_is_threads_with_comma_separated_scopes(adapter):
    url = adapter.authorization_url(APP, redirect_uri="https://app.example/cb", state="s" * 20)
    assert url.startswith("https://threads.net/oauth/authorize?")
    scope = parse_qs(url.split("?", 1)[1])["scope"][0]
    assert scope.split(",")[:2] == ["threads_basic", "threads_content_publish"]


@respx.mock
def test_the_code_gives_a_short_token_exchanged_at_once_for_a_long_lived_one(adapter):
    short = respx.post("https://graph.threads.net/oauth/access_token").respond(
        200, json=load("threads_token_short.json")
    )
    long = respx.get("https://graph.threads.net/access_token").respond(
        200, json=load("threads_token_long.json")
    )

    tokens = adapter.exchange_code(APP, code="th-code", redirect_uri="https://app.example/cb")

    sent = _form(short.calls.last)
    assert sent["grant_type"] == "authorization_code"
    assert sent["client_secret"] == "threads-secret" and sent["code"] == "th-code"
    params = long.calls.last.request.url.params
    assert params["grant_type"] == "th_exchange_token"
    assert params["access_token"] == "THQVJshortLivedToken"
    assert tokens.access_token == "THQVJlongLivedToken"
    assert tokens.expires_in == 5183944
    assert tokens.raw["user_id"] == 17841401234567890


@respx.mock
def test_a_refresh_uses_the_long_lived_token_itself(adapter):
    route = respx.get("https://graph.threads.net/refresh_access_token").respond(
        200, json=load("threads_token_refreshed.json")
    )

    renewed = adapter.refresh(CREDS, APP)

    params = route.calls.last.request.url.params
    assert params["grant_type"] == "th_refresh_token"
    assert params["access_token"] == "THQVJlongLivedToken"
    assert renewed.access_token == "THQVJrefreshedToken"
    assert renewed.expires_at is not None and renewed.refresh_token == ""


@respx.mock
def test_an_expired_token_cannot_be_refreshed(adapter):
    respx.get("https://graph.threads.net/refresh_access_token").respond(
        400, json=load("threads_error_190.json")
    )
    with pytest.raises(AuthExpired):
        adapter.refresh(CREDS, APP)
