"""Connecting accounts through the real OAuth redirect flow, with the networks faked by respx."""

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from clients import oauth
from clients.models import AccountStatus, MastodonApp, SocialAccount
from clients.tests.conftest import network_payload
from clients.tests.factories import MastodonAppFactory, SocialAccountFactory
from networks.oauth import code_challenge_s256

X_TOKEN_URL = "https://api.x.com/2/oauth2/token"
X_ME_URL = "https://api.x.com/2/users/me"
X_ME = {
    "data": {
        "id": "2244994945",
        "name": "Café Tanger",
        "username": "cafetanger",
        "profile_image_url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
    }
}


def _start(client, brand, network, **data):
    response = client.post(f"/brands/{brand.pk}/connect/", {"network": network, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _accounts(agency):
    return SocialAccount.unscoped.filter(agency=agency)


@respx.mock
def test_x_connect_sends_the_pkce_verifier_and_stores_the_account(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = _start(client, brand_a, "x")
    assert location.startswith("https://x.com/i/oauth2/authorize?")
    assert params["redirect_uri"] == "https://app.agency.test/connections/callback/x/"
    assert params["code_challenge_method"] == "S256"
    token_route = respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(200, json=network_payload("x_token.json"))
    )
    respx.get(X_ME_URL).mock(return_value=httpx.Response(200, json=X_ME))

    response = client.get(
        "/connections/callback/x/", {"state": params["state"], "code": "auth-code-1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/brands/{brand_a.pk}/?tab=accounts"
    sent = parse_qs(token_route.calls.last.request.content.decode())
    verifier = sent["code_verifier"][0]
    assert code_challenge_s256(verifier) == params["code_challenge"]
    assert sent["code"] == ["auth-code-1"] and sent["grant_type"] == ["authorization_code"]
    account = _accounts(brand_a.agency).get()
    assert (account.network, account.external_id, account.handle) == (
        "x",
        "2244994945",
        "@cafetanger",
    )
    assert account.access_token == "bWRWa3VvSlEx"
    assert account.refresh_token == "bWRWa3VvSlEyNew"
    assert account.status == AccountStatus.CONNECTED and account.connected_by == member_of_a.user
    assert "offline.access" in account.scopes
    assert account.expires_at is not None


@respx.mock
def test_a_state_that_does_not_match_is_refused_and_nothing_is_stored(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    _start(client, brand_a, "x")
    token_route = respx.post(X_TOKEN_URL).mock(return_value=httpx.Response(200, json={}))

    response = client.get("/connections/callback/x/", {"state": "forged", "code": "c"}, follow=True)

    assert "not recognised" in response.content.decode()
    assert not token_route.called
    assert not _accounts(brand_a.agency).exists()


@respx.mock
def test_a_state_older_than_ten_minutes_is_refused(
    member_of_a, brand_a, en_login, network_apps, monkeypatch
):
    client = en_login(member_of_a)
    _location, params = _start(client, brand_a, "x")
    token_route = respx.post(X_TOKEN_URL).mock(return_value=httpx.Response(200, json={}))
    later = time.time() + oauth.PENDING_TTL_SECONDS + 1
    monkeypatch.setattr(oauth.time, "time", lambda: later)

    response = client.get(
        "/connections/callback/x/", {"state": params["state"], "code": "c"}, follow=True
    )

    assert "expired" in response.content.decode()
    assert not token_route.called
    assert not _accounts(brand_a.agency).exists()


@respx.mock
def test_a_state_is_single_use(member_of_a, brand_a, en_login, network_apps):
    client = en_login(member_of_a)
    _location, params = _start(client, brand_a, "x")
    respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(200, json=network_payload("x_token.json"))
    )
    respx.get(X_ME_URL).mock(return_value=httpx.Response(200, json=X_ME))
    client.get("/connections/callback/x/", {"state": params["state"], "code": "c"})
    replay = client.get(
        "/connections/callback/x/", {"state": params["state"], "code": "c"}, follow=True
    )
    assert "not recognised" in replay.content.decode()
    assert _accounts(brand_a.agency).count() == 1


def test_a_state_started_for_another_network_is_refused(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    _location, params = _start(client, brand_a, "x")
    response = client.get(
        "/connections/callback/linkedin/", {"state": params["state"], "code": "c"}, follow=True
    )
    assert "not recognised" in response.content.decode()


def test_a_state_from_another_session_is_refused(
    member_of_a, brand_a, en_login, network_apps, admin_of_a, client
):
    from django.test import Client

    _location, params = _start(en_login(member_of_a), brand_a, "x")
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(admin_of_a.user)
    response = other.get(
        "/connections/callback/x/", {"state": params["state"], "code": "c"}, follow=True
    )
    assert "not recognised" in response.content.decode()


@respx.mock
def test_the_person_declining_at_the_network_stores_nothing(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    _location, params = _start(client, brand_a, "x")
    response = client.get(
        "/connections/callback/x/",
        {"state": params["state"], "error": "access_denied"},
        follow=True,
    )
    assert "access_denied" in response.content.decode()
    assert not _accounts(brand_a.agency).exists()


def test_an_unconfigured_network_says_so_instead_of_failing(
    member_of_a, brand_a, en_login, settings
):
    settings.SOCIAL_APPS = {
        "facebook": ("", ""),
        "instagram": ("", ""),
        "linkedin": ("", ""),
        "x": ("", ""),
    }
    client = en_login(member_of_a)
    page = client.get(f"/brands/{brand_a.pk}/?tab=accounts").content.decode()
    assert "LINKEDIN_CLIENT_ID" in page
    response = client.post(f"/brands/{brand_a.pk}/connect/", {"network": "linkedin"})
    assert response.status_code == 200
    assert "not configured" in response.content.decode()


def test_an_unknown_network_is_refused(member_of_a, brand_a, en_login):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/", {"network": "myspace"}, follow=True
    )
    assert "Choose a network" in response.content.decode()


def test_an_analyst_cannot_connect_accounts(member_factory, agency_a, brand_a, en_login):
    analyst = member_factory(agency_a, "analyst")
    response = en_login(analyst).post(f"/brands/{brand_a.pk}/connect/", {"network": "x"})
    assert response.status_code == 403


# --- Mastodon: one app registration per instance ---------------------------------------------


@respx.mock
def test_mastodon_registers_the_app_once_per_instance_and_connects(
    member_of_a, brand_a, en_login, network_apps
):
    apps_route = respx.post("https://mastodon.social/api/v1/apps").mock(
        return_value=httpx.Response(200, json=network_payload("mastodon_app.json"))
    )
    client = en_login(member_of_a)
    location, params = _start(client, brand_a, "mastodon", instance_url="Mastodon.Social/")
    assert location.startswith("https://mastodon.social/oauth/authorize?")
    assert params["client_id"] == "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM"
    assert params["code_challenge_method"] == "S256"
    _start(client, brand_a, "mastodon", instance_url="https://mastodon.social")
    assert apps_route.call_count == 1
    stored = MastodonApp.objects.get()
    assert stored.client_secret == "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw"
    assert "ZEaFUFmF0umg" not in stored.client_secret_encrypted

    token_route = respx.post("https://mastodon.social/oauth/token").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
                "token_type": "Bearer",
                "scope": "read:accounts write:statuses",
                "created_at": 1573979017,
            },
        )
    )
    respx.get("https://mastodon.social/api/v1/accounts/verify_credentials").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "14715",
                "username": "cafetanger",
                "acct": "cafetanger",
                "display_name": "Café Tanger",
                "avatar": "https://files.mastodon.social/a.png",
            },
        )
    )
    client.get("/connections/callback/mastodon/", {"state": params["state"], "code": "m"})
    assert "code_verifier" in token_route.calls.last.request.content.decode()
    account = _accounts(brand_a.agency).get()
    assert account.handle == "@cafetanger@mastodon.social"
    assert account.instance_url == "https://mastodon.social"
    assert account.expires_at is None  # Mastodon tokens do not expire


