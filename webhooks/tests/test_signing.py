"""Webhook signatures as a receiver checks them: the Standard Webhooks headers verified by the
`standardwebhooks` package itself, the manual recipe printed in docs/webhooks.md, secrets made
before the standard headers, and secret rotation."""

import base64
import re
import time
from datetime import timedelta

import httpx
import pytest
import respx
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from agency.models import AuditEvent
from agency.tenancy import tenant_scope
from webhooks import signing
from webhooks.models import WebhookEndpoint
from webhooks.services.emit import webhook_delivery_redeliver, webhook_emit
from webhooks.services.endpoints import webhook_endpoint_create, webhook_endpoint_rotate_secret
from webhooks.tests.factories import WebhookEndpointFactory
from webhooks.tests.helpers import attempt, documented, make_due

# What secrets looked like before the Standard Webhooks headers: token_urlsafe(32).
LEGACY_SECRET = "whsec_q-4Zr1_w0XbT3kq9Jm2vYc8Lh6Nf5Dp7Ua0Ei-Sx_Ko"


def _send(agency, endpoint_url="https://crm.example.test/h", times=1):
    """Emit one event and attempt it `times` times; the requests the receiver got."""
    route = respx.post(endpoint_url).mock(return_value=httpx.Response(500))
    [delivery] = webhook_emit(agency=agency, event="crisis.opened", data={"b": "Café"})
    for _ in range(times):
        make_due(delivery)
        attempt(delivery)
    return [call.request for call in route.calls], delivery


def _library_verifies(secret: str, request) -> bool:
    try:
        Webhook(secret).verify(request.content, dict(request.headers))
    except WebhookVerificationError:
        return False
    return True


# --- Secrets --------------------------------------------------------------------------------


def test_new_secrets_are_standard_base64_of_32_random_bytes():
    secret = signing.generate_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    assert signing.is_standard_secret(secret)
    assert secret != signing.generate_secret()


def test_an_endpoint_created_by_the_service_gets_a_standard_secret(owner_of_a):
    _endpoint, secret = webhook_endpoint_create(
        actor=owner_of_a, url="https://crm.example.test/h", events=["crisis.opened"]
    )
    assert signing.is_standard_secret(secret)


def test_a_legacy_secret_is_keyed_on_its_url_safe_bytes():
    key = signing.secret_key(LEGACY_SECRET)
    assert len(key) == 32
    assert base64.urlsafe_b64encode(key).rstrip(b"=").decode() == LEGACY_SECRET[6:]
    assert not signing.is_standard_secret(LEGACY_SECRET)
    converted = signing.standard_secret(LEGACY_SECRET)
    assert signing.is_standard_secret(converted)
    assert signing.secret_key(converted) == key


@pytest.mark.parametrize("bad", ["whsec_", "whsec_abc", "whsec_" + "A" * 200, "whsec_é"])
def test_a_secret_of_the_wrong_size_or_alphabet_is_refused(bad):
    with pytest.raises(ValueError, match="Not a webhook signing secret"):
        signing.secret_key(bad)


# --- Deliveries verified by the standardwebhooks package ------------------------------------


