"""Reads of one conversation: the thread, the team's notes, the post it is about and the
author's history (from reputation). Client roles never get the notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from agency import permissions
from agency.models import ApiKey
from agency.visibility import get_visible_or_404
from engagement.models import Conversation, InternalNote, Message
from reputation.models.account_posts import ExternalPost
from reputation.selectors.authors import AuthorHistory, author_history

EARLIER_MESSAGES = 5


@dataclass(frozen=True)
class PostInContext:
    """The brand's post a conversation is under, the same for a post published through us
    (its variant) and for one written on the network (reputation's ExternalPost)."""

    external_id: str
    text: str = ""
    url: str = ""
    published_at: datetime | None = None
    through_us: bool = False


@dataclass
class ConversationPage:
    conversation: Conversation
    messages: list[Message]
    notes: list[InternalNote] | None  # None: not for this actor
    earlier: list[Message] = field(default_factory=list)  # the author's other conversations
    author: AuthorHistory | None = None
    post: PostInContext | None = None


def post_in_context(conversation: Conversation) -> PostInContext | None:
    """The post of a comment's conversation: the variant's (text as published, link, time)
    or, not published through us, what the account's listing said of it; a post never listed
    (older than the first read) shows by its id."""
    variant = conversation.post_variant
    if variant is not None:
        return PostInContext(
            external_id=variant.external_id or conversation.post_external_id,
            text=variant.text_override or variant.post.text,
            url=variant.external_url,
            published_at=variant.published_at,
            through_us=True,
        )
    if not conversation.post_external_id:
        return None
    row = (
        ExternalPost.objects.filter(
            social_account_id=conversation.social_account_id,
            external_id=conversation.post_external_id,
        )
        .only("text", "permalink", "published_at")
        .first()
    )
    if row is None:
        return PostInContext(external_id=conversation.post_external_id)
    return PostInContext(
        external_id=conversation.post_external_id,
        text=row.text,
        url=row.permalink,
        published_at=row.published_at,
    )


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
        post=post_in_context(conversation),
    )
