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
from engagement.models.moderation import (
    AuthorList,
    BrandAuthor,
    MatchMode,
    ModerationRule,
    RuleAction,
    handle_key,
)
from engagement.models.outbound import (
    MAX_REPLY_CHARS,
    ActionKind,
    ActionState,
    OutboundAction,
)
from engagement.models.replies import (
    ApprovalState,
    BrandReplySettings,
    ReplyApproval,
    SavedReply,
)
from engagement.models.sla import BusinessInterval, ClosedDay, SlaTarget, Weekday

__all__ = [
    "ApprovalState",
    "ReplyApproval",
    "BrandReplySettings",
    "SavedReply",
    "AuthorList",
    "BrandAuthor",
    "MatchMode",
    "ModerationRule",
    "RuleAction",
    "handle_key",
    "BusinessInterval",
    "ClosedDay",
    "SlaTarget",
    "Weekday",
    "MAX_REPLY_CHARS",
    "ActionKind",
    "ActionState",
    "OutboundAction",
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
