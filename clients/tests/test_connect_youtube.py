"""Connecting a YouTube channel through the one OAuth flow: Google's consent with PKCE and
offline access, then the channel the tokens open (network HTTP faked with respx)."""

from urllib.parse import parse_qs

import httpx
import respx

from clients.tests.conftest import network_payload
from clients.tests.connect_helpers import start_connection, stored_accounts


@respx.mock
def test_a_youtube_channel_connects_with_a_refresh_token_and_its_scopes(
    member_of_a, brand_a, en_login, network_apps, settings
):
    settings.SOCIAL_APPS = {**network_apps, "youtube": ("123.apps.googleusercontent.com", "g")}
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "youtube")
    assert location.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert params["client_id"] == "123.apps.googleusercontent.com"
    assert (params["access_type"], params["prompt"]) == ("offline", "consent")
    assert params["code_challenge_method"] == "S256"
    assert params["redirect_uri"].endswith("/connections/callback/youtube/")

    token = respx.post("https://oauth2.googleapis.com/token").mock(
        return_value=httpx.Response(200, json=network_payload("youtube_token.json"))
    )
    respx.get("https://www.googleapis.com/youtube/v3/channels").mock(
        return_value=httpx.Response(200, json=network_payload("youtube_channels_mine.json"))
    )
    client.get("/connections/callback/youtube/", {"state": params["state"], "code": "4/0Ab"})

    form = parse_qs(token.calls.last.request.content.decode())
    assert form["code_verifier"][0] and form["client_secret"] == ["g"]
    account = stored_accounts(brand_a.agency).get()
    assert (account.network, account.external_id) == ("youtube", "UC_x5XG1OV2P6uZZ5FSM9Ttw")
    assert (account.handle, account.display_name) == ("@atlasvoyages", "Atlas Voyages")
    assert account.refresh_token == "1//0gYt-refresh" and account.expires_at is not None
    assert "https://www.googleapis.com/auth/youtube.force-ssl" in account.scopes
