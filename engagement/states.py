"""The state machine of a conversation, in one place.

new (nobody has handled it) -> open (someone is on it) -> pending (waiting for the author) ->
closed; a new inbound message reopens a pending or closed conversation. A person may also put
back a conversation they closed by mistake. Every code path that changes
``Conversation.status`` goes through ``conversation_move``; a move the table does not list
raises ``IllegalTransition``.

The function changes the object in memory only; the caller saves (inside its transaction).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engagement.models import ActionState, ApprovalState, Conversation, ConversationStatus

S = ConversationStatus


class IllegalTransition(ValidationError):
    """A move the table does not allow. A ValidationError, so that the person who asked for it
    reads why, like any other refused action."""


# The one table of a conversation's allowed moves.
CONVERSATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING, S.CLOSED}),
    S.OPEN: frozenset({S.PENDING, S.CLOSED}),
    S.PENDING: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset({S.OPEN}),
}

# What a new inbound message does to a conversation in each state (the author spoke again).
ON_INBOUND: dict[str, str] = {
    S.NEW: S.NEW,
    S.OPEN: S.OPEN,
    S.PENDING: S.OPEN,
    S.CLOSED: S.OPEN,
}


def conversation_move(conversation: Conversation, to: str) -> str:
    """Move ``conversation`` to ``to`` (in memory); returns the status it left. Raises
    IllegalTransition."""
    if to not in S.values or to not in CONVERSATION_TRANSITIONS[conversation.status]:
        raise IllegalTransition(
            _("A conversation that is %(state)s cannot become %(to)s.")
            % {
                "state": S(conversation.status).label,
                "to": S(to).label if to in S.values else to,
            }
        )
    previous = conversation.status
    conversation.status = to
    return previous


def conversation_reopen_on_inbound(conversation: Conversation) -> bool:
    """A new message from the author arrived: reopen if pending or closed. True if it moved."""
    to = ON_INBOUND[conversation.status]
    if to == conversation.status:
        return False
    conversation_move(conversation, to)
    return True


# ---------------------------------------------------------------- the outbox

# queued -> sending (claimed) -> done / failed / unknown (no answer: the network is asked);
# sending -> queued when the claim's worker died before calling the network (safe); unknown ->
# done (the network has it) or queued (it has not: sent again with the same key); failed ->
# queued when a person retries.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    "queued": frozenset({"sending", "failed"}),
    "sending": frozenset({"done", "failed", "unknown", "queued"}),
    "unknown": frozenset({"done", "queued", "failed"}),
    "failed": frozenset({"queued"}),
    "done": frozenset(),
}


def action_move(action, to: str) -> str:
    """Move an outbound action to ``to`` (in memory); returns the state it left. Raises
    IllegalTransition."""
    if to not in ACTION_TRANSITIONS[action.state]:
        raise IllegalTransition(
            _("An action that is %(state)s cannot become %(to)s.")
            % {
                "state": ActionState(action.state).label,
                "to": ActionState(to).label if to in ActionState.values else to,
            }
        )
    previous = action.state
    action.state = to
    return previous


# A reply waiting for a manager: decided once, either way (a rejected reply is written again).
APPROVAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ApprovalState.AWAITING: frozenset({ApprovalState.APPROVED, ApprovalState.REJECTED}),
    ApprovalState.APPROVED: frozenset(),
    ApprovalState.REJECTED: frozenset(),
}


def approval_move(approval, to: str) -> str:
    """Move a ReplyApproval to ``to`` (in memory); returns the state it left. Raises
    IllegalTransition (a reply already decided)."""
    if to not in APPROVAL_TRANSITIONS.get(approval.state, frozenset()):
        raise IllegalTransition(
            _("This reply is already %(state)s.")
            % {"state": ApprovalState(approval.state).label.lower()}
        )
    previous = approval.state
    approval.state = to
    return previous
