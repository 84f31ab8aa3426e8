"""The inbox's webhook events: one per message stored, with the conversation it belongs to, and
one per moderation action.

``inbox.message.received`` for the author's messages, ``inbox.message.replied`` for the
brand's (a reply read back from the network, or one we sent); ``moderation.action_taken`` when
a rule or a person asks for a hide, an unhide or a delete (or a rule flags). Emitted through
``webhook_emit``, so the delivery rows are written in the caller's transaction and sent once it
commits. The payloads are documented in docs/webhooks.md; change both together.
"""

from __future__ import annotations

from collections.abc import Iterable

from agency.models import ApiKey, Membership
from agency.services.audit import actor_label
from engagement.models import Conversation, Direction, Message
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit


def _instant(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def conversation_payload(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "brand": conversation.brand_id,
        "social_account": conversation.social_account_id,
        "network": conversation.network,
        "kind": conversation.kind,
        "status": conversation.status,
        "priority": conversation.priority,
        "assignee": conversation.assignee_id,
        "language": conversation.language,
        "sentiment": conversation.sentiment,
    }


def message_payload(message: Message) -> dict:
    return {
        "id": message.pk,
        "external_id": message.external_id,
        "kind": message.kind,
        "direction": message.direction,
        "author_handle": message.author_handle,
        "author_name": message.author_name,
        "text": message.text,
        "language": message.language,
        "sentiment": message.sentiment,
        "sent_at": _instant(message.sent_at),
        "permalink": message.permalink,
    }


def messages_announce(conversation: Conversation, messages: Iterable[Message]) -> int:
    """One event per message, oldest first. Returns how many events were emitted."""
    emitted = 0
    for message in sorted(messages, key=lambda m: (m.sent_at, m.pk)):
        event = (
            WebhookEvent.INBOX_MESSAGE_REPLIED
            if message.direction == Direction.OUTBOUND
            else WebhookEvent.INBOX_MESSAGE_RECEIVED
        )
        webhook_emit(
            agency=conversation.agency_id,
            event=event,
            data={
                "conversation": conversation_payload(conversation),
                "message": message_payload(message),
            },
        )
        emitted += 1
    return emitted


def moderation_announce(
    *,
    conversation: Conversation,
    message: Message,
    kind: str,
    rule=None,
    actor=None,
    reason: str = "",
) -> None:
    """``moderation.action_taken`` for ``kind`` (hide, unhide, delete, flag) on ``message``,
    decided by ``rule`` (a ModerationRule) or asked by ``actor`` (a member or an API key)."""
    if rule is not None:
        by, who = "rule", None
    else:
        by = "api_key" if isinstance(actor, ApiKey) else "person"
        who = {
            "user": actor.user_id if isinstance(actor, Membership) else None,
            "api_key": actor.pk if isinstance(actor, ApiKey) else None,
            "label": actor_label(actor),
        }
    webhook_emit(
        agency=conversation.agency_id,
        event=WebhookEvent.MODERATION_ACTION_TAKEN,
        data={
            "conversation": conversation_payload(conversation),
            "message": message_payload(message),
            "action": {
                "kind": kind,
                "rule": rule.pk if rule is not None else None,
                "by": by,
                "actor": who,
                "reason": reason,
            },
        },
    )
