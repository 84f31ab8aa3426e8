"""Connection links: the client connects the brand's accounts without an agency account,
through the same OAuth machinery as the team (networks faked by respx at the transport)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from django.utils import timezone

from agency.hashing import secret_hash
from agency.models import AuditEvent
from clients.models import ConnectionLink, ConnectionLinkUse, SocialAccount
from clients.tests.conftest import network_payload
from clients.tests.factories import BrandFactory, ConnectionLinkFactory
from clients.tests.test_bluesky_connect_and_refresh import (
    CREATE_SESSION,
    DID,
    GET_PROFILE,
    session,
)
from notifications.models import Notification

from .connect_helpers import X_ME, X_ME_URL, X_TOKEN_URL

pytestmark = pytest.mark.usefixtures("network_apps")


@pytest.fixture
def visitor(client):
    """The client at the agency: no account, in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def link(member_of_a, brand_a):
    return ConnectionLinkFactory(agency=brand_a.agency, brand=brand_a, created_by=member_of_a.user)


def _start_x(visitor, link) -> dict:
    response = visitor.post(f"/connect/{link.token}/", {"network": "x"})
    assert response.status_code == 302, response.content.decode()[:1500]
    location = response["Location"]
    assert location.startswith("https://x.com/i/oauth2/authorize?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _mock_x():
    token = respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(200, json=network_payload("x_token.json"))
    )
    respx.get(X_ME_URL).mock(return_value=httpx.Response(200, json=X_ME))
    return token


# --- The team's side ------------------------------------------------------------------------


