"""Endpoints: which addresses are accepted, the API (secret shown once, turning back on, the
delivery log and redelivery), the dashboard pages, and who may manage them."""

import pytest
from django.urls import reverse

from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services.endpoints import url_problem
from webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

# --- Endpoints: validation, API, pages ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://crm.example.ma/hooks", True),
        ("http://crm.example.ma/hooks", False),
        ("http://127.0.0.1:8001/hooks", True),
        ("https://169.254.169.254/hooks", False),  # link-local: refused even self-hosted
        ("https://user:pw@crm.example.ma/", False),
        ("ftp://crm.example.ma/", False),
        ("crm.example.ma", False),
    ],
)
def test_endpoint_addresses_must_be_https_except_localhost_in_development(url, allowed, settings):
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True  # development on one machine
    problem = url_problem(url, allow_insecure_localhost=True)
    assert (problem is None) is allowed, problem
    assert url_problem("http://localhost/h", allow_insecure_localhost=False)


def test_api_creates_an_endpoint_and_shows_its_secret_once(owner_of_a, api_as):
    client = api_as(owner_of_a)
    response = client.post(
        "/api/v1/webhook-endpoints/",
        {"url": "https://crm.example.ma/h", "events": ["crisis.opened", "post.failed"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    endpoint = WebhookEndpoint.unscoped.get(pk=response.json()["id"])
    assert endpoint.secret == secret and secret not in endpoint.secret_encrypted
    listed = client.get("/api/v1/webhook-endpoints/").json()["results"]
    assert "secret" not in listed[0]
    assert secret not in client.get(f"/api/v1/webhook-endpoints/{endpoint.pk}/").content.decode()


def test_api_refuses_a_plain_http_endpoint_naming_the_field(owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/webhook-endpoints/",
        {"url": "http://crm.example.ma/h", "events": ["crisis.opened"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "https" in response.json()["error"]["fields"]["url"][0]


def test_api_turns_an_endpoint_back_on_with_a_fresh_count(owner_of_a, agency_a, api_as):
    endpoint = WebhookEndpointFactory(
        agency=agency_a, active=False, consecutive_failures=50, disabled_reason="x"
    )
    response = api_as(owner_of_a).patch(
        f"/api/v1/webhook-endpoints/{endpoint.pk}/", {"active": True}, format="json"
    )
    assert response.status_code == 200, response.content
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0 and not endpoint.disabled_reason


def test_api_lists_deliveries_and_redelivers(owner_of_a, agency_a, api_as):
    delivery = WebhookDeliveryFactory(agency=agency_a, state="dead")
    client = api_as(owner_of_a)
    rows = client.get(f"/api/v1/webhook-deliveries/?endpoint={delivery.endpoint_id}").json()
    assert [row["id"] for row in rows["results"]] == [delivery.pk]
    response = client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202
    assert response.json()["event_id"] == delivery.event_id


def test_a_community_manager_cannot_manage_webhooks(member_of_a, api_as, login):
    assert api_as(member_of_a).get("/api/v1/webhook-endpoints/").status_code == 403
    assert login(member_of_a).get(reverse("dashboard:webhook_endpoints")).status_code == 403


def test_dashboard_adds_an_endpoint_and_shows_the_secret_once(owner_of_a, login):
    client = login(owner_of_a)
    response = client.post(
        reverse("dashboard:webhook_endpoints"),
        {"url": "https://crm.example.ma/h", "description": "CRM", "events": ["crisis.opened"]},
        follow=True,
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.unscoped.get()
    assert endpoint.secret in response.content.decode()
    again = client.get(reverse("dashboard:webhook_endpoint_created"), follow=True)
    assert endpoint.secret not in again.content.decode()


def test_dashboard_endpoint_page_shows_the_log_and_test_button(owner_of_a, agency_a, login):
    delivery = WebhookDeliveryFactory(
        agency=agency_a, state="failed", response_code=500, response_body="upstream down"
    )
    client = login(owner_of_a)
    page = client.get(
        reverse("dashboard:webhook_endpoint", kwargs={"webhook_endpoint_id": delivery.endpoint_id})
    )
    body = page.content.decode()
    assert "upstream down" in body and "500" in body
    assert reverse("dashboard:webhook_endpoint_test", args=[delivery.endpoint_id]) in body
    response = client.post(reverse("dashboard:webhook_delivery_redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    assert WebhookDelivery.unscoped.filter(redelivery_of=delivery).exists()


def test_owner_can_delete_an_endpoint_from_the_dashboard(owner_of_a, agency_a, login):
    endpoint = WebhookEndpointFactory(agency=agency_a)
    client = login(owner_of_a)
    client.post(reverse("dashboard:webhook_endpoint_delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.unscoped.filter(pk=endpoint.pk).exists()
