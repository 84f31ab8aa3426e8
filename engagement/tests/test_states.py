"""The conversation's state machine: the moves it lists, and a refusal for any other."""

import pytest

from engagement.models import Conversation
from engagement.states import (
    CONVERSATION_TRANSITIONS,
    IllegalTransition,
    conversation_move,
    conversation_reopen_on_inbound,
)


def _conversation(status):
    return Conversation(status=status)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("new", "open"),
        ("new", "closed"),
        ("open", "pending"),
        ("pending", "closed"),
        ("closed", "open"),
    ],
)
def test_listed_moves_are_made(start, to):
    conversation = _conversation(start)
    assert conversation_move(conversation, to) == start
    assert conversation.status == to


@pytest.mark.parametrize(("start", "to"), [("open", "new"), ("closed", "pending"), ("x", "y")])
def test_a_move_the_table_does_not_list_raises(start, to):
    conversation = _conversation(start if start in CONVERSATION_TRANSITIONS else "open")
    with pytest.raises(IllegalTransition):
        conversation_move(conversation, to)


@pytest.mark.parametrize(
    ("start", "after"), [("new", "new"), ("open", "open"), ("pending", "open"), ("closed", "open")]
)
def test_an_inbound_message_reopens_what_waited_or_was_closed(start, after):
    conversation = _conversation(start)
    assert conversation_reopen_on_inbound(conversation) == (start != after)
    assert conversation.status == after