def test_a_team_member_creates_a_link_shown_once_and_stored_hashed(en_login, member_of_a, brand_a):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connection-links/new/", {"label": "Nadia, Café Tanger"}
    )

    assert response.status_code == 200
    url = response.context["url"]
    assert url.startswith("https://app.agency.test/connect/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    stored = ConnectionLink.unscoped.get()
    assert stored.token_hash == secret_hash(token) and stored.brand == brand_a
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    assert AuditEvent.unscoped.filter(verb="connection_link.created", agency=brand_a.agency)
    listed = en_login(member_of_a).get(f"/brands/{brand_a.pk}/?tab=accounts").content.decode()
    assert "Nadia, Café Tanger" in listed and token not in listed


def test_the_expiry_is_a_setting(en_login, member_of_a, brand_a, settings):
    settings.CONNECTION_LINK_TTL_DAYS = 2
    en_login(member_of_a).post(f"/brands/{brand_a.pk}/connection-links/new/")
    stored = ConnectionLink.unscoped.get()
    assert stored.expires_at - stored.created_at == timedelta(days=2)


def test_client_roles_cannot_create_or_revoke_links(en_login, client_of_a, brand_a, link):
    client = en_login(client_of_a)
    assert client.post(f"/brands/{brand_a.pk}/connection-links/new/").status_code == 403
    assert client.post(f"/connection-links/{link.pk}/revoke/").status_code == 403
    assert ConnectionLink.unscoped.count() == 1 and link.status == "active"


def test_a_revoked_link_is_refused(en_login, member_of_a, visitor, link):
    response = en_login(member_of_a).post(f"/connection-links/{link.pk}/revoke/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "revoked"
    assert AuditEvent.unscoped.filter(verb="connection_link.revoked").exists()

    visitor.logout()
    page = visitor.get(f"/connect/{link.token}/")
    assert page.status_code == 410 and "withdrawn" in page.content.decode()
    assert visitor.post(f"/connect/{link.token}/", {"network": "x"}).status_code == 410


# --- The client's side ----------------------------------------------------------------------


@respx.mock
def test_an_oauth_connection_lands_on_the_links_brand_and_agency_and_tells_the_team(
    visitor, link, brand_a, member_of_a, owner_of_a
):
    params = _start_x(visitor, link)
    assert params["redirect_uri"] == "https://app.agency.test/connections/callback/x/"
    token_route = _mock_x()

    response = visitor.get("/connections/callback/x/", {"state": params["state"], "code": "c1"})

    assert response.status_code == 200, response.content.decode()[:1500]
    assert "is connected to Café Tanger" in response.content.decode()
    assert token_route.called
    account = SocialAccount.unscoped.get()
    assert (account.agency_id, account.brand_id) == (brand_a.agency_id, brand_a.pk)
    assert (account.network, account.external_id) == ("x", "2244994945")
    assert account.connected_by == member_of_a.user
    use = ConnectionLinkUse.unscoped.get()
    assert (use.link_id, use.network, use.social_account_id) == (link.pk, "x", account.pk)
    told = set(
        Notification.unscoped.filter(verb="social_account.connected_by_client").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {member_of_a.user_id, owner_of_a.user_id}
    audit = AuditEvent.unscoped.get(verb="social_account.connected")
    assert audit.data["through_connection_link"] == link.pk and audit.agency_id == link.agency_id


@respx.mock
def test_a_link_connects_each_network_once(visitor, link):
    params = _start_x(visitor, link)
    _mock_x()
    visitor.get("/connections/callback/x/", {"state": params["state"], "code": "c1"})

    again = visitor.post(f"/connect/{link.token}/", {"network": "x"})

    assert again.status_code == 400
    assert "already connected with this link" in again.content.decode()
    assert ConnectionLinkUse.unscoped.count() == 1
    assert AuditEvent.unscoped.filter(verb="connection_link.refused").exists()
    page = visitor.get(f"/connect/{link.token}/").content.decode()
    assert "Connected" in page


@respx.mock
def test_two_callbacks_of_one_link_and_network_connect_once(visitor, link):
    first = _start_x(visitor, link)
    second = _start_x(visitor, link)  # two tabs, before either came back
    _mock_x()
    visitor.get("/connections/callback/x/", {"state": first["state"], "code": "c1"})

    response = visitor.get("/connections/callback/x/", {"state": second["state"], "code": "c2"})

    assert response.status_code == 400
    assert SocialAccount.unscoped.count() == 1 and ConnectionLinkUse.unscoped.count() == 1


@respx.mock
def test_a_link_cannot_be_used_for_another_brand(visitor, link, brand_a, agency_a, brand_b):
    other_brand = BrandFactory(agency=agency_a, name="Autre marque")
    respx.post(CREATE_SESSION).mock(
        return_value=httpx.Response(200, json=session(exp=timezone.now() + timedelta(hours=2)))
    )
    respx.get(GET_PROFILE).mock(return_value=httpx.Response(200, json={"did": DID}))

    response = visitor.post(
        f"/connect/{link.token}/?brand_id={other_brand.pk}",
        {
            "network": "bluesky",
            "identifier": "atlasbrand.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
            "brand_id": brand_b.pk,
            "brand": other_brand.pk,
        },
    )

    assert response.status_code == 200, response.content.decode()[:1500]
    account = SocialAccount.unscoped.get()
    assert (account.brand_id, account.agency_id, account.network) == (
        brand_a.pk,
        agency_a.pk,
        "bluesky",
    )
    assert not SocialAccount.unscoped.filter(brand__in=[other_brand, brand_b]).exists()


@respx.mock
def test_a_callback_whose_link_was_revoked_meanwhile_stores_nothing(visitor, link):
    params = _start_x(visitor, link)
    token_route = _mock_x()
    ConnectionLink.unscoped.filter(pk=link.pk).update(revoked_at=timezone.now())

    response = visitor.get("/connections/callback/x/", {"state": params["state"], "code": "c1"})

    assert response.status_code == 410
    assert not token_route.called and not SocialAccount.unscoped.exists()


def test_an_expired_link_starts_nothing(visitor, brand_a):
    expired = ConnectionLinkFactory(
        agency=brand_a.agency, brand=brand_a, expires_at=timezone.now() - timedelta(seconds=1)
    )
    page = visitor.get(f"/connect/{expired.token}/")
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert visitor.post(f"/connect/{expired.token}/", {"network": "x"}).status_code == 410
    assert "social_connect_pending" not in visitor.session


def test_an_unknown_token_is_a_404(visitor, db):
    assert visitor.get("/connect/not-a-token/").status_code == 404
    assert visitor.post("/connect/not-a-token/", {"network": "x"}).status_code == 404


def test_the_page_is_in_the_agencys_branding_and_lists_the_networks(visitor, link, agency_a):
    type(agency_a).objects.filter(pk=agency_a.pk).update(primary_colour="#aa3300")
    body = visitor.get(f"/connect/{link.token}/").content.decode()
    assert "Connect the accounts of Café Tanger" in body
    assert "#aa3300" in body and "Atlas Digital" in body
    assert "?network=x" in body and "?network=bluesky" in body


def test_a_wrong_app_password_is_refused_with_the_reason_and_the_link_stays_usable(visitor, link):
    with respx.mock:
        respx.post(CREATE_SESSION).mock(
            return_value=httpx.Response(
                401,
                json={
                    "error": "AuthenticationRequired",
                    "message": "Invalid identifier or password",
                },
            )
        )
        response = visitor.post(
            f"/connect/{link.token}/",
            {"network": "bluesky", "identifier": "atlasbrand.bsky.social", "app_password": "x"},
        )
    assert response.status_code == 400
    assert "did not accept this handle and app password" in response.content.decode()
    assert not ConnectionLinkUse.unscoped.exists()


def test_a_signed_in_member_of_another_agency_connects_to_the_links_agency(
    link, brand_a, owner_of_b, login
):
    client = login(owner_of_b)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with respx.mock:
        respx.post(CREATE_SESSION).mock(
            return_value=httpx.Response(200, json=session(exp=timezone.now() + timedelta(hours=2)))
        )
        respx.get(GET_PROFILE).mock(return_value=httpx.Response(200, json={"did": DID}))
        response = client.post(
            f"/connect/{link.token}/",
            {"network": "bluesky", "identifier": "atlasbrand.bsky.social", "app_password": "p"},
        )
    assert response.status_code == 200, response.content.decode()[:1500]
    account = SocialAccount.unscoped.get()
    assert (account.agency_id, account.brand_id) == (brand_a.agency_id, brand_a.pk)
