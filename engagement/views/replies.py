"""The conversation page's outbox: reply, hide/unhide, delete, retry. Each a POST that comes
back to the page; the sending itself is the worker's (engagement.services.outbox)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import require_action
from engagement.models import ActionKind, Message, OutboundAction
from engagement.selectors.conversation import conversation_get_for
from engagement.services.actions import action_request, action_retry, action_unavailable
from engagement.services.actions import seen_marker as _seen_marker
from engagement.services.saved_replies import reply_box_of
from networks.rules import rules_for

MESSAGE_ACTIONS = (ActionKind.HIDE, ActionKind.UNHIDE, ActionKind.DELETE, ActionKind.LIKE)
MESSAGE_ACTIONS += (ActionKind.PRIVATE_REPLY,)


def outbox_context(conversation, *, can_manage: bool, actor=None) -> dict:
    """What the conversation page shows of the outbox: each action's state, the reply box
    (with the click's token and the collision guard's marker) and, per action kind, why the
    network does not allow it (a disabled button says it)."""
    actions = list(
        OutboundAction.objects.filter(conversation=conversation).order_by("created_at", "id")
    )
    return {
        "actions": actions,
        "reply_token": uuid.uuid4().hex if can_manage else "",
        "seen": _seen_marker(conversation) if can_manage else "",
        "reply_unavailable": action_unavailable(conversation.network, ActionKind.REPLY),
        "reply_max": rules_for(conversation.network).max_length,
        "message_actions": [
            (kind, ActionKind(kind).label, action_unavailable(conversation.network, kind))
            for kind in MESSAGE_ACTIONS
        ],
        "reply_box": reply_box_of(conversation, actor=actor) if can_manage else {},
    }


def _back(conversation_id: int) -> HttpResponse:
    return redirect("dashboard:conversation", conversation_id=conversation_id)


@require_action(permissions.INBOX_MANAGE)
@require_POST
def conversation_reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = conversation_get_for(actor=request.membership, conversation_id=conversation_id)
    text = request.POST.get("text", "")[:20000]
    try:
        action_request(
            conversation=found,
            kind=ActionKind.REPLY,
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
