"""What Meta says happened to a message already in the inbox: deleted, edited, hidden or
unhidden on the network (Page feed verbs ``remove``/``edited``/``hide``/``unhide``,
Messenger's ``message_edit``, Instagram's unsent message).

Guarantees: the message row and its history stay (a deletion sets ``removed_at``, shown as
"Deleted on Facebook"); an edit keeps every earlier text in ``edit_history`` and re-runs the
language, sentiment and abuse analysis and the has-a-link flag on the new text; a removed
message no longer counts as awaiting a reply (when every message of the author in the
conversation is deleted, its running response-time targets stop); each is idempotent under
repeated or reordered deliveries (a removal is marked once, an edit older than the last one
applied, or with the text already shown, changes nothing). The rows are locked while changed,
so a delivery and its retry racing apply once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from clients.models import SocialAccount
from engagement.models import Conversation, Direction, Message
from engagement.services.moderation.conditions import has_link
from reputation.abuse import analyse as abuse_analyse
from reputation.language import detect_language
from reputation.sentiment.analysis import analyse as sentiment_analyse

REMOVED, EDITED, HIDDEN, UNHIDDEN = "remove", "edited", "hide", "unhide"
PREVIEW_CHARS = 300


@dataclass(frozen=True)
class NetworkChange:
    external_id: str
    verb: str  # one of REMOVED, EDITED, HIDDEN, UNHIDDEN
    text: str = ""  # the new text of an edit
    at: dt.datetime | None = None  # when the network says it happened


@dataclass
class ChangesResult:
    removed: int = 0
    edited: int = 0
    hidden: int = 0
    unknown_edits: list[str] = field(default_factory=list)  # edits of messages not stored yet


@transaction.atomic
def network_changes_apply(*, account: SocialAccount, changes: list[NetworkChange]) -> ChangesResult:
    """Apply ``changes`` to the account's stored messages (in its agency's scope). An edit of
    a message not stored yet is returned in ``unknown_edits`` for the caller to store as new;
    any other change of an unknown message is ignored (nothing to change)."""
    result = ChangesResult()
    ids = {c.external_id for c in changes}
    messages = {
        m.external_id: m
        for m in Message.objects.select_for_update()
        .filter(social_account=account, external_id__in=ids)
        .order_by("pk")
    }
    now = timezone.now()
    changed: dict[int, Message] = {}
    removed_in: set[int] = set()
    for change in changes:
        message = messages.get(change.external_id)
        if message is None:
            if change.verb == EDITED and change.text:
                result.unknown_edits.append(change.external_id)
            continue
        at = change.at or now
        if change.verb == REMOVED and message.removed_at is None:
            message.removed_at = at
            removed_in.add(message.conversation_id)
            result.removed += 1
        elif change.verb in (HIDDEN, UNHIDDEN):
            hidden = change.verb == HIDDEN
            if message.hidden_on_network != hidden:
                message.hidden_on_network = hidden
                result.hidden += 1
        elif change.verb == EDITED and _edit(message, change.text, at):
            result.edited += 1
        else:
            continue
        changed[message.pk] = message
    if not changed:
        return result
    Message.objects.bulk_update(
        list(changed.values()),
        [
            "removed_at",
            "hidden_on_network",
            "edited_at",
            "edit_history",
            "text",
            "language",
            "sentiment",
            "sentiment_score",
            "abuse_labels",
            "has_link",
        ],
    )
    _conversations_refresh({m.conversation_id for m in changed.values()}, removed_in)
    return result


def _edit(message: Message, text: str, at: dt.datetime) -> bool:
    """In memory: the new text, the old one kept, the analysis run again. False when there is
    nothing to change (the same text, or an edit no newer than the one applied)."""
    text = text[:5000]
    if not text or text == message.text:
        return False
    if message.edited_at is not None and at <= message.edited_at:
        return False  # a late copy of an earlier edit: the newer text stays
    earlier = {"text": message.text, "until": at.isoformat()}
    message.edit_history = [*(message.edit_history or []), earlier]
    message.text = text
    message.edited_at = at
    message.language = detect_language(text)
    sentiment = sentiment_analyse(text, message.language)
    message.sentiment = sentiment.label
    message.sentiment_score = sentiment.score
    message.abuse_labels = abuse_analyse(text).labels
    message.has_link = has_link(text)
    return True


def _conversations_refresh(conversation_ids: set[int], removed_in: set[int]) -> None:
    """The conversation's preview and scores follow its latest inbound message still on the
    network; with none left, nothing awaits a reply: the running targets stop."""
    for conversation in Conversation.objects.select_for_update().filter(pk__in=conversation_ids):
        latest = (
            Message.objects.filter(
                conversation=conversation, direction=Direction.INBOUND, removed_at__isnull=True
            )
            .order_by("-sent_at", "-pk")
            .first()
        )
        fields = []
        if latest is not None:
            conversation.preview = latest.text[:PREVIEW_CHARS]
            conversation.language = latest.language
            conversation.sentiment = latest.sentiment
            fields += ["preview", "language", "sentiment"]
        elif conversation.pk in removed_in:
            if conversation.first_response_at is None and conversation.first_response_due_at:
                conversation.first_response_due_at = None
                fields.append("first_response_due_at")
            if conversation.resolved_at is None and conversation.resolution_due_at:
                conversation.resolution_due_at = None
                fields.append("resolution_due_at")
        if fields:
            conversation.save(update_fields=[*fields, "updated_at"])
