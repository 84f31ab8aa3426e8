"""Bluesky sessions (expiry, refused sign-ins, which password), the byte limit, notifications."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
import respx

from networks.base import AuthExpired, Credentials, PermanentError, PostContent
from networks.bluesky.adapter import BlueskyAdapter
from networks.bluesky.session import ACCESS_JWT_LIFETIME, access_expiry, password_kind
from networks.rules import check_content

from .conftest import load

PDS = "https://bsky.social/xrpc"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
CREDS = Credentials(
    access_token="jwt-access",
    refresh_token="jwt-refresh",
    instance_url="https://bsky.social",
    external_id=DID,
)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme, 25 bytes


def jwt(**claims) -> str:
    """An access JWT as the PDS issues it (ES256K header, claims, signature): only the claims
    matter here, the adapter never verifies the signature."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def session(access: str) -> dict:
    return {
        "did": DID,
        "handle": "atlasbrand.bsky.social",
        "accessJwt": access,
        "refreshJwt": jwt(scope="com.atproto.refresh", sub=DID, exp=2_000_000_000),
        "active": True,
    }


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(BlueskyAdapter)


# ------------------------------------------------------------------------ session expiry


@respx.mock
def test_a_refreshed_session_carries_the_access_token_expiry(adapter):
    exp = int((datetime.now(UTC) + timedelta(hours=2)).timestamp())
    respx.post(f"{PDS}/com.atproto.server.refreshSession").respond(
        200, json=session(jwt(scope="com.atproto.appPass", sub=DID, exp=exp))
    )

    fresh = adapter.refresh(CREDS)

    assert fresh.expires_at == datetime.fromtimestamp(exp, tz=UTC)


@respx.mock
def test_a_session_whose_token_cannot_be_read_expires_after_the_documented_lifetime(adapter):
    respx.post(f"{PDS}/com.atproto.server.createSession").respond(
        200,
        json=load("bluesky_session.json"),  # opaque fixture tokens: no readable claims
    )
    before = datetime.now(UTC)

    creds = adapter.login("atlasbrand.bsky.social", "abcd-efgh-ijkl-mnop")

    assert creds.expires_at is not None
    assert (
        before + ACCESS_JWT_LIFETIME <= creds.expires_at <= datetime.now(UTC) + ACCESS_JWT_LIFETIME
    )


@pytest.mark.parametrize("token", ["", "a.b", "a.bm90IGpzb24.c", jwt(exp="soon"), jwt(exp=10**20)])
def test_an_unreadable_expiry_falls_back_to_the_lifetime(token):
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert access_expiry(token, now=now) == now + ACCESS_JWT_LIFETIME


# ------------------------------------------------------------------------ refused sign-ins


@respx.mock
def test_a_wrong_app_password_is_an_invalid_login_not_an_expired_session(adapter):
    respx.post(f"{PDS}/com.atproto.server.createSession").respond(
        401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
    )

    with pytest.raises(PermanentError) as caught:
        adapter.login("atlasbrand.bsky.social", "wrong")

    assert not isinstance(caught.value, AuthExpired)
    assert caught.value.code == "invalid_login"
    assert "Invalid identifier or password" in caught.value.explanation
    assert "session" not in caught.value.explanation.lower()


@respx.mock
def test_a_sign_in_code_request_says_to_use_an_app_password(adapter):
    respx.post(f"{PDS}/com.atproto.server.createSession").respond(
        401,
        json={"error": "AuthFactorTokenRequired", "message": "A sign in code has been sent"},
    )

    with pytest.raises(PermanentError) as caught:
        adapter.login("atlasbrand.bsky.social", "my-main-password")

    assert caught.value.code == "sign_in_code_required"
    assert "app password" in caught.value.explanation


@respx.mock
def test_an_expired_refresh_token_is_still_an_expired_session(adapter):
    respx.post(f"{PDS}/com.atproto.server.refreshSession").respond(
        400, json=load("bluesky_error_expired.json")
    )
    with pytest.raises(AuthExpired, match="ExpiredToken"):
        adapter.refresh(CREDS)


@respx.mock
def test_the_session_says_which_password_opened_it(adapter):
    route = respx.post(f"{PDS}/com.atproto.server.createSession")
    route.respond(200, json=session(jwt(scope="com.atproto.access", sub=DID, exp=2_000_000_000)))
    assert adapter.login("atlasbrand.bsky.social", "hunter22").extra["password_kind"] == "account"
    route.respond(200, json=session(jwt(scope="com.atproto.appPass", sub=DID, exp=2_000_000_000)))
    assert adapter.login("atlasbrand.bsky.social", "abcd-efgh-ijkl-mnop").extra[
        "password_kind"
    ] == ("app")
    assert password_kind("opaque") == ""


# ------------------------------------------------------------------------ byte limit


def test_bluesky_refuses_300_graphemes_of_emoji_families_for_their_3000_bytes():
    found = check_content("bluesky", PostContent(text=FAMILY * 300))
    assert [v.code for v in found] == ["text_too_many_bytes"]
    assert found[0].params == {"size": 7500, "max_bytes": 3000}
    assert check_content("bluesky", PostContent(text=FAMILY * 120)) == []  # 3,000 bytes
    assert [v.code for v in check_content("bluesky", PostContent(text=FAMILY * 121))] == [
        "text_too_many_bytes"
    ]


def test_the_byte_limit_applies_to_thread_posts_and_not_to_other_networks():
    content = PostContent(text="ok", thread=[FAMILY * 200])
    assert [(v.code, v.field) for v in check_content("bluesky", content)] == [
        ("text_too_many_bytes", "thread[0]")
    ]
    assert check_content("mastodon", PostContent(text=FAMILY * 300)) == []


# ------------------------------------------------------------------------ notifications


@respx.mock
def test_mentions_replies_and_quotes_are_read_from_notifications_across_pages(adapter):
    route = respx.get(f"{PDS}/app.bsky.notification.listNotifications").mock(
        side_effect=[
            respx.MockResponse(200, json=load("bluesky_notifications.json")),
            respx.MockResponse(200, json=load("bluesky_notifications_page2.json")),
        ]
    )

    found = adapter.mention_notifications(CREDS, since_id="2026-03-01T12:00:00+00:00")

    first, second = route.calls[0].request, route.calls[1].request
    assert first.url.params.get_list("reasons") == ["mention", "reply", "quote"]
    assert first.headers["Authorization"] == "Bearer jwt-access"
    assert "cursor" not in first.url.params
    assert second.url.params["cursor"] == "2026-03-02T08:59:00.000Z"
    # the like is not a mention; the notification older than since_id is not read again
    assert [m.raw["reason"] for m in found] == ["mention", "reply", "quote"]
    mention = found[0]
    assert mention.external_id.endswith("/3lbd2mention")
    assert mention.author.handle == "salma.bsky.social" and mention.language == "fr"
    assert (
        mention.url == "https://bsky.app/profile/did:plc:k2xqp5ol2nbrwjesbqwnmvtw/post/3lbd2mention"
    )
    assert mention.created_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@respx.mock
def test_notifications_stop_at_the_first_one_already_read(adapter):
    route = respx.get(f"{PDS}/app.bsky.notification.listNotifications").respond(
        200, json=load("bluesky_notifications.json")
    )

    found = adapter.mention_notifications(CREDS, since_id="2026-03-02T09:30:00.870Z")

    assert route.call_count == 1  # no second page: the page already reached what was read
    assert [m.raw["reason"] for m in found] == ["mention"]
