"""A person's (or an API key's) hide, unhide and delete are announced as
``moderation.action_taken`` like a rule's, with who asked and no rule: once per click (a
double submit is one event), in the request's transaction, never for a refused request."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agency.tenancy import tenant_scope
from agency.tests.factories import ApiKeyFactory
from engagement.services.actions import action_request, seen_marker
from engagement.tests.factories import ConversationFactory, MessageFactory
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def comment(agency_a, brand_a):
    conversation = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        network="facebook",
        social_account__network="facebook",
        social_account__instance_url="",
    )
    return MessageFactory(agency=agency_a, conversation=conversation, external_id="123_456")


@pytest.fixture
def endpoint(agency_a):
    return WebhookEndpointFactory(agency=agency_a, events=["moderation.action_taken"])


def _events(endpoint) -> list[dict]:
    deliveries = WebhookDelivery.unscoped.filter(endpoint=endpoint).order_by("id")
    return [json.loads(d.body)["data"] for d in deliveries]


@pytest.mark.parametrize("kind", ["hide", "unhide", "delete"])
def test_a_persons_action_is_announced_with_the_person_and_no_rule(
    agency_a, comment, member_of_a, endpoint, kind
):
    with tenant_scope(agency_a):
        for _twice in range(2):
            action_request(
                conversation=comment.conversation,
                kind=kind,
                message=comment,
                actor=member_of_a,
                token=f"{kind}-click",
            )
    [data] = _events(endpoint)  # the second submit of the same click is not a second event
    assert data["action"] == {
        "kind": kind,
        "rule": None,
        "by": "person",
        "actor": {
            "user": member_of_a.user_id,
            "api_key": None,
            "label": member_of_a.user.get_full_name(),
        },
        "reason": "",
    }
    assert data["message"]["id"] == comment.pk
    assert data["message"]["external_id"] == "123_456"
    assert data["conversation"]["id"] == comment.conversation_id


def test_an_api_keys_hide_through_the_api_is_announced_as_the_key(
    agency_a, comment, endpoint, api_as
):
    key = ApiKeyFactory(agency=agency_a, scope="read_write", name="CRM")
    api = api_as(key)
    url = f"/api/v1/conversations/{comment.conversation_id}/actions/"
    for _twice in range(2):
        response = api.post(
            url, {"kind": "hide", "message": comment.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
        )
        assert response.status_code == 202, response.content
    [data] = _events(endpoint)
    assert data["action"]["by"] == "api_key" and data["action"]["rule"] is None
    assert data["action"]["actor"]["api_key"] == key.pk
    assert data["action"]["actor"]["user"] is None
    assert data["action"]["actor"]["label"].startswith("API key CRM")


def test_a_refused_action_announces_nothing(agency_a, brand_a, member_of_a, endpoint):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)  # Mastodon: no hiding
    message = MessageFactory(agency=agency_a, conversation=conversation)
    with tenant_scope(agency_a), pytest.raises(ValidationError, match="does not let an app"):
        action_request(conversation=conversation, kind="hide", message=message, actor=member_of_a)
    assert _events(endpoint) == []


def test_a_reply_is_not_a_moderation_event(agency_a, comment, member_of_a, endpoint):
    with tenant_scope(agency_a):
        action_request(
            conversation=comment.conversation,
            kind="reply",
            actor=member_of_a,
            text="Merci, nous regardons.",
            seen=seen_marker(comment.conversation),
        )
    assert _events(endpoint) == []
