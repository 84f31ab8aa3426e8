"""Delivering: every attempt signed (checked with the recipe printed in docs/webhooks.md),
retries with backoff, timeouts, giving up after 24 hours and turning a failing endpoint off."""

import re
import time
from datetime import timedelta

import httpx
import respx
from django.utils import timezone

from notifications.models import Notification
from webhooks import retries, signing
from webhooks.models import WebhookDelivery
from webhooks.services.delivery import RESPONSE_BODY_LIMIT
from webhooks.services.emit import webhook_emit
from webhooks.states import WebhookDeliveryState
from webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory
from webhooks.tests.helpers import attempt, deliver_all, documented_verify, make_due

# --- Signature ------------------------------------------------------------------------------


def test_signature_verifies_with_the_documented_recipe():
    verify = documented_verify()
    body = b'{"id":"evt_1","type":"crisis.opened","data":{"brand":"Caf\xc3\xa9"}}'
    now = int(time.time())
    header = signing.signature_header("whsec_abc", now, body)
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)
    assert verify("whsec_abc", header, body)
    assert not verify("whsec_other", header, body)
    assert not verify("whsec_abc", header, body + b" ")
    assert not verify("whsec_abc", "garbage", body)


def test_documented_recipe_refuses_signatures_outside_the_replay_window():
    verify = documented_verify()
    body = b"{}"
    old = int(time.time()) - signing.REPLAY_WINDOW_SECONDS - 5
    assert not verify("s", signing.signature_header("s", old, body), body)
    assert verify("s", signing.signature_header("s", old, body), body, now=old + 10)


def test_retry_delays_double_with_jitter_and_are_capped():
    import random

    rng = random.Random(7)
    delays = [retries.retry_delay(n, rng=rng).total_seconds() for n in range(1, 16)]
    assert 24 <= delays[0] <= 36
    assert 48 <= delays[1] <= 72
    assert max(delays) <= retries.MAX_RETRY_SECONDS * 1.2
    assert sum(retries.retry_schedule()) <= retries.RETRY_FOR.total_seconds()


# --- Delivering -----------------------------------------------------------------------------


@respx.mock
def test_delivery_is_signed_and_carries_the_event_headers(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    route = respx.post("https://crm.example.test/h").mock(return_value=httpx.Response(204))
    [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={"a": "é"})

    attempt(delivery)

    request = route.calls.last.request
    assert documented_verify()(
        endpoint.secret, request.headers["X-Agency-Signature"], request.content
    )
    assert request.headers["X-Agency-Event"] == "crisis.opened"
    assert request.headers["X-Agency-Delivery"] == str(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.SUCCEEDED
    assert delivery.response_code == 204 and delivery.attempt == 1


@respx.mock
def test_a_500_from_the_receiver_is_retried_with_backoff(agency_a):
    WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    route = respx.post("https://crm.example.test/h").mock(
        side_effect=[httpx.Response(500, text="boom " * 1000), httpx.Response(200, text="ok")]
    )
    [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={})

    before = timezone.now()
    attempt(delivery)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.FAILED
    assert delivery.response_code == 500 and delivery.error == "HTTP 500"
    assert len(delivery.response_body) == RESPONSE_BODY_LIMIT
    assert (
        before + timedelta(seconds=20) < delivery.next_attempt_at < before + timedelta(seconds=40)
    )
    # Not due yet: a second attempt now does nothing.
    assert attempt(delivery) is None
    assert route.call_count == 1

    make_due(delivery)
    attempt(delivery)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.SUCCEEDED and delivery.attempt == 2
    assert route.call_count == 2


@respx.mock
def test_a_receiver_that_times_out_does_not_block_another_endpoints_delivery(agency_a):
    WebhookEndpointFactory(agency=agency_a, url="https://slow.example.test/h")
    WebhookEndpointFactory(agency=agency_a, url="https://fast.example.test/h")
    respx.post("https://slow.example.test/h").mock(side_effect=httpx.ReadTimeout("no answer"))
    respx.post("https://fast.example.test/h").mock(return_value=httpx.Response(200))
    webhook_emit(agency=agency_a, event="crisis.opened", data={})

    deliver_all(agency_a)

    states = dict(
        WebhookDelivery.unscoped.values_list("endpoint__url", "state").order_by("endpoint__url")
    )
    assert states == {
        "https://fast.example.test/h": WebhookDeliveryState.SUCCEEDED,
        "https://slow.example.test/h": WebhookDeliveryState.FAILED,
    }
    slow = WebhookDelivery.unscoped.get(endpoint__url="https://slow.example.test/h")
    assert "no answer" in slow.error


def test_a_receiver_that_never_answers_is_cut_off_at_the_timeout(agency_a, silent_server, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on 127.0.0.1
    WebhookEndpointFactory(agency=agency_a, url=silent_server)
    [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
    started = time.monotonic()
    attempt(delivery)
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.FAILED
    assert delivery.error.startswith("no answer from http://127.0.0.1:")


@respx.mock
def test_an_endpoint_failing_repeatedly_is_turned_off_and_admins_are_told_once(
    agency_a, owner_of_a, admin_of_a, member_of_a, settings
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://down.example.test/h")
    respx.post("https://down.example.test/h").mock(return_value=httpx.Response(503))
    for _ in range(3):
        webhook_emit(agency=agency_a, event="crisis.opened", data={})
    deliver_all(agency_a)

    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert "3" in endpoint.disabled_reason
    notified = set(
        Notification.unscoped.filter(verb="webhook.disabled").values_list("recipient", flat=True)
    )
    assert notified == {owner_of_a.user_id, admin_of_a.user_id}
    # No more events for it, and what was still queued is given up.
    assert webhook_emit(agency=agency_a, event="crisis.opened", data={}) == []


@respx.mock
def test_an_endpoint_failing_for_24_hours_is_turned_off(agency_a, owner_of_a):
    endpoint = WebhookEndpointFactory(
        agency=agency_a,
        url="https://down.example.test/h",
        consecutive_failures=4,
        failing_since=timezone.now() - timedelta(hours=25),
    )
    respx.post("https://down.example.test/h").mock(return_value=httpx.Response(502))
    webhook_emit(agency=agency_a, event="crisis.opened", data={})
    deliver_all(agency_a)
    endpoint.refresh_from_db()
    assert not endpoint.active


@respx.mock
def test_a_delivery_failing_for_24_hours_is_dead(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://down.example.test/h")
    respx.post("https://down.example.test/h").mock(return_value=httpx.Response(500))
    delivery = WebhookDeliveryFactory(
        agency=agency_a,
        endpoint=endpoint,
        created_at=timezone.now() - timedelta(hours=24, minutes=1),
        state=WebhookDeliveryState.FAILED,
        attempt=13,
    )
    attempt(delivery)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.DEAD and delivery.next_attempt_at is None


@respx.mock
def test_success_resets_the_endpoints_failure_count(agency_a):
    endpoint = WebhookEndpointFactory(
        agency=agency_a,
        url="https://crm.example.test/h",
        consecutive_failures=7,
        failing_since=timezone.now(),
    )
    respx.post("https://crm.example.test/h").mock(return_value=httpx.Response(200))
    webhook_emit(agency=agency_a, event="crisis.opened", data={})
    deliver_all(agency_a)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None
