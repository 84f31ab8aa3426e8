"""Asking for an action on the network from the inbox: reply (to a comment, or in a private
conversation), hide, unhide, delete, like, unlike, private reply to a comment.

``action_request`` is the one entry point, for people (the conversation page, the API) and for
moderation rules (``actor=None`` with the rule's name): it checks the permission, what the
network's API allows, the text against the network's rules and windows (Meta: 24 hours to
answer a private message; a private reply once per comment, within 7 days) and the collision
guard, then writes ONE outbox row per click (the form's token is the row's idempotency key: a
double submit finds the first row) and queues its sending after the commit. A person's hide,
unhide or delete is announced as ``moderation.action_taken`` with the row, once per click.
Sending is
engagement.services.outbox's.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.services.audit import actor_label, audit_record
from engagement.models import (
    ActionKind,
    ActionState,
    Conversation,
    ConversationKind,
    Direction,
    Message,
    OutboundAction,
)
from engagement.services.collisions import _collision_check, seen_marker, seen_markers  # noqa: F401 - callers import them from here
from engagement.services.conversations import _require
from engagement.services.events import moderation_announce
from engagement.services.reply_rules import needs_approval, reply_require
from engagement.services.saved_replies import signed
from engagement.states import action_move
from networks import PostContent
from networks.registry import adapter_class, display_name
from networks.rules import check_content

K = ActionKind
MAX_KEY_CHARS = 80
QUEUED_GRACE_SECONDS = 60  # a queued row not claimed by then is queued again by the reaper

# The adapter capability each kind needs (networks.base.Capabilities). A reply in a private
# conversation needs ``send_direct_messages`` instead (see ``capability_of``).
CAPABILITY: dict[str, str] = {K.REPLY: "reply", K.HIDE: "hide_comment"}
CAPABILITY |= {K.UNHIDE: "hide_comment", K.DELETE: "delete_comment"}
# A person's requests announced as moderation.action_taken (docs/webhooks.md), when queued.
ANNOUNCED = frozenset({K.HIDE, K.UNHIDE, K.DELETE})
CAPABILITY |= {K.LIKE: "like", K.UNLIKE: "like", K.PRIVATE_REPLY: "private_reply"}
# What a comment must be for each action (a private message cannot be hidden or liked).
COMMENT_ACTIONS = {K.HIDE, K.UNHIDE, K.DELETE, K.LIKE, K.UNLIKE, K.PRIVATE_REPLY}
# Kinds whose text is the person's (signed and checked), the others carry none.
TEXT_KINDS = {K.REPLY, K.PRIVATE_REPLY}


def capability_of(kind: str, conversation_kind: str = "") -> str | None:
    if kind == K.REPLY and conversation_kind == ConversationKind.DIRECT_MESSAGE:
        return "send_direct_messages"
    return CAPABILITY.get(kind)


def _not_built(network: str, what: str) -> str:
    """Why an action the network's API has is not offered: only our side is missing."""
    name = display_name(network)
    if what in (K.LIKE, K.UNLIKE):
        return _("Liking from the inbox is not built yet for %(network)s.") % {"network": name}
    return ""


def action_unavailable(network: str, kind: str, conversation_kind: str = "") -> str:
    """Why ``kind`` cannot be done on ``network`` from the inbox, in plain words; "" if it can.
    ``conversation_kind`` matters for a reply: in a direct-message conversation it is a
    private message. The conversation page shows this on a disabled button instead of
    hiding it."""
    name = display_name(network)
    capability = capability_of(kind, conversation_kind)
    try:
        capabilities = adapter_class(network).capabilities
    except (KeyError, LookupError, ValueError):
        capabilities = None
    if capability is None or capabilities is None or not getattr(capabilities, capability):
        why = _not_built(network, capability if capability == "send_direct_messages" else kind)
        if why:
            return why
        verbs: dict[str, str] = {
            K.REPLY: _("reply"),
            "send_direct_messages": _("answer a private message"),
            K.HIDE: _("hide a comment"),
            K.UNHIDE: _("unhide a comment"),
            K.DELETE: _("delete a comment"),
            K.LIKE: _("like a comment"),
            K.UNLIKE: _("unlike a comment"),
            K.PRIVATE_REPLY: _("send a private reply to a comment"),
        }
        return _("%(network)s's API does not let an app %(action)s.") % {
            "network": name,
            "action": verbs.get(capability or "", verbs.get(kind, kind)),
        }
    return ""


