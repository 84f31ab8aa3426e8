"""Connecting a Pinterest account through the Django side: the authorisation URL the adapter
builds, the code exchange (HTTP Basic, continuous refresh) and the account stored. Pinterest
faked by respx with payloads shaped like its documentation."""

import base64
from urllib.parse import parse_qs

import respx

from clients.tests.conftest import network_payload
from clients.tests.connect_helpers import start_connection, stored_accounts

API = "https://api.pinterest.com/v5"


@respx.mock
def test_pinterest_connects_the_account_the_token_opens(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "pinterest")
    assert location.startswith("https://www.pinterest.com/oauth/?")
    assert params["client_id"] == "pin-client-id"
    assert params["scope"] == "boards:read,pins:read,pins:write,user_accounts:read"
    assert params["redirect_uri"] == "https://app.agency.test/connections/callback/pinterest/"
    token = respx.post(f"{API}/oauth/token").respond(
        200, json=network_payload("pinterest_token.json")
    )
    respx.get(f"{API}/user_account").respond(
        200, json=network_payload("pinterest_user_account.json")
    )

    response = client.get(
        "/connections/callback/pinterest/", {"state": params["state"], "code": "pin-code"}
    )

    assert response.status_code == 302
    request = token.calls.last.request
    basic = base64.b64encode(b"pin-client-id:pin-client-secret").decode()
    assert request.headers["Authorization"] == f"Basic {basic}"
    sent = parse_qs(request.content.decode())
    assert sent["code"] == ["pin-code"] and sent["continuous_refresh"] == ["true"]
    account = stored_accounts(brand_a.agency).get()
    assert account.network == "pinterest" and account.external_id == "549755885175"
    assert account.handle == "cafetanger" and account.display_name == "Café Tanger"
    assert account.access_token == "pina_AMAXQWYWAAAA"
    assert account.refresh_token == "pinr_AMAXQWYWAAAA"
    assert account.expires_at is not None


def test_pinterest_without_app_credentials_names_the_settings_to_set(
    member_of_a, brand_a, en_login, settings
):
    settings.SOCIAL_APPS = {"pinterest": ("", "")}
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/", {"network": "pinterest"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not configured" in page and "PINTEREST_CLIENT_ID" in page
