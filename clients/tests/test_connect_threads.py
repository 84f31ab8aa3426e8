"""Connecting a Threads profile through the Django side: the authorisation URL the adapter
builds, the code for a short-lived token exchanged at once for a long-lived one, the profile
stored. Threads faked by respx with payloads shaped like its documentation."""

from urllib.parse import parse_qs

import respx

from clients.tests.conftest import network_payload
from clients.tests.connect_helpers import start_connection, stored_accounts

GRAPH = "https://graph.threads.net"


@respx.mock
def test_threads_connects_the_profile_with_a_long_lived_token(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = start_connection(client, brand_a, "threads")
    assert location.startswith("https://threads.net/oauth/authorize?")
    assert params["client_id"] == "th-client-id"
    assert "threads_content_publish" in params["scope"].split(",")
    short = respx.post(f"{GRAPH}/oauth/access_token").respond(
        200, json=network_payload("threads_token_short.json")
    )
    long = respx.get(f"{GRAPH}/access_token").respond(
        200, json=network_payload("threads_token_long.json")
    )
    respx.get(f"{GRAPH}/v1.0/me").respond(200, json=network_payload("threads_me.json"))

    response = client.get(
        "/connections/callback/threads/", {"state": params["state"], "code": "th-code"}
    )

    assert response.status_code == 302
    sent = parse_qs(short.calls.last.request.content.decode())
    assert sent["client_secret"] == ["th-client-secret"] and sent["code"] == ["th-code"]
    assert long.calls.last.request.url.params["client_secret"] == "th-client-secret"
    account = stored_accounts(brand_a.agency).get()
    assert account.network == "threads" and account.external_id == "17841401234567890"
    assert account.handle == "@cafetanger" and account.display_name == "Café Tanger"
    assert account.access_token == "THQVJlongLivedToken"  # the long-lived one, not the hour's
    assert account.expires_at is not None