def reply_unavailable(conversation: Conversation) -> str:
    """Why this conversation cannot be answered from the inbox, "" if it can: the network's
    API (action_unavailable), and for a private conversation whether the network sends
    private messages and the account was connected with the permission for them."""
    reason = action_unavailable(conversation.network, K.REPLY)
    if reason or conversation.kind != ConversationKind.DIRECT_MESSAGE:
        return reason
    name = display_name(conversation.network)
    adapter = adapter_class(conversation.network)
    if not adapter.capabilities.send_direct_messages:
        return _not_built(conversation.network, "send_direct_messages") or _(
            "Answering private messages on %(network)s is not built yet."
        ) % {"network": name}
    account = conversation.social_account
    if "direct_messages" in adapter.missing_features(account.scopes or []):
        return _(
            "Reconnect %(account)s to answer private messages: it was connected before "
            "%(network)s's direct-message permissions were asked for."
        ) % {"account": account, "network": name}
    return _linked_page_missing(conversation)


def _linked_page_missing(conversation: Conversation) -> str:
    """An Instagram account sends private messages and private replies through its linked
    Facebook Page: without that Page's token nothing can go out, so say to reconnect."""
    account = conversation.social_account
    if not account.lacks_linked_page:
        return ""
    return _(
        "Reconnect %(account)s: its private messages and private replies go out through the "
        "Facebook Page it is linked to, and that Page's token is not kept yet."
    ) % {"account": account}


def private_reply_unavailable(conversation: Conversation) -> str:
    """Why a comment of this conversation cannot get a private reply, "" if it can: the
    network's API, then the account (an Instagram account without its Page token)."""
    return action_unavailable(conversation.network, K.PRIVATE_REPLY) or _linked_page_missing(
        conversation
    )