def test_a_mastodon_address_that_is_not_a_server_names_the_field(member_of_a, brand_a, en_login):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/", {"network": "mastodon", "instance_url": "not a url"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["instance_url"]
    assert not MastodonApp.objects.exists()


# --- Bluesky: app password --------------------------------------------------------------------


@respx.mock
def test_bluesky_connects_with_an_app_password_and_stores_both_jwts(member_of_a, brand_a, en_login):
    session_route = respx.post("https://bsky.social/xrpc/com.atproto.server.createSession").mock(
        return_value=httpx.Response(200, json=network_payload("bluesky_session.json"))
    )
    respx.get("https://bsky.social/xrpc/app.bsky.actor.getProfile").mock(
        return_value=httpx.Response(
            200,
            json={
                "did": "did:plc:z72i7hdynmk6r22z27h6tvur",
                "handle": "atlasbrand.bsky.social",
                "displayName": "Atlas Brand",
            },
        )
    )
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/",
        {
            "network": "bluesky",
            "identifier": "@atlasbrand.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
        },
    )
    assert response.status_code == 302
    assert b"atlasbrand.bsky.social" in session_route.calls.last.request.content
    account = _accounts(brand_a.agency).get()
    assert account.external_id == "did:plc:z72i7hdynmk6r22z27h6tvur"
    assert account.display_name == "Atlas Brand"
    assert account.access_token == "eyJhbGciOiJFUzI1NksifQ.access.sig"
    assert account.refresh_token == "eyJhbGciOiJFUzI1NksifQ.refresh.sig"
    assert "abcd-efgh" not in str(vars(account))


