"""Connecting accounts through the real OAuth redirect flow, with the networks faked by respx."""

import time
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from clients import oauth
from clients.models import AccountStatus
from clients.tests.conftest import network_payload
from clients.tests.connect_helpers import (
    X_ME,
    X_ME_URL,
    X_TOKEN_URL,
    start_connection,
    stored_accounts,
)
from networks.oauth import code_challenge_s256


@respx.mock
def test_x_connect_sends_the_pkce_verifier_and_stores_the_account(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "x")
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
    account = stored_accounts(brand_a.agency).get()
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
    start_connection(client, brand_a, "x")
    token_route = respx.post(X_TOKEN_URL).mock(return_value=httpx.Response(200, json={}))

    response = client.get("/connections/callback/x/", {"state": "forged", "code": "c"}, follow=True)

    assert "not recognised" in response.content.decode()
    assert not token_route.called
    assert not stored_accounts(brand_a.agency).exists()


@respx.mock
def test_a_state_older_than_ten_minutes_is_refused(
    member_of_a, brand_a, en_login, network_apps, monkeypatch
):
    client = en_login(member_of_a)
    _location, params = start_connection(client, brand_a, "x")
    token_route = respx.post(X_TOKEN_URL).mock(return_value=httpx.Response(200, json={}))
    later = time.time() + oauth.PENDING_TTL_SECONDS + 1
    monkeypatch.setattr(oauth.time, "time", lambda: later)

    response = client.get(
        "/connections/callback/x/", {"state": params["state"], "code": "c"}, follow=True
    )

    assert "expired" in response.content.decode()
    assert not token_route.called
    assert not stored_accounts(brand_a.agency).exists()


@respx.mock
def test_a_state_is_single_use(member_of_a, brand_a, en_login, network_apps):
    client = en_login(member_of_a)
    _location, params = start_connection(client, brand_a, "x")
    respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(200, json=network_payload("x_token.json"))
    )
    respx.get(X_ME_URL).mock(return_value=httpx.Response(200, json=X_ME))
    client.get("/connections/callback/x/", {"state": params["state"], "code": "c"})
    replay = client.get(
        "/connections/callback/x/", {"state": params["state"], "code": "c"}, follow=True
    )
    assert "not recognised" in replay.content.decode()
    assert stored_accounts(brand_a.agency).count() == 1


def test_a_state_started_for_another_network_is_refused(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    _location, params = start_connection(client, brand_a, "x")
    response = client.get(
        "/connections/callback/linkedin/", {"state": params["state"], "code": "c"}, follow=True
    )
    assert "not recognised" in response.content.decode()


def test_a_state_from_another_session_is_refused(
    member_of_a, brand_a, en_login, network_apps, admin_of_a, client
):
    from django.test import Client

    _location, params = start_connection(en_login(member_of_a), brand_a, "x")
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
    _location, params = start_connection(client, brand_a, "x")
    response = client.get(
        "/connections/callback/x/",
        {"state": params["state"], "error": "access_denied"},
        follow=True,
    )
    assert "access_denied" in response.content.decode()
    assert not stored_accounts(brand_a.agency).exists()


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


def test_an_analyst_cannot_connectstored_accounts(member_factory, agency_a, brand_a, en_login):
    analyst = member_factory(agency_a, "analyst")
    response = en_login(analyst).post(f"/brands/{brand_a.pk}/connect/", {"network": "x"})
    assert response.status_code == 403


# --- Mastodon: one app registration per instance ---------------------------------------------


@pytest.mark.parametrize("network", ["x", "mastodon", "linkedin", "facebook"])
def test_the_callback_requires_a_signed_in_member(client, network):
    response = client.get(f"/connections/callback/{network}/", {"state": "s", "code": "c"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
