"""Connecting the networks of issue 15 through the one OAuth flow: a LinkedIn member profile
(its own app settings, OpenID Connect's userinfo)."""

import httpx
import respx

from clients.tests.conftest import network_payload
from clients.tests.connect_helpers import start_connection, stored_accounts


@respx.mock
def test_a_linkedin_member_profile_connects_with_its_own_app(
    member_of_a, brand_a, en_login, network_apps, settings
):
    settings.SOCIAL_APPS = {**network_apps, "linkedin_profile": ("li-member-app", "li-secret")}
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "linkedin_profile")
    assert location.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert params["client_id"] == "li-member-app"
    assert params["scope"] == "openid profile email w_member_social"
    assert params["redirect_uri"].endswith("/connections/callback/linkedin_profile/")

    respx.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "AQVmember",
                "expires_in": 5184000,
                "scope": "email,openid,profile,w_member_social",
                "token_type": "Bearer",
                "id_token": "eyJ.not-read.here",
            },
        )
    )
    respx.get("https://api.linkedin.com/v2/userinfo").mock(
        return_value=httpx.Response(200, json=network_payload("linkedin_profile_userinfo.json"))
    )
    client.get("/connections/callback/linkedin_profile/", {"state": params["state"], "code": "c"})

    account = stored_accounts(brand_a.agency).get()
    assert account.network == "linkedin_profile"
    assert account.external_id == "urn:li:person:782bbtaQ"
    assert account.display_name == "Salma Bennani"


@respx.mock
def test_a_tiktok_account_connects_through_login_kit_with_its_client_key(
    member_of_a, brand_a, en_login, network_apps, settings
):
    settings.SOCIAL_APPS = {**network_apps, "tiktok": ("tt-client-key", "tt-secret")}
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "tiktok")
    assert location.startswith("https://www.tiktok.com/v2/auth/authorize/?")
    assert params["client_key"] == "tt-client-key"
    assert "code_challenge" not in params
    assert params["redirect_uri"].endswith("/connections/callback/tiktok/")

    token = respx.post("https://open.tiktokapis.com/v2/oauth/token/").mock(
        return_value=httpx.Response(200, json=network_payload("tiktok_token.json"))
    )
    respx.get("https://open.tiktokapis.com/v2/user/info/").mock(
        return_value=httpx.Response(200, json=network_payload("tiktok_user_info.json"))
    )
    client.get("/connections/callback/tiktok/", {"state": params["state"], "code": "c"})

    assert b"client_key=tt-client-key" in token.calls.last.request.content
    account = stored_accounts(brand_a.agency).get()
    assert account.network == "tiktok"
    assert account.external_id == "afd97af1-b87b-48b9-ac98-410aghda5344"
    assert account.handle == "@cafe.zellige"
    assert account.expires_at is not None