@respx.mock
def test_a_wrong_bluesky_app_password_is_shown_on_the_field(member_of_a, brand_a, en_login):
    respx.post("https://bsky.social/xrpc/com.atproto.server.createSession").mock(
        return_value=httpx.Response(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        )
    )
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/",
        {"network": "bluesky", "identifier": "atlas.bsky.social", "app_password": "wrong"},
    )
    assert response.status_code == 200
    assert "Invalid identifier or password" in str(response.context["form"].errors["app_password"])
    assert not _accounts(brand_a.agency).exists()


# --- Facebook: several Pages to choose from ---------------------------------------------------


@respx.mock
def test_facebook_lists_the_pages_and_connects_the_one_chosen(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = _start(client, brand_a, "facebook")
    assert location.startswith("https://www.facebook.com/v")
    assert "code_challenge" not in params  # Facebook Login has no PKCE
    graph = "https://graph.facebook.com/v26.0"
    respx.post(f"{graph}/oauth/access_token").mock(
        return_value=httpx.Response(
            200, json={"access_token": "EAAShort", "token_type": "bearer", "expires_in": 5183}
        )
    )
    respx.get(f"{graph}/oauth/access_token").mock(
        return_value=httpx.Response(200, json=network_payload("facebook_long_lived.json"))
    )
    pages = network_payload("facebook_accounts.json")
    pages["data"].append({"id": "2200", "name": "Autre Page", "access_token": "EAAOther"})
    respx.get(f"{graph}/me/accounts").mock(return_value=httpx.Response(200, json=pages))

    response = client.get(
        "/connections/callback/facebook/", {"state": params["state"], "code": "f"}
    )
    assert response["Location"] == f"/brands/{brand_a.pk}/connect/choose/"
    page = client.get(response["Location"]).content.decode()
    assert "Atlas Brand" in page and "Autre Page" in page
    assert "EAAPageTokenNew" not in page
    client.post(response["Location"], {"external_id": "104729925234"})

    account = _accounts(brand_a.agency).get()
    assert account.external_id == "104729925234" and account.display_name == "Atlas Brand"
    assert account.access_token == "EAAPageTokenNew"
    assert account.refresh_token == "EAALongLivedUser"


# --- Reconnect and disconnect -----------------------------------------------------------------


@respx.mock
def test_reconnecting_keeps_the_stored_refresh_token_when_the_network_sends_none(
    member_of_a, brand_a, en_login, network_apps
):
    existing = SocialAccountFactory(
        agency=brand_a.agency,
        brand=brand_a,
        network="x",
        external_id="2244994945",
        refresh_token="still-valid-refresh",
        status=AccountStatus.NEEDS_RECONNECT,
        last_error="token expired",
    )
    client = en_login(member_of_a)
    _location, params = _start(client, brand_a, "x")
    respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": "new-access",
                "scope": "tweet.read users.read",
            },
        )
    )
    respx.get(X_ME_URL).mock(return_value=httpx.Response(200, json=X_ME))

    client.get("/connections/callback/x/", {"state": params["state"], "code": "c"})

    existing.refresh_from_db()
    assert _accounts(brand_a.agency).count() == 1
    assert existing.access_token == "new-access"
    assert existing.refresh_token == "still-valid-refresh"
    assert existing.status == AccountStatus.CONNECTED and existing.last_error == ""


@respx.mock
def test_disconnect_revokes_at_the_network_and_wipes_the_tokens(member_of_a, brand_a, en_login):
    MastodonAppFactory()
    account = SocialAccountFactory(agency=brand_a.agency, brand=brand_a, access_token="tok-1")
    revoke = respx.post("https://mastodon.social/oauth/revoke").mock(
        return_value=httpx.Response(200, json={})
    )
    response = en_login(member_of_a).post(f"/connections/{account.pk}/disconnect/", follow=True)
    assert response.status_code == 200
    assert "token=tok-1" in revoke.calls.last.request.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.REVOKED
    assert account.access_token_encrypted == "" and account.refresh_token_encrypted == ""


@respx.mock
def test_disconnect_goes_on_when_the_network_fails_to_revoke(member_of_a, brand_a, en_login):
    MastodonAppFactory()
    account = SocialAccountFactory(agency=brand_a.agency, brand=brand_a)
    respx.post("https://mastodon.social/oauth/revoke").mock(return_value=httpx.Response(503))
    response = en_login(member_of_a).post(f"/connections/{account.pk}/disconnect/", follow=True)
    assert "did not confirm" in response.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.REVOKED and account.access_token == ""


def test_another_agencys_account_cannot_be_disconnected(member_of_a, brand_b, en_login):
    account = SocialAccountFactory(agency=brand_b.agency, brand=brand_b)
    response = en_login(member_of_a).post(f"/connections/{account.pk}/disconnect/")
    assert response.status_code == 404
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED


@pytest.mark.parametrize("network", ["x", "mastodon", "linkedin", "facebook"])
def test_the_callback_requires_a_signed_in_member(client, network):
    response = client.get(f"/connections/callback/{network}/", {"state": "s", "code": "c"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