@respx.mock
def test_a_delivery_verifies_with_the_standardwebhooks_package(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    [request], delivery = _send(agency_a)

    assert request.headers["webhook-id"] == delivery.event_id
    assert re.fullmatch(r"v1,[A-Za-z0-9+/]{43}=", request.headers["webhook-signature"])
    assert Webhook(endpoint.secret).verify(request.content, dict(request.headers))["data"] == {
        "b": "Café"
    }
    assert documented("library-recipe", "verify_with_library")(
        endpoint.secret, dict(request.headers), request.content
    )
    other = signing.generate_secret()
    assert not _library_verifies(other, request)


@respx.mock
def test_the_webhook_id_is_stable_across_retries_and_the_redelivery(agency_a, owner_of_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    requests, delivery = _send(agency_a, times=2)
    copy = webhook_delivery_redeliver(actor=owner_of_a, delivery=delivery)
    attempt(copy)
    requests = [call.request for call in respx.calls]

    assert len(requests) == 3
    assert {r.headers["webhook-id"] for r in requests} == {delivery.event_id}
    assert all(_library_verifies(endpoint.secret, r) for r in requests)


@respx.mock
def test_the_deprecated_header_is_still_sent_and_verifies(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    [request], _ = _send(agency_a)
    verify = documented("recipe", "verify_agency_signature")
    assert verify(endpoint.secret, request.headers["X-Agency-Signature"], request.content)


@respx.mock
def test_an_endpoint_with_a_legacy_secret_verifies_both_ways(agency_a):
    WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h", secret=LEGACY_SECRET)
    [request], _ = _send(agency_a)

    # The old receiver, unchanged.
    verify = documented("recipe", "verify_agency_signature")
    assert verify(LEGACY_SECRET, request.headers["X-Agency-Signature"], request.content)
    # The library reads the legacy text as a different, shorter key: the docs say so, and
    # give the one-line conversion, which the library then accepts.
    assert not _library_verifies(LEGACY_SECRET, request)
    assert _library_verifies(signing.standard_secret(LEGACY_SECRET), request)


# --- The manual recipe ----------------------------------------------------------------------


@respx.mock
def test_the_documented_manual_recipe_verifies_a_delivery(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    [request], _ = _send(agency_a)
    verify = documented("standard-recipe", "verify_standard_webhook")

    assert verify(endpoint.secret, request.headers, request.content)
    assert not verify(endpoint.secret, request.headers, request.content + b" ")
    assert not verify(signing.generate_secret(), request.headers, request.content)
    late = int(request.headers["webhook-timestamp"]) + signing.REPLAY_WINDOW_SECONDS + 5
    assert not verify(endpoint.secret, request.headers, request.content, now=late)


def test_the_documented_recipes_refuse_a_non_ascii_signature_without_raising():
    secret = signing.generate_secret()
    body = b'{"id":"evt_1"}'
    now = int(time.time())
    headers = signing.signing_headers(secret=secret, msg_id="evt_1", timestamp=now, body=body)
    forged = {
        "webhook-id": "evt_1",
        "webhook-timestamp": str(now),
        "webhook-signature": "v1,é" + headers["webhook-signature"][4:] + " v1,日本 v2,ü",
    }
    assert not documented("standard-recipe", "verify_standard_webhook")(secret, forged, body)
    assert not documented("standard-recipe", "verify_standard_webhook")(
        secret, forged | {"webhook-timestamp": "١٢٣"}, body
    )
    legacy = documented("recipe", "verify_agency_signature")
    assert not legacy(secret, f"t={now},v1=é{'0' * 63}", body)


# --- Rotation -------------------------------------------------------------------------------


@respx.mock
def test_after_a_rotation_both_secrets_verify_for_a_day_then_only_the_new_one(agency_a, owner_of_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    old = endpoint.secret

    with tenant_scope(agency_a):  # as the dashboard or the API would
        new = webhook_endpoint_rotate_secret(actor=owner_of_a, endpoint=endpoint)
    [request], _ = _send(agency_a)

    assert new != old and signing.is_standard_secret(new)
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert _library_verifies(new, request) and _library_verifies(old, request)
    verify = documented("standard-recipe", "verify_standard_webhook")
    assert verify(old, request.headers, request.content)
    assert AuditEvent.unscoped.filter(verb="webhook.secret_rotated").count() == 1

    WebhookEndpoint.unscoped.filter(pk=endpoint.pk).update(
        previous_secret_until=timezone.now() - timedelta(seconds=1)
    )
    respx.reset()
    [request], _ = _send(agency_a)
    assert _library_verifies(new, request) and not _library_verifies(old, request)


def test_the_rotated_secret_is_shown_once_on_the_dashboard(owner_of_a, agency_a, login):
    endpoint = WebhookEndpointFactory(agency=agency_a)
    client = login(owner_of_a)
    response = client.post(
        reverse("dashboard:webhook_endpoint_rotate_secret", args=[endpoint.pk]), follow=True
    )
    endpoint.refresh_from_db()
    assert endpoint.secret in response.content.decode()
    again = client.get(reverse("dashboard:webhook_endpoint_created"), follow=True)
    assert endpoint.secret not in again.content.decode()


def test_the_api_rotates_a_secret_and_returns_it_once(owner_of_a, agency_a, api_as):
    endpoint = WebhookEndpointFactory(agency=agency_a)
    old = endpoint.secret
    response = api_as(owner_of_a).post(f"/api/v1/webhook-endpoints/{endpoint.pk}/rotate-secret/")
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert response.json()["secret"] == endpoint.secret != old
    assert (
        "secret" not in api_as(owner_of_a).get(f"/api/v1/webhook-endpoints/{endpoint.pk}/").json()
    )


def test_a_community_manager_cannot_rotate_a_secret(member_of_a, agency_a, api_as, login):
    endpoint = WebhookEndpointFactory(agency=agency_a)
    before = endpoint.secret_encrypted
    response = api_as(member_of_a).post(f"/api/v1/webhook-endpoints/{endpoint.pk}/rotate-secret/")
    assert response.status_code in {403, 404}
    login(member_of_a).post(reverse("dashboard:webhook_endpoint_rotate_secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret_encrypted == before
