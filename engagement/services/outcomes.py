"""What an outbox action's sending ended in, recorded once under the row's lock.

A sent reply (to a comment, or an answer in a private conversation) becomes the thread's
outbound message (one row: the poll or webhook that later reads it back finds it by its
external id, engagement.services.ingest) and the conversation waits for the author. A private
reply to a comment goes to the author's Messenger or Instagram inbox, not to
the thread: its row keeps the message id. Every outcome is in the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agency.services.audit import audit_record
from engagement.models import (
    ActionKind,
    ActionState,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Direction,
    Message,
    OutboundAction,
)
from engagement.services.events import messages_announce
from engagement.services.sla import clock_on_reply
from engagement.states import CONVERSATION_TRANSITIONS, action_move, conversation_move

S = ActionState
K = ActionKind
QUEUED_GRACE = dt.timedelta(seconds=60)


def _locked(action: OutboundAction) -> OutboundAction:
    return (
        OutboundAction.objects.select_for_update().select_related("conversation").get(pk=action.pk)
    )


def _audit(action: OutboundAction, verb: str, data: dict) -> None:
    audit_record(
        agency=action.conversation.agency,
        actor=None,
        verb=verb,
        target=action.conversation,
        data={"action": action.pk, "kind": action.kind, "rule": action.rule_label or None, **data},
    )


@transaction.atomic
def record_done(action: OutboundAction, external_id: str, *, note: str = "") -> bool:
    action = _locked(action)
    if action.state not in (S.SENDING, S.UNKNOWN):
        return False
    action_move(action, S.DONE)
    now = timezone.now()
    action.external_id = external_id[:500]
    action.done_at = now
    action.error = note[:2000]
    if action.kind == K.REPLY:
        action.message = _reply_message(action, now)
    action.save(update_fields=["state", "external_id", "done_at", "error", "message", "updated_at"])
    _audit(action, f"conversation.{action.kind}_done", {"external_id": external_id})
    return True


def _reply_message(action: OutboundAction, now: dt.datetime) -> Message:
    conversation = Conversation.objects.select_for_update().get(pk=action.conversation_id)
    account = conversation.social_account
    message, _created = Message.objects.get_or_create(
        social_account=account,
        external_id=action.external_id or f"outbox-{action.pk}",
        defaults={
            "agency_id": action.agency_id,
            "conversation": conversation,
            "parent": action.target,
            "parent_external_id": action.target.external_id if action.target else "",
            "kind": (
                ConversationKind.DIRECT_MESSAGE
                if conversation.kind == ConversationKind.DIRECT_MESSAGE
                else K.REPLY
            ),
            "direction": Direction.OUTBOUND,
            "author_handle": account.handle[:200],
            "author_name": account.display_name[:200],
            "sent_at": now,
            "text": action.text,
        },
    )
    conversation.message_count = Message.objects.filter(conversation=conversation).count()
    conversation.last_message_at = max(conversation.last_message_at, now)
    # The team answered: the conversation waits for the author (a closed one stays closed).
    if ConversationStatus.PENDING in CONVERSATION_TRANSITIONS[conversation.status]:
        conversation_move(conversation, ConversationStatus.PENDING)
    clock_on_reply(conversation, at=message.sent_at)
    conversation.save(
        update_fields=[
            "message_count",
            "last_message_at",
            "status",
            "first_response_at",
            "updated_at",
        ]
    )
    if _created:  # read back by a poll first, it was announced then
        messages_announce(conversation, [message])
    return message


@transaction.atomic
def record_failed(action: OutboundAction, reason: str) -> bool:
    action = _locked(action)
    if action.state not in (S.QUEUED, S.SENDING, S.UNKNOWN):
        return False
    action_move(action, S.FAILED)
    action.error = reason[:2000]
    action.lease_until = None
    action.save(update_fields=["state", "error", "lease_until", "updated_at"])
    _audit(action, "conversation.action_failed", {"reason": reason[:500]})
    return True


@transaction.atomic
def record_later(action: OutboundAction, seconds: float, reason: str) -> bool:
    """Queued again, to be sent after ``seconds`` (a rate limit, a temporary failure, a reply
    the network was asked about and does not have)."""
    from engagement.services.actions import action_enqueue

    action = _locked(action)
    if action.state not in (S.SENDING, S.UNKNOWN):
        return False
    action_move(action, S.QUEUED)
    action.error = reason[:2000]
    action.lease_until = timezone.now() + dt.timedelta(seconds=seconds) + QUEUED_GRACE
    action.save(update_fields=["state", "error", "lease_until", "updated_at"])
    transaction.on_commit(lambda: action_enqueue(action, countdown=seconds))
    return True
