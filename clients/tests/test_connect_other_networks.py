"""Connecting Mastodon (app registered per instance), Bluesky (app password) and Facebook
(choose a Page); reconnecting keeps a stored refresh token; disconnecting revokes."""

import httpx
import respx

from clients.models import AccountStatus, MastodonApp
from clients.tests.conftest import network_payload
from clients.tests.connect_helpers import (
    X_ME,
    X_ME_URL,
    X_TOKEN_URL,
    start_connection,
    stored_accounts,
)
from clients.tests.factories import MastodonAppFactory, SocialAccountFactory


@respx.mock
def test_mastodon_registers_the_app_once_per_instance_and_connects(
    member_of_a, brand_a, en_login, network_apps
):
    apps_route = respx.post("https://mastodon.social/api/v1/apps").mock(
        return_value=httpx.Response(200, json=network_payload("mastodon_app.json"))
    )
    client = en_login(member_of_a)
    location, params = start_connection(
        client, brand_a, "mastodon", instance_url="Mastodon.Social/"
    )
    assert location.startswith("https://mastodon.social/oauth/authorize?")
    assert params["client_id"] == "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM"
    assert params["code_challenge_method"] == "S256"
    start_connection(client, brand_a, "mastodon", instance_url="https://mastodon.social")
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
    account = stored_accounts(brand_a.agency).get()
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
    account = stored_accounts(brand_a.agency).get()
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
    assert not stored_accounts(brand_a.agency).exists()


# --- Facebook: several Pages to choose from ---------------------------------------------------


@respx.mock
def test_facebook_lists_the_pages_and_connects_the_one_chosen(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "facebook")
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

    account = stored_accounts(brand_a.agency).get()
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
    _location, params = start_connection(client, brand_a, "x")
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
    assert stored_accounts(brand_a.agency).count() == 1
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
