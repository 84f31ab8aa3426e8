"""The conversation page's outbox: reply, hide/unhide, delete, retry. Each a POST that comes
back to the page; the sending itself is the worker's (engagement.services.outbox)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import require_action
from engagement.models import (
    ActionKind,
    ApprovalState,
    ConversationKind,
    Message,
    OutboundAction,
    ReplyApproval,
)
from engagement.selectors.conversation import conversation_get_for
from engagement.services.actions import (
    action_request,
    action_retry,
    action_unavailable,
    private_reply_unavailable,
    reply_unavailable,
)
from engagement.services.actions import seen_marker as _seen_marker
from engagement.services.approvals import reply_submit
from engagement.services.reply_rules import may_reply, needs_approval
from engagement.services.saved_replies import reply_box_of
from networks.registry import adapter_class
from networks.rules import rules_for

MESSAGE_ACTIONS = (ActionKind.HIDE, ActionKind.UNHIDE, ActionKind.DELETE, ActionKind.LIKE)
MESSAGE_ACTIONS += (ActionKind.UNLIKE,)


def _reply_max(conversation) -> int | None:
    """A private conversation's answer is a message, whose limit is not the comments' one."""
    if conversation.kind == ConversationKind.DIRECT_MESSAGE:
        try:
            limit = adapter_class(conversation.network).direct_message_max_chars
        except (KeyError, LookupError, ValueError):
            limit = None
        if limit is not None:
            return limit
    return rules_for(conversation.network).max_length


def outbox_context(conversation, *, can_manage: bool, actor=None) -> dict:
    """What the conversation page shows of the outbox: each action's state, the reply box
    (with the click's token and the collision guard's marker) and, per action kind, why the
    network does not allow it (a disabled button says it)."""
    actions = list(
        OutboundAction.objects.filter(conversation=conversation).order_by("created_at", "id")
    )
    can_reply = can_manage or (actor is not None and may_reply(actor, conversation))
    return {
        "actions": actions,
        "can_reply": can_reply,
        "reply_token": uuid.uuid4().hex if can_reply else "",
        "seen": _seen_marker(conversation) if can_reply else "",
        "reply_unavailable": reply_unavailable(conversation),
        "reply_max": _reply_max(conversation),
        "message_actions": [
            (kind, ActionKind(kind).label, action_unavailable(conversation.network, kind))
            for kind in MESSAGE_ACTIONS
        ],
        # A private reply carries a text: its own small form under each comment.
        "private_reply_unavailable": private_reply_unavailable(conversation),
        "reply_box": reply_box_of(conversation, actor=actor) if can_reply else {},
        "needs_approval": can_reply and needs_approval(actor, conversation),
        # The replies of this conversation waiting for a manager, or refused with a reason.
        "approvals": list(
            ReplyApproval.objects.filter(
                conversation=conversation,
                state__in=[ApprovalState.AWAITING, ApprovalState.REJECTED],
            ).order_by("-created_at", "-id")[:10]
        )
        if can_reply
        else [],
    }


def _back(conversation_id: int) -> HttpResponse:
    return redirect("dashboard:conversation", conversation_id=conversation_id)


# inbox.view: a client approver may reply when the brand allows it (reply_rules decides).
@require_action(permissions.INBOX_VIEW)
@require_POST
def conversation_reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = conversation_get_for(actor=request.membership, conversation_id=conversation_id)
    if not may_reply(request.membership, found):
        raise PermissionDenied
    text = request.POST.get("text", "")[:20000]
    try:
        sent = reply_submit(
            conversation=found,
            actor=request.membership,
            text=text,
            token=request.POST.get("token", "")[:80],
            seen=request.POST.get("seen", "")[:200],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        request.session[f"reply-draft-{found.pk}"] = text[:5000]  # kept for the next try
        return _back(found.pk)
    request.session.pop(f"reply-draft-{found.pk}", None)
    if isinstance(sent, ReplyApproval):
        messages.success(request, _("The reply waits for a manager's approval."))
    else:
        messages.success(request, _("The reply is on its way."))
    return _back(found.pk)


@require_action(permissions.INBOX_MANAGE)
@require_POST
def message_action(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    found = conversation_get_for(actor=request.membership, conversation_id=conversation_id)
    target = Message.objects.filter(conversation=found, pk=message_id).first()
    kind = request.POST.get("kind", "")
    if target is None:
        raise Http404
    try:
        action_request(
            conversation=found,
            kind=kind,
            message=target,
            actor=request.membership,
            text=request.POST.get("text", "")[:20000] if kind == ActionKind.PRIVATE_REPLY else "",
            # One page's token serves every button of the message: the kind makes each click's.
            token=f"{request.POST.get('token', '')[:60]}-{kind[:15]}",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(found.pk)
    messages.success(request, _("Sent to the network."))
    return _back(found.pk)


@require_action(permissions.INBOX_MANAGE)
@require_POST
def action_retry_view(
    request: HttpRequest, conversation_id: int, outbound_action_id: int
) -> HttpResponse:
    found = conversation_get_for(actor=request.membership, conversation_id=conversation_id)
    action = OutboundAction.objects.filter(conversation=found, pk=outbound_action_id).first()
    if action is None:
        raise Http404
    try:
        action_retry(actor=request.membership, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(found.pk)
