"""Replies that wait for a manager: submitted (``reply_submit``, the one entry point for a
person's or a rule's reply), approved (then queued through ``action_request``, the outbox's
guarantees unchanged) or rejected with a reason. The author is notified of the decision and
every step is in the audit log. States: engagement.states (awaiting -> approved | rejected).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.services.audit import actor_label, audit_record
from clients.selectors import brand_manager_user_ids
from engagement.models import ActionKind, Conversation, Message, OutboundAction
from engagement.models.replies import MAX_REASON_CHARS, ApprovalState, ReplyApproval
from engagement.services.actions import (
    MAX_KEY_CHARS,
    _collision_check,
    _reply_text_check,
    _target_of,
    action_request,
    reply_unavailable,
)
from engagement.services.reply_rules import can_approve, needs_approval, reply_require
from engagement.services.saved_replies import signed
from engagement.states import approval_move
from notifications.models import AlertKind
from notifications.services import alert_send


def reply_submit(
    *,
    conversation: Conversation,
    actor,
    text: str,
    token: str = "",
    seen: str | None = None,
    message: Message | None = None,
    rule_label: str = "",
) -> OutboundAction | ReplyApproval:
    """A reply from the inbox (page, API) or a moderation rule (``actor`` None): queued, or
    stored as awaiting approval when the brand asks it of this actor. Raises
    ValidationError (the reason) or PermissionDenied."""
    reply_require(actor, conversation)
    if not needs_approval(actor, conversation):
        return action_request(
            conversation=conversation,
            kind=ActionKind.REPLY,
            message=message,
            actor=actor,
            rule_label=rule_label,
            text=text,
            token=token,
            seen=seen,
        )
    return _approval_create(
        conversation=conversation,
        actor=actor,
        text=text,
        token=token,
        seen=seen,
        message=message,
        rule_label=rule_label,
    )


def _approval_create(*, conversation, actor, text, token, seen, message, rule_label):
    import uuid

    key = (token or uuid.uuid4().hex)[:MAX_KEY_CHARS]
    existing = ReplyApproval.objects.filter(token=key).first()
    if existing is not None:
        if existing.conversation_id != conversation.pk:
            raise ValidationError(_("This form was already used for another conversation."))
        return existing  # the same click, submitted twice
    reason = reply_unavailable(conversation)
    if reason:
        raise ValidationError(reason)
    target = _target_of(conversation, message, ActionKind.REPLY)
    user = getattr(actor, "user", None)
    text = signed(text, conversation, agent_user=user) if text.strip() else ""
    text = _reply_text_check(conversation.network, text)
    if actor is not None and seen is None:
        raise ValidationError(_("Open the conversation again, then send."))
    try:
        with transaction.atomic():
            if seen is not None:
                _collision_check(conversation, seen)
            approval = ReplyApproval.objects.create(
                agency_id=conversation.agency_id,
                conversation=conversation,
                target=target,
                text=text,
                token=key,
                requested_by=user,
                requested_label=actor_label(actor)[:200] if actor is not None else "",
                rule_label=rule_label[:200],
            )
            audit_record(
                agency=conversation.agency,
                actor=actor,
                verb="conversation.reply_awaiting_approval",
                target=conversation,
                data={"approval": approval.pk, "rule": rule_label or None},
            )
            alert_send(
                agency=conversation.agency,
                recipients=brand_manager_user_ids(brand=conversation.brand),
                kind=AlertKind.REPLY_AWAITING_APPROVAL,
                message=_("A reply to %(author)s on %(brand)s awaits your approval.")
                % {"author": conversation.author_label or "?", "brand": conversation.brand.name},
                url=reverse("dashboard:reply_approvals"),
            )
    except IntegrityError:
        existing = ReplyApproval.objects.filter(token=key).first()
        if existing is None:
            raise
        return existing
    return approval


def _require_approver(actor, approval: ReplyApproval) -> None:
    if not can_approve(actor):
        raise PermissionDenied("Only a manager, an administrator or the owner approves replies.")
    if not Conversation.objects.visible_to(actor).filter(pk=approval.conversation_id).exists():
        raise PermissionDenied("This conversation is not one of the actor's brands.")


def _tell_author(approval: ReplyApproval, message: str) -> None:
    if approval.requested_by_id is None:
        return
    alert_send(
        agency=approval.conversation.agency,
        recipients=[approval.requested_by_id],
        kind=AlertKind.REPLY_DECIDED,
        message=message,
        url=reverse("dashboard:conversation", kwargs={"conversation_id": approval.conversation_id}),
    )


@transaction.atomic
def approval_approve(*, actor, approval: ReplyApproval, seen: str | None) -> ReplyApproval:
    """Approve and queue the reply. ``seen`` is the marker of the page the approver decided
    on: a thread that changed since refuses the approval (the reply stays waiting)."""
    _require_approver(actor, approval)
    approval = ReplyApproval.objects.select_for_update().get(pk=approval.pk)
    approval_move(approval, ApprovalState.APPROVED)
    if seen is None:
        raise ValidationError(_("Open the conversation again, then approve."))
    action = action_request(
        conversation=approval.conversation,
        kind=ActionKind.REPLY,
        message=approval.target,
        actor=actor,
        text=approval.text,
        token=f"approval-{approval.pk}",
        seen=seen,
    )
    label = actor_label(actor)[:200]
    OutboundAction.objects.filter(pk=action.pk).update(
        requested_label=(
            _("%(author)s, approved by %(approver)s")
            % {"author": approval.requested_label or approval.rule_label, "approver": label}
        )[:200]
    )
    approval.action = action
    approval.decided_by = actor.user
    approval.decided_label = label
    approval.decided_at = timezone.now()
    approval.save(update_fields=["state", "action", "decided_by", "decided_label", "decided_at"])
    audit_record(
        agency=approval.conversation.agency,
        actor=actor,
        verb="conversation.reply_approved",
        target=approval.conversation,
        data={"approval": approval.pk, "action": action.pk},
    )
    _tell_author(
        approval,
        _("Your reply on %(brand)s is approved and on its way.")
        % {"brand": approval.conversation.brand.name},
    )
    return approval


@transaction.atomic
def approval_reject(*, actor, approval: ReplyApproval, reason: str) -> ReplyApproval:
    _require_approver(actor, approval)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reply is rejected.")})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_REASON_CHARS}})
    approval = ReplyApproval.objects.select_for_update().get(pk=approval.pk)
    approval_move(approval, ApprovalState.REJECTED)
    approval.reason = reason
    approval.decided_by = actor.user
    approval.decided_label = actor_label(actor)[:200]
    approval.decided_at = timezone.now()
    approval.save(update_fields=["state", "reason", "decided_by", "decided_label", "decided_at"])
    audit_record(
        agency=approval.conversation.agency,
        actor=actor,
        verb="conversation.reply_rejected",
        target=approval.conversation,
        data={"approval": approval.pk, "reason": reason},
    )
    _tell_author(
        approval,
        _("Your reply on %(brand)s is rejected: %(reason)s")
        % {"brand": approval.conversation.brand.name, "reason": reason},
    )
    return approval
