"""Installing our app on a connected Facebook Page (and on the Page an Instagram account is
linked to) so that Meta delivers its webhooks: POST /{page-id}/subscribed_apps with the Page
token, in a task after connecting, retried when Meta is briefly unavailable; a refusal is
shown on the brand's accounts tab with a way to try again. Graph answers faked by respx in
the documented shapes (``{"success": true}``; errors as ``{"error": {...}}``)."""

from urllib.parse import parse_qs

import httpx
import pytest
import respx

from agency.tenancy import tenant_scope
from clients.models import SocialAccount
from clients.services.accounts import social_account_connect
from clients.tests.factories import SocialAccountFactory
from networks.connect import ConnectedProfile

PAGE = "111222333"
SUBSCRIBE = rf"https://graph\.facebook\.com/v[\d.]+/{PAGE}/subscribed_apps"
PERMISSION_REFUSED = {
    "error": {
        "message": "(#200) Requires pages_manage_metadata permission to manage the object",
        "type": "OAuthException",
        "code": 200,
        "fbtrace_id": "AbCdEfGh123",
    }
}
TEMPORARY = {
    "error": {
        "message": "An unexpected error has occurred. Please retry your request later.",
        "type": "OAuthException",
        "is_transient": True,
        "code": 2,
        "fbtrace_id": "AbCdEfGh124",
    }
}


def _connect(member, brand, **profile):
    fields = {
        "network": "facebook",
        "external_id": PAGE,
        "display_name": "Café Tanger",
        "access_token": "EAAPageToken",
        "refresh_token": "EAAUserToken",
        **profile,
    }
    with tenant_scope(brand.agency):
        return social_account_connect(actor=member, brand=brand, profile=ConnectedProfile(**fields))


def _account(agency):
    return SocialAccount.unscoped.get(agency=agency)


@respx.mock
def test_connecting_a_page_installs_the_app_for_its_webhooks(
    member_of_a, brand_a, network_apps, eager_tasks, django_capture_on_commit_callbacks
):
    route = respx.post(url__regex=SUBSCRIBE).mock(
        return_value=httpx.Response(200, json={"success": True})
    )
    with django_capture_on_commit_callbacks(execute=True):
        _connect(member_of_a, brand_a)
    sent = parse_qs(route.calls.last.request.content.decode())
    assert sent["access_token"] == ["EAAPageToken"]  # the Page's token, not the person's
    assert sent["subscribed_fields"] == ["feed,messages,message_echoes,message_edits"]
    account = _account(brand_a.agency)
    assert account.webhooks_status == "installed" and account.webhooks_error == ""


@respx.mock
def test_a_subscribed_apps_refusal_is_visible_on_the_account_and_can_be_retried(
    member_of_a, brand_a, network_apps, eager_tasks, django_capture_on_commit_callbacks, en_login
):
    route = respx.post(url__regex=SUBSCRIBE).mock(
        return_value=httpx.Response(400, json=PERMISSION_REFUSED)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _connect(member_of_a, brand_a)
    assert route.call_count == 1  # a refusal is not retried blindly
    account = _account(brand_a.agency)
    assert account.webhooks_status == "failed" and account.status == "connected"
    assert "pages_manage_metadata" in account.webhooks_error
    client = en_login(member_of_a)
    page = client.get(f"/brands/{brand_a.pk}/?tab=accounts").content.decode()
    assert "Real-time updates could not be switched on" in page
    assert "Requires pages_manage_metadata permission" in page
    assert "Switch on real-time updates again" in page

    route.mock(return_value=httpx.Response(200, json={"success": True}))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/connections/{account.pk}/webhooks/retry/")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.webhooks_status == "installed" and account.webhooks_error == ""
    page = client.get(f"/brands/{brand_a.pk}/?tab=accounts").content.decode()
    assert "Real-time updates: on" in page and "Switch on real-time updates again" not in page


@respx.mock
def test_a_temporary_failure_is_retried_by_the_task_until_meta_accepts(
    member_of_a, brand_a, network_apps, eager_tasks, django_capture_on_commit_callbacks
):
    route = respx.post(url__regex=SUBSCRIBE).mock(
        side_effect=[
            httpx.Response(500, json=TEMPORARY),
            httpx.Response(200, json={"success": True}),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _connect(member_of_a, brand_a)
    assert route.call_count == 2
    assert _account(brand_a.agency).webhooks_status == "installed"


@respx.mock
def test_an_instagram_account_installs_the_app_on_its_linked_page(
    member_of_a, brand_a, network_apps, eager_tasks, django_capture_on_commit_callbacks
):
    route = respx.post(
        url__regex=r"https://graph\.facebook\.com/v[\d.]+/1041/subscribed_apps"
    ).mock(return_value=httpx.Response(200, json={"success": True}))
    with django_capture_on_commit_callbacks(execute=True):
        _connect(
            member_of_a,
            brand_a,
            network="instagram",
            external_id="17841405822304914",
            access_token="EAAUserToken",
            refresh_token="",
            linked_page_id="1041",
            linked_page_token="EAAPage2",
        )
    assert parse_qs(route.calls.last.request.content.decode())["access_token"] == ["EAAPage2"]
    account = _account(brand_a.agency)
    assert account.webhooks_status == "installed"
    assert account.linked_page_id == "1041" and account.linked_page_token == "EAAPage2"
    assert "EAAPage2" not in account.linked_page_token_encrypted  # encrypted at rest


def test_only_people_who_manage_accounts_may_retry_the_installation(client_of_a, brand_a, en_login):
    account = SocialAccountFactory(
        agency=brand_a.agency, brand=brand_a, network="facebook", webhooks_status="failed"
    )
    response = en_login(client_of_a).post(f"/connections/{account.pk}/webhooks/retry/")
    assert response.status_code in (403, 404)
    account.refresh_from_db()
    assert account.webhooks_status == "failed"


@pytest.mark.parametrize("status", ["needs_reconnect", "revoked"])
def test_a_disconnected_account_is_not_installed_again(member_of_a, brand_a, en_login, status):
    account = SocialAccountFactory(
        agency=brand_a.agency, brand=brand_a, network="facebook", status=status
    )
    response = en_login(member_of_a).post(f"/connections/{account.pk}/webhooks/retry/")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.webhooks_status == ""
