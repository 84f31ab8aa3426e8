"""The inbox's data: conversations, their messages, internal notes and the agency's labels."""

from engagement.models.conversations import (
    MAX_MESSAGE_CHARS,
    Conversation,
    ConversationKind,
    ConversationLabel,
    ConversationStatus,
    Direction,
    InternalNote,
    Label,
    Message,
    Priority,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "Conversation",
    "ConversationKind",
    "ConversationLabel",
    "ConversationStatus",
    "Direction",
    "InternalNote",
    "Label",
    "Message",
    "Priority",
]
