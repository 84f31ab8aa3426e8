"""Connecting the networks of issue 15 through the one OAuth flow: a LinkedIn member profile
(its own app settings, OpenID Connect's userinfo), Google Business Profile locations (PKCE and
a refresh token, one location chosen among the accounts'), TikTok (Login Kit)."""

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


GOOGLE_ACCOUNT = "accounts/108261983375230571234"
INFORMATION = "https://mybusinessbusinessinformation.googleapis.com/v1"


@respx.mock
def test_a_google_business_location_is_chosen_among_the_accounts_locations(
    member_of_a, brand_a, en_login, network_apps, settings
):
    settings.SOCIAL_APPS = {**network_apps, "google_business": ("g-client", "g-secret")}
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "google_business")
    assert location.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert params["code_challenge_method"] == "S256" and params["access_type"] == "offline"

    token = respx.post("https://oauth2.googleapis.com/token").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "ya29.a0",
                "expires_in": 3599,
                "refresh_token": "1//0g",
                "scope": "https://www.googleapis.com/auth/business.manage",
                "token_type": "Bearer",
            },
        )
    )
    respx.get("https://mybusinessaccountmanagement.googleapis.com/v1/accounts").mock(
        return_value=httpx.Response(200, json=network_payload("google_business_accounts.json"))
    )
    respx.get(f"{INFORMATION}/accounts/110823465271139877201/locations").mock(
        return_value=httpx.Response(200, json={})
    )
    respx.get(f"{INFORMATION}/{GOOGLE_ACCOUNT}/locations").mock(
        side_effect=[
            httpx.Response(200, json=network_payload("google_business_locations.json")),
            httpx.Response(200, json=network_payload("google_business_locations_page2.json")),
        ]
    )
    response = client.get(
        "/connections/callback/google_business/", {"state": params["state"], "code": "4/0A"}
    )
    assert "code_verifier" in token.calls.last.request.content.decode()
    assert response["Location"] == f"/brands/{brand_a.pk}/connect/choose/"
    page = client.get(response["Location"]).content.decode()
    assert "Café Atlas Maârif" in page and "Café Atlas Gueliz" in page

    chosen = f"{GOOGLE_ACCOUNT}/locations/7022364517092736411"
    client.post(response["Location"], {"external_id": chosen})

    account = stored_accounts(brand_a.agency).get()
    assert account.network == "google_business" and account.external_id == chosen
    assert account.refresh_token == "1//0g"


@respx.mock
def test_an_instagram_account_connects_with_instagram_login_and_no_page(
    member_of_a, brand_a, en_login, network_apps, settings
):
    settings.SOCIAL_APPS = {**network_apps, "instagram_login": ("990602627938098", "ig-secret")}
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "instagram_login")
    assert location.startswith("https://www.instagram.com/oauth/authorize?")
    assert params["client_id"] == "990602627938098"
    assert "instagram_business_content_publish" in params["scope"].split(",")

    respx.post("https://api.instagram.com/oauth/access_token").mock(
        return_value=httpx.Response(200, json=network_payload("instagram_login_token.json"))
    )
    respx.get("https://graph.instagram.com/access_token").mock(
        return_value=httpx.Response(200, json=network_payload("instagram_login_long_lived.json"))
    )
    respx.get(url__regex=r"https://graph\.instagram\.com/v[0-9.]+/me").mock(
        return_value=httpx.Response(200, json=network_payload("instagram_login_me.json"))
    )
    client.get("/connections/callback/instagram_login/", {"state": params["state"], "code": "c"})

    account = stored_accounts(brand_a.agency).get()
    assert account.network == "instagram_login"
    assert account.external_id == "17841405822304914"
    assert account.handle == "@cafe.zellige"
    assert not account.lacks_linked_page  # no Facebook Page is needed with Instagram Login
