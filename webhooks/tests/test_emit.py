"""Emitting: one delivery per subscribed endpoint, in the caller's transaction; the sweep that
finds what a lost message left behind; redelivery and the test event."""

import json
from datetime import timedelta

import httpx
import pytest
import respx
from django.db import transaction
from django.utils import timezone

from webhooks.models import WebhookDelivery
from webhooks.services.delivery import webhook_deliveries_due_across_agencies
from webhooks.services.emit import webhook_delivery_redeliver, webhook_emit
from webhooks.services.endpoints import webhook_endpoint_send_test
from webhooks.states import WebhookDeliveryState
from webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory
from webhooks.tests.helpers import attempt

# --- Emitting -------------------------------------------------------------------------------


def test_emit_writes_one_delivery_per_subscribed_active_endpoint(agency_a, agency_b):
    subscribed = WebhookEndpointFactory(agency=agency_a, events=["crisis.opened"])
    WebhookEndpointFactory(agency=agency_a, events=["post.published"])
    WebhookEndpointFactory(agency=agency_a, events=["crisis.opened"], active=False)
    WebhookEndpointFactory(agency=agency_b, events=["crisis.opened"])

    deliveries = webhook_emit(agency=agency_a, event="crisis.opened", data={"x": 1})

    assert [d.endpoint_id for d in deliveries] == [subscribed.pk]
    body = json.loads(deliveries[0].body)
    assert body["type"] == "crisis.opened" and body["data"] == {"x": 1}
    assert body["agency"] == agency_a.pk and body["id"].startswith("evt_")


def test_emit_is_part_of_the_callers_transaction(agency_a):
    WebhookEndpointFactory(agency=agency_a, events=["crisis.opened"])
    with pytest.raises(RuntimeError), transaction.atomic():
        webhook_emit(agency=agency_a, event="crisis.opened", data={})
        raise RuntimeError("the change being announced failed")
    assert not WebhookDelivery.unscoped.exists()


def test_emit_refuses_an_unknown_event(agency_a):
    with pytest.raises(ValueError, match="Unknown webhook event"):
        webhook_emit(agency=agency_a, event="crisis.exploded", data={})


def test_the_sweep_finds_due_deliveries_whose_message_was_lost(agency_a, agency_b):
    due = WebhookDeliveryFactory(agency=agency_a)
    also_due = WebhookDeliveryFactory(agency=agency_b, state=WebhookDeliveryState.FAILED)
    WebhookDeliveryFactory(agency=agency_a, next_attempt_at=timezone.now() + timedelta(hours=1))
    WebhookDeliveryFactory(agency=agency_a, lease_until=timezone.now() + timedelta(minutes=1))
    WebhookDeliveryFactory(agency=agency_a, state=WebhookDeliveryState.SUCCEEDED)
    assert set(webhook_deliveries_due_across_agencies()) == {
        (agency_a.pk, due.pk),
        (agency_b.pk, also_due.pk),
    }


def test_redelivery_sends_the_same_event_again_under_a_new_delivery(owner_of_a, agency_a):
    original = WebhookDeliveryFactory(agency=agency_a, state=WebhookDeliveryState.DEAD)
    copy = webhook_delivery_redeliver(actor=owner_of_a, delivery=original)
    assert copy.pk != original.pk
    assert (copy.event_id, copy.body, copy.state) == (original.event_id, original.body, "pending")
    assert copy.redelivery_of_id == original.pk


@respx.mock
def test_a_test_event_is_tried_once_and_never_counts_against_the_endpoint(owner_of_a, agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    respx.post("https://crm.example.test/h").mock(return_value=httpx.Response(404))
    delivery = webhook_endpoint_send_test(actor=owner_of_a, endpoint=endpoint)
    attempt(delivery)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.event == "webhook.test" and delivery.state == WebhookDeliveryState.DEAD
    assert endpoint.consecutive_failures == 0