def _reply_text_check(network: str, text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the reply.")})
    violations = check_content(network, PostContent(text=text))
    if violations:
        raise ValidationError({"text": " ".join(v.message for v in violations)})
    return text


def _private_text_check(network: str, text: str) -> str:
    """A private message's text (a direct-message answer, a private reply): not empty, and
    within the network's limit for messages, which is not its limit for comments."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the message.")})
    limit = adapter_class(network).direct_message_max_chars
    if limit is not None and len(text) > limit:
        raise ValidationError(
            {
                "text": _(
                    "%(network)s allows %(limit)d characters in a message; this one has %(n)d."
                )
                % {"network": display_name(network), "limit": limit, "n": len(text)}
            }
        )
    return text


def _direct_window_check(conversation: Conversation) -> None:
    """Refused before any row is written when the network's answer window (Meta: 24 hours
    after the person's last message) is over: Meta would refuse it anyway."""
    window = adapter_class(conversation.network).direct_message_window
    if window is None:
        return
    last = (
        Message.objects.filter(conversation=conversation, direction=Direction.INBOUND)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    if last is None or last < timezone.now() - window:
        raise ValidationError(
            _(
                "%(network)s lets a brand answer a private message only within %(hours)d hours "
                "of the person's last message, and they are over: the person must write again "
                "first."
            )
            % {
                "network": display_name(conversation.network),
                "hours": int(window.total_seconds() // 3600),
            }
        )


def _private_reply_taken() -> str:
    return _(
        "This comment already has its private reply: the network allows one per comment "
        "(a failed one can be sent again from the list below)."
    )


def _private_reply_check(conversation: Conversation, target: Message) -> None:
    """One private reply per comment, within the network's days after the comment."""
    window = adapter_class(conversation.network).private_reply_window
    if window is not None and target.sent_at < timezone.now() - window:
        raise ValidationError(
            _(
                "A private reply can be sent only within %(days)d days of the comment, and this "
                "comment is older."
            )
            % {"days": window.days}
        )
    if OutboundAction.objects.filter(target=target, kind=K.PRIVATE_REPLY).exists():
        raise ValidationError(_private_reply_taken())


def _target_of(conversation: Conversation, message: Message | None, kind: str) -> Message:
    if message is not None:
        if message.conversation_id != conversation.pk:
            raise ValidationError(_("This message is not in the conversation."))
        return message
    # A reply to the conversation answers its author's latest message.
    found = (
        Message.objects.filter(conversation=conversation, direction=Direction.INBOUND)
        .order_by("-sent_at", "-id")
        .first()
    )
    if found is None:
        raise ValidationError(_("There is no message of the author to act on."))
    return found


def action_request(
    *,
    conversation: Conversation,
    kind: str,
    message: Message | None = None,
    actor=None,
    rule_label: str = "",
    text: str = "",
    token: str = "",
    seen: str | None = None,
) -> OutboundAction:
    """Queue one action on the network (see the module). ``actor`` None is an automatic action
    (a moderation rule, named by ``rule_label``). ``token`` is the click's (a double submit
    returns the first row); ``seen`` the form's marker for the collision guard (a person's
    reply always carries one). Raises ValidationError with the reason, PermissionDenied."""
    if kind == K.REPLY:
        reply_require(actor, conversation)  # client approvers too, when the brand allows it
    elif actor is not None:
        _require(actor, conversation)
    if kind not in K.values:
        raise ValidationError(_("Unknown action."))
    key = (token or uuid.uuid4().hex)[:MAX_KEY_CHARS]
    existing = OutboundAction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.conversation_id != conversation.pk:
            raise ValidationError(_("This form was already used for another conversation."))
        return existing  # the same click, submitted twice
    if kind == K.REPLY:
        reason = reply_unavailable(conversation)
    elif kind == K.PRIVATE_REPLY:
        reason = private_reply_unavailable(conversation)
    else:
        reason = action_unavailable(conversation.network, kind)
    if reason:
        raise ValidationError(reason)
    target = _target_of(conversation, message, kind)
    if kind in TEXT_KINDS:
        if needs_approval(actor, conversation):
            # Only reply_submit (engagement.services.approvals) stores such a reply.
            raise ValidationError(_("This brand's replies wait for a manager's approval."))
        text = (
            signed(text, conversation, agent_user=getattr(actor, "user", None))
            if text.strip()
            else ""
        )
    if kind == K.REPLY and conversation.kind == ConversationKind.DIRECT_MESSAGE:
        text = _private_text_check(conversation.network, text)
        _direct_window_check(conversation)
    elif kind == K.REPLY:
        text = _reply_text_check(conversation.network, text)
    if kind == K.REPLY:
        if actor is not None and seen is None:
            raise ValidationError(_("Open the conversation again, then send."))
    elif target.direction != Direction.INBOUND:
        raise ValidationError(_("Only the author's messages can be hidden or deleted here."))
    elif kind in COMMENT_ACTIONS and target.kind == ConversationKind.DIRECT_MESSAGE:
        raise ValidationError(_("This is a private message: only comments can be acted on so."))
    if kind == K.PRIVATE_REPLY:
        text = _private_text_check(conversation.network, text)
        _private_reply_check(conversation, target)
    try:
        with transaction.atomic():
            if seen is not None:
                _collision_check(conversation, seen)
            action = OutboundAction.objects.create(
                agency_id=conversation.agency_id,
                conversation=conversation,
                target=target,
                kind=kind,
                text=text if kind in TEXT_KINDS else "",
                idempotency_key=key,
                requested_by=getattr(actor, "user", None),
                requested_label=actor_label(actor)[:200] if actor is not None else "",
                rule_label=rule_label[:200],
                lease_until=timezone.now() + dt.timedelta(seconds=QUEUED_GRACE_SECONDS),
            )
            audit_record(
                agency=conversation.agency,
                actor=actor,
                verb=f"conversation.{kind}_requested",
                target=conversation,
                data={"action": action.pk, "message": target.pk, "rule": rule_label or None},
            )
            if actor is not None and kind in ANNOUNCED:
                # A rule announces its own, with the rule and its reasons (moderation.apply).
                moderation_announce(
                    conversation=conversation, message=target, kind=kind, actor=actor
                )
            transaction.on_commit(lambda: action_enqueue(action))
    except IntegrityError:
        # The same click, submitted twice at the same moment: the other request's row.
        existing = OutboundAction.objects.filter(idempotency_key=key).first()
        if existing is None and kind == K.PRIVATE_REPLY:
            raise ValidationError(_private_reply_taken()) from None  # two clicks at once
        if existing is None:
            raise
        return existing
    return action


def action_enqueue(action: OutboundAction, *, countdown: float = 0) -> None:
    from engagement.tasks import send_outbound_action

    send_outbound_action.apply_async(
        kwargs={"agency_id": action.agency_id, "action_id": action.pk}, countdown=countdown
    )


@transaction.atomic
def action_retry(*, actor, action: OutboundAction) -> OutboundAction:
    """A person sends a failed action again (after checking the network, for a reply whose
    outcome could not be settled)."""
    _require(actor, action.conversation)
    action = OutboundAction.objects.select_for_update().get(pk=action.pk)
    if action.state != ActionState.FAILED:
        raise ValidationError(_("Only a failed action can be sent again."))
    action_move(action, ActionState.QUEUED)
    action.error = ""
    action.lease_until = timezone.now() + dt.timedelta(seconds=QUEUED_GRACE_SECONDS)
    action.save(update_fields=["state", "error", "lease_until", "updated_at"])
    audit_record(
        agency=action.conversation.agency,
        actor=actor,
        verb="conversation.action_retried",
        target=action.conversation,
        data={"action": action.pk, "kind": action.kind},
    )
    transaction.on_commit(lambda: action_enqueue(action))
    return action
