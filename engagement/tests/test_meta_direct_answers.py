"""Answers in a Messenger conversation through the outbox: sent once to the person's PSID as a
RESPONSE; after a lost answer the conversation is read before anything is resent; past
Messenger's 24 hours the answer is refused, and Meta's own refusal is explained. Meta is faked
as meta_send_api.py says."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agency.tenancy import tenant_scope
from engagement.models import ActionState, Direction, Message, OutboundAction
from engagement.services.actions import action_request, seen_marker
from engagement.tests.meta_send_api import (  # noqa: F401 - fixtures, used by name
    GRAPH,
    PAGE,
    PSID,
    act,
    comment_fixture,
    dm_fixture,
    fresh,
    in_english_fixture,
    meta_conversation,
    send,
    send_api_fixture,
)

# ---------------------------------------------------------------------------- private conversations


def _answer(conversation, actor, text="Nous regardons tout de suite.", token="dm-1"):
    with tenant_scope(conversation.agency_id):
        return action_request(
            conversation=conversation,
            kind="reply",
            actor=actor,
            text=text,
            token=token,
            seen=seen_marker(conversation),
        )


def test_an_answer_in_a_messenger_conversation_is_sent_once_and_joins_it(dm, member_of_a, send_api):
    from webhooks.models import WebhookDelivery
    from webhooks.tests.factories import WebhookEndpointFactory

    conversation, received = dm
    WebhookEndpointFactory(agency=conversation.agency, events=["inbox.message.replied"])
    action = _answer(conversation, member_of_a)
    assert _answer(conversation, member_of_a).pk == action.pk
    assert send(action) == "done"
    assert send(action) == "skipped"
    assert send_api.posts == [
        {
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "Nous regardons tout de suite."},
        }
    ]
    with tenant_scope(conversation.agency_id):
        sent = Message.objects.get(pk=fresh(action).message_id)
        assert sent.external_id == "m_out_1" and sent.direction == Direction.OUTBOUND
        assert sent.kind == "direct_message" and sent.parent_id == received.pk
        conversation.refresh_from_db()
        assert conversation.status == "pending"
    [announced] = WebhookDelivery.unscoped.filter(agency_id=conversation.agency_id)
    body = json.loads(announced.body)
    assert body["type"] == "inbox.message.replied"
    assert body["data"]["message"]["external_id"] == "m_out_1"
    assert body["data"]["message"]["kind"] == "direct_message"


def test_an_answer_without_reply_is_found_in_the_conversation_and_not_resent(
    dm, member_of_a, send_api
):
    conversation, _received = dm
    send_api.fail = "timeout"
    action = _answer(conversation, member_of_a)
    assert send(action) == "done"  # not answered, then found by reading the conversation
    assert len(send_api.posts) == 1
    assert send_api.lookups.call_count == 1
    action = fresh(action)
    assert action.external_id == "m_out_1" and "after all" in action.error
    with tenant_scope(conversation.agency_id):
        assert Message.objects.filter(direction=Direction.OUTBOUND).count() == 1


def test_an_answer_the_conversation_lacks_is_sent_again_once(dm, member_of_a, send_api):
    conversation, _received = dm
    send_api.fail = "lost"
    action = _answer(conversation, member_of_a)
    assert send(action) == "not_found"
    assert fresh(action).state == ActionState.QUEUED
    assert send(action) == "done"  # asked once more, still missing: sent
    assert len(send_api.posts) == 2 and send_api.lookups.call_count == 2


def test_an_answer_after_messengers_24_hours_is_refused_before_any_row(dm, member_of_a, send_api):
    conversation, received = dm
    with tenant_scope(conversation.agency_id):
        Message.objects.filter(pk=received.pk).update(
            sent_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
        )
    with pytest.raises(ValidationError, match="within 24 hours"):
        _answer(conversation, member_of_a)
    assert not OutboundAction.unscoped.exists() and send_api.posts == []


def test_metas_window_refusal_is_explained(dm, member_of_a, send_api):
    conversation, _received = dm
    send_api.fail = "window"
    action = _answer(conversation, member_of_a)
    assert send(action) == "failed"
    action = fresh(action)
    assert action.state == ActionState.FAILED
    assert "24 hours after the person's last message are over" in action.error
    assert len(send_api.posts) == 1
