"""The inbox's webhook events: a comment read from the brand's account is announced once
(inbox.message.received), the brand's reply read back too (inbox.message.replied), signed and
delivered by the webhook engine; the old items of a first read are announced to nobody."""

import json

import httpx
import respx

from engagement.models import Message
from engagement.tests.test_ingest import _poll, _status, owned  # noqa: F401 - a fixture
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory
from webhooks.tests.helpers import deliver_all, documented_verify

HOOK = "https://crm.example.test/inbox"
EVENTS = ["inbox.message.received", "inbox.message.replied"]


def _bodies(agency):
    deliveries = WebhookDelivery.unscoped.filter(agency=agency).order_by("pk")
    return [json.loads(d.body) for d in deliveries]


def test_a_first_read_announces_nothing_then_a_new_comment_is_one_delivered_event(
    agency_a,
    owned,  # noqa: F811 - the fixture imported above
):
    _account, _variant, source = owned
    endpoint = WebhookEndpointFactory(agency=agency_a, url=HOOK, events=EVENTS)
    old = _status("5002", "Commande pas arrivée", reply_to="5001")
    _poll(source, agency_a, [old])  # the source's first read: history, not news
    assert not WebhookDelivery.unscoped.filter(agency=agency_a).exists()

    new = _status("5005", "Toujours rien reçu !", reply_to="5002", when="12:00")
    _poll(source, agency_a, [old, new])
    _poll(source, agency_a, [old, new])  # read again: nothing new, nothing announced

    [body] = _bodies(agency_a)
    message = Message.unscoped.get(agency=agency_a, external_id="5005")
    assert body["type"] == "inbox.message.received" and body["agency"] == agency_a.pk
    assert body["data"]["message"] == {
        "id": message.pk,
        "external_id": "5005",
        "kind": "reply",
        "direction": "in",
        "author_handle": "salma",
        "author_name": "Salma",
        "text": "Toujours rien reçu !",
        "language": "fr",
        "sentiment": message.sentiment,
        "sent_at": "2026-11-20T12:00:00Z",
        "permalink": "https://mastodon.social/@salma/5005",
    }
    conversation = body["data"]["conversation"]
    assert conversation["id"] == message.conversation_id and conversation["network"] == "mastodon"
    assert conversation["brand"] == message.conversation.brand_id

    with respx.mock:
        route = respx.post(HOOK).mock(return_value=httpx.Response(204))
        deliver_all(agency_a)
    [call] = route.calls
    assert call.request.headers["X-Agency-Event"] == "inbox.message.received"
    assert documented_verify()(
        endpoint.secret, call.request.headers["X-Agency-Signature"], call.request.content
    )
    assert WebhookDelivery.unscoped.get(agency=agency_a).state == "succeeded"


def test_the_brands_reply_read_back_is_announced_as_replied(agency_a, owned):  # noqa: F811
    _account, _variant, source = owned
    WebhookEndpointFactory(agency=agency_a, url=HOOK, events=["inbox.message.replied"])
    old = _status("5002", "Commande pas arrivée", reply_to="5001")
    _poll(source, agency_a, [old])
    answer = _status(
        "5003", "Désolés !", reply_to="5002", account_id="42", acct="cafetanger", when="12:30"
    )
    _poll(source, agency_a, [old, answer])

    [body] = _bodies(agency_a)  # the endpoint does not subscribe to received messages
    assert body["type"] == "inbox.message.replied"
    assert body["data"]["message"]["direction"] == "out"
    assert body["data"]["message"]["external_id"] == "5003"
