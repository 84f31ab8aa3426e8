"""Reads of one conversation: the thread, the team's notes, the post it is about and the
author's history (from reputation). Client roles never get the notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from agency import permissions
from agency.models import ApiKey
from agency.visibility import get_visible_or_404
from engagement.models import Conversation, InternalNote, Message
from reputation.selectors.authors import AuthorHistory, author_history

EARLIER_MESSAGES = 5


@dataclass
class ConversationPage:
    conversation: Conversation
    messages: list[Message]
    notes: list[InternalNote] | None  # None: not for this actor
    earlier: list[Message] = field(default_factory=list)  # the author's other conversations
    author: AuthorHistory | None = None


def conversation_get_for(*, actor, conversation_id) -> Conversation:
    queryset = Conversation.objects.select_related(
        "brand", "social_account", "assignee", "author", "post_variant__post"
    )
    return get_visible_or_404(queryset, conversation_id, actor=actor)


def may_read_notes(actor) -> bool:
    """Internal notes are the team's: never a client role's (nor, later, a link's). An API
    key is the agency's own machine credential (keys have no client scope), so it may, when
    its scope gives it the inbox."""
    if isinstance(actor, ApiKey):
        return actor.is_active and permissions.can(actor, permissions.INBOX_VIEW)
    return bool(getattr(actor, "pk", None)) and not getattr(actor, "is_client", True)


def conversation_page(*, actor, conversation: Conversation) -> ConversationPage:
    messages = list(
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("sent_at", "id")
    )
    notes = None
    if may_read_notes(actor) and permissions.can(actor, permissions.INBOX_VIEW):
        notes = list(
            InternalNote.objects.filter(conversation=conversation).order_by("created_at", "id")
        )
    earlier: list[Message] = []
    if conversation.author_id:
        earlier = list(
            Message.objects.visible_to(actor)
            .filter(author_id=conversation.author_id)
            .exclude(conversation=conversation)
            .select_related("conversation__brand")
            .order_by("-sent_at", "-id")[:EARLIER_MESSAGES]
        )
    return ConversationPage(
        conversation=conversation,
        messages=messages,
        notes=notes,
        earlier=earlier,
        author=author_history(actor, author_id=conversation.author_id),
    )
