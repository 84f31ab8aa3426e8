"""Connect flows of the two networks the other connect tests leave out: LinkedIn organisation
pages and Instagram professional accounts (through Facebook Login). Networks faked by respx
with payloads shaped like their documentation."""

from urllib.parse import parse_qs, urlsplit

import httpx
import respx

from clients.models import AccountStatus, SocialAccount
from clients.tests.conftest import network_payload

GRAPH = "https://graph.facebook.com/v26.0"


def _start(client, brand, network):
    response = client.post(f"/brands/{brand.pk}/connect/", {"network": network})
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@respx.mock
def test_linkedin_connects_an_organisation_page_the_member_administers(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = _start(client, brand_a, "linkedin")
    assert location.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert "code_challenge" not in params  # LinkedIn web apps use a client secret, no PKCE
    assert "w_organization_social" in params["scope"]
    token = respx.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "AQVliAccess",
                "expires_in": 5184000,
                "refresh_token": "AQWliRefresh",
                "refresh_token_expires_in": 31536000,
                "scope": "r_organization_social,w_organization_social,rw_organization_admin",
            },
        )
    )
    respx.get("https://api.linkedin.com/rest/organizationAcls").mock(
        return_value=httpx.Response(
            200,
            json={
                "elements": [
                    {
                        "role": "ADMINISTRATOR",
                        "organization": "urn:li:organization:2414183",
                        "state": "APPROVED",
                        "roleAssignee": "urn:li:person:8675309",
                    }
                ],
                "paging": {"count": 10, "start": 0},
            },
        )
    )
    respx.get("https://api.linkedin.com/rest/organizations/2414183").mock(
        return_value=httpx.Response(
            200,
            json={"id": 2414183, "localizedName": "Café Tanger", "vanityName": "cafe-tanger"},
        )
    )

    response = client.get(
        "/connections/callback/linkedin/", {"state": params["state"], "code": "li-code"}
    )

    sent = parse_qs(token.calls.last.request.content.decode())
    assert sent["client_secret"] == ["li-client-secret"] and sent["code"] == ["li-code"]
    organisation_call = respx.calls.last.request
    assert organisation_call.headers["LinkedIn-Version"]
    assert organisation_call.headers["Authorization"] == "Bearer AQVliAccess"
    if response["Location"].endswith("/connect/choose/"):
        client.post(response["Location"], {"external_id": "urn:li:organization:2414183"})
    account = SocialAccount.unscoped.get(agency=brand_a.agency)
    assert account.network == "linkedin" and account.external_id == "urn:li:organization:2414183"
    assert account.display_name == "Café Tanger"
    assert account.access_token == "AQVliAccess" and account.refresh_token == "AQWliRefresh"
    assert account.status == AccountStatus.CONNECTED


@respx.mock
def test_instagram_connects_the_professional_account_linked_to_a_page(
    member_of_a, brand_a, en_login, network_apps
):
    client = en_login(member_of_a)
    location, params = _start(client, brand_a, "instagram")
    assert location.startswith("https://www.facebook.com/v")
    assert "instagram_content_publish" in params["scope"]
    respx.post(f"{GRAPH}/oauth/access_token").mock(
        return_value=httpx.Response(
            200, json={"access_token": "EAAShort", "token_type": "bearer", "expires_in": 5183}
        )
    )
    respx.get(f"{GRAPH}/oauth/access_token").mock(
        return_value=httpx.Response(200, json=network_payload("facebook_long_lived.json"))
    )
    pages = {
        "data": [
            {"id": "1040", "name": "Page sans Instagram", "access_token": "EAAPage1"},
            {
                "id": "1041",
                "name": "Café Tanger",
                "access_token": "EAAPage2",
                "instagram_business_account": {"id": "17841405822304914"},
            },
        ],
        "paging": {"cursors": {"before": "a", "after": "b"}},
    }
    respx.get(f"{GRAPH}/me/accounts").mock(return_value=httpx.Response(200, json=pages))
    respx.get(f"{GRAPH}/17841405822304914").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "17841405822304914",
                "username": "cafe.tanger",
                "name": "Café Tanger",
                "profile_picture_url": "https://scontent.cdninstagram.com/p.jpg",
            },
        )
    )

    response = client.get(
        "/connections/callback/instagram/", {"state": params["state"], "code": "ig-code"}
    )
    if response["Location"].endswith("/connect/choose/"):
        page = client.get(response["Location"]).content.decode()
        assert "@cafe.tanger" in page and "Page sans Instagram" not in page
        client.post(response["Location"], {"external_id": "17841405822304914"})

    account = SocialAccount.unscoped.get(agency=brand_a.agency)
    assert account.network == "instagram" and account.handle == "@cafe.tanger"
    # The linked Page and its token, for the Page-level calls (conversations, webhooks).
    assert account.linked_page_id == "1041" and account.linked_page_token == "EAAPage2"
    assert "EAAPage2" not in account.linked_page_token_encrypted
    assert account.external_id == "17841405822304914"
    assert account.access_token == "EAALongLivedUser"
    assert account.status == AccountStatus.CONNECTED
