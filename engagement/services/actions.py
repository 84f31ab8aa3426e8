"""Asking for an action on the network from the inbox: reply, hide, unhide, delete.

``action_request`` is the one entry point, for people (the conversation page, the API) and for
moderation rules (``actor=None`` with the rule's name): it checks the permission, what the
network's API allows, the reply's text against the network's rules and the collision guard,
then writes ONE outbox row per click (the form's token is the row's idempotency key: a double
submit finds the first row) and queues its sending after the commit. A person's hide, unhide
or delete is announced as ``moderation.action_taken`` with the row, once per click. Sending is
engagement.services.outbox's.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.services.audit import actor_label, audit_record
from engagement.models import (
    ActionKind,
    ActionState,
    Conversation,
    ConversationKind,
    Direction,
    InternalNote,
    Message,
    OutboundAction,
)
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

# The adapter capability each kind needs; like and private replies have none yet.
CAPABILITY: dict[str, str] = {K.REPLY: "reply", K.HIDE: "hide_comment"}
CAPABILITY |= {K.UNHIDE: "hide_comment", K.DELETE: "delete_comment"}
# A person's requests announced as moderation.action_taken (docs/webhooks.md), when queued.
ANNOUNCED = frozenset({K.HIDE, K.UNHIDE, K.DELETE})


def action_unavailable(network: str, kind: str) -> str:
    """Why ``kind`` cannot be done on ``network`` from the inbox, in plain words; "" if it can.
    The conversation page shows this on a disabled button instead of hiding it."""
    name = display_name(network)
    if kind == K.LIKE:
        return _("Liking from the inbox is not built yet for %(network)s.") % {"network": name}
    if kind == K.PRIVATE_REPLY:
        return _("Private replies (Facebook and Instagram) need Messenger access, not built yet.")
    capability = CAPABILITY.get(kind)
    try:
        capabilities = adapter_class(network).capabilities
    except (KeyError, LookupError, ValueError):
        capabilities = None
    if capability is None or capabilities is None or not getattr(capabilities, capability):
        verbs: dict[str, str] = {
            K.REPLY: _("reply"),
            K.HIDE: _("hide a comment"),
            K.UNHIDE: _("unhide a comment"),
            K.DELETE: _("delete a comment"),
        }
        return _("%(network)s's API does not let an app %(action)s.") % {
            "network": name,
            "action": verbs.get(kind, kind),
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
        return _("Answering private messages on %(network)s is not built yet.") % {"network": name}
    account = conversation.social_account
    if "direct_messages" in adapter.missing_features(account.scopes or []):
        return _(
            "Reconnect %(account)s to answer private messages: it was connected before "
            "%(network)s's direct-message permissions were asked for."
        ) % {"account": account, "network": name}
    return ""


def seen_marker(conversation: Conversation) -> str:
    """What the page was opened with, carried by the reply form: the newest message, note and
    reply request ids ("m.n.a"). The collision guard compares it with the database."""
    newest = [
        Message.objects.filter(conversation=conversation),
        InternalNote.objects.filter(conversation=conversation),
        OutboundAction.objects.filter(conversation=conversation, kind=K.REPLY),
    ]
    return ".".join(
        str(q.order_by("-id").values_list("id", flat=True).first() or 0) for q in newest
    )


def seen_markers(conversation_ids) -> dict[int, str]:
    """``seen_marker`` of many conversations in three queries (a page listing several)."""
    ids = list(conversation_ids)
    newest: list[dict[int, int]] = []
    for queryset in (
        Message.objects.all(),
        InternalNote.objects.all(),
        OutboundAction.objects.filter(kind=K.REPLY),
    ):
        rows = (
            queryset.filter(conversation_id__in=ids)
            .order_by()
            .values("conversation_id")
            .annotate(newest=Max("id"))
            .values_list("conversation_id", "newest")
        )
        newest.append(dict(rows))
    return {cid: ".".join(str(found.get(cid) or 0) for found in newest) for cid in ids}


def _collision_check(conversation: Conversation, seen: str) -> None:
    if seen_marker(conversation) != seen:
        raise ValidationError(
            _(
                "A message, note or reply was added since you opened this conversation: read "
                "it, then send again (your text is kept below)."
            )
        )


def _reply_text_check(network: str, text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the reply.")})
    violations = check_content(network, PostContent(text=text))
    if violations:
        raise ValidationError({"text": " ".join(v.message for v in violations)})
    return text


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
    reason = (
        reply_unavailable(conversation)
        if kind == K.REPLY
        else action_unavailable(conversation.network, kind)
    )
    if reason:
        raise ValidationError(reason)
    target = _target_of(conversation, message, kind)
    if kind == K.REPLY:
        if needs_approval(actor, conversation):
            # Only reply_submit (engagement.services.approvals) stores such a reply.
            raise ValidationError(_("This brand's replies wait for a manager's approval."))
        text = (
            signed(text, conversation, agent_user=getattr(actor, "user", None))
            if text.strip()
            else ""
        )
        text = _reply_text_check(conversation.network, text)
        if actor is not None and seen is None:
            raise ValidationError(_("Open the conversation again, then send."))
    elif target.direction != Direction.INBOUND:
        raise ValidationError(_("Only the author's messages can be hidden or deleted here."))
    try:
        with transaction.atomic():
            if seen is not None:
                _collision_check(conversation, seen)
            action = OutboundAction.objects.create(
                agency_id=conversation.agency_id,
                conversation=conversation,
                target=target,
                kind=kind,
                text=text if kind == K.REPLY else "",
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
