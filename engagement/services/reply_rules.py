"""Who may reply to a conversation, and whose replies wait for approval.

- Replying: the team's roles with ``inbox.manage``; a client approver only when the brand's
  ``clients_may_reply`` is on (and only on its brands: the conversation must be visible to
  it). Client viewers never.
- Approval: when the brand's ``replies_need_approval`` is on, a reply from anyone without
  ``inbox.approve_replies`` (community managers, client approvers, API keys, moderation
  rules) is stored as awaiting approval instead of queued; managers, admins and owners reply
  directly and decide the waiting ones.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from agency import permissions
from agency.models import Membership, Role
from engagement.models import Conversation
from engagement.models.replies import BrandReplySettings


def _settings(conversation: Conversation) -> BrandReplySettings | None:
    return BrandReplySettings.objects.filter(brand_id=conversation.brand_id).first()


def _visible(actor, conversation: Conversation) -> bool:
    return Conversation.objects.visible_to(actor).filter(pk=conversation.pk).exists()


def client_may_reply(actor, conversation: Conversation) -> bool:
    found = _settings(conversation)
    return (
        isinstance(actor, Membership)
        and actor.role == Role.CLIENT_APPROVER
        and found is not None
        and found.clients_may_reply
    )


def may_reply(actor, conversation: Conversation) -> bool:
    """``actor`` None is a moderation rule: the brand's own automation."""
    if actor is None:
        return True
    if not (
        permissions.can(actor, permissions.INBOX_MANAGE) or client_may_reply(actor, conversation)
    ):
        return False
    return _visible(actor, conversation)


def reply_require(actor, conversation: Conversation) -> None:
    if not may_reply(actor, conversation):
        raise PermissionDenied("This actor may not reply to this conversation.")


def can_approve(actor) -> bool:
    return actor is not None and permissions.can(actor, permissions.INBOX_APPROVE_REPLIES)


def needs_approval(actor, conversation: Conversation) -> bool:
    found = _settings(conversation)
    return found is not None and found.replies_need_approval and not can_approve(actor)
