"""One conversation: the thread, the post, the author's history; its actions (status,
assignment, note, labels, priority), each a POST that comes back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import require_action
from engagement.models import ConversationLabel, ConversationStatus, Label, Priority
from engagement.selectors.conversation import conversation_get_for, conversation_page
from engagement.selectors.inbox import team_of_agency
from engagement.selectors.sla import conversation_sla
from engagement.services import conversations as services
from engagement.states import CONVERSATION_TRANSITIONS
from engagement.views.replies import outbox_context


@require_action(permissions.INBOX_VIEW)
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = request.membership
    found = conversation_get_for(actor=actor, conversation_id=conversation_id)
    services.conversation_mark_read(actor=actor, conversation=found)
    can_manage = permissions.can(actor, permissions.INBOX_MANAGE)
    labels = Label.objects.filter(
        pk__in=ConversationLabel.objects.filter(conversation=found).values("label_id")
    ).order_by("name")
    return render(
        request,
        "engagement/conversation.html",
        {
            "page": conversation_page(actor=actor, conversation=found),
            "conversation": found,
            "labels": list(labels),
            "can_manage": can_manage,
            "team": list(team_of_agency(actor)) if can_manage else [],
            "moves": [
                (s, ConversationStatus(s).label)
                for s in ConversationStatus.values
                if s in CONVERSATION_TRANSITIONS[found.status]
            ],
            "priorities": Priority.choices,
            "sla_parts": conversation_sla(conversation=found, now=timezone.now()),
            "reply_draft": request.session.get(f"reply-draft-{found.pk}", ""),
            **outbox_context(found, can_manage=can_manage, actor=actor),
        },
    )


def _act(request: HttpRequest, conversation_id: int, action) -> HttpResponse:
    found = conversation_get_for(actor=request.membership, conversation_id=conversation_id)
    try:
        action(found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dashboard:conversation", conversation_id=found.pk)


@require_action(permissions.INBOX_MANAGE)
@require_POST
def conversation_status(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _act(
        request,
        conversation_id,
        lambda c: services.conversation_status_set(
            actor=request.membership, conversation=c, status=request.POST.get("status", "")
        ),
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def conversation_assign(request: HttpRequest, conversation_id: int) -> HttpResponse:
    value = request.POST.get("assignee", "")
    return _act(
        request,
        conversation_id,
        lambda c: services.conversation_assign(
            actor=request.membership,
            conversation=c,
            user_id=int(value) if value.isdigit() else None,
        ),
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def conversation_note(request: HttpRequest, conversation_id: int) -> HttpResponse:
    def add(c):
        services.conversation_note_add(
            actor=request.membership, conversation=c, body=request.POST.get("body", "")
        )
        messages.success(request, _("The note is added."))

    return _act(request, conversation_id, add)


@require_action(permissions.INBOX_MANAGE)
@require_POST
def conversation_labels(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _act(
        request,
        conversation_id,
        lambda c: services.conversation_labels_set(
            actor=request.membership,
            conversation=c,
            names=request.POST.get("labels", "")[:2000].split(","),
        ),
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def conversation_priority(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _act(
        request,
        conversation_id,
        lambda c: services.conversation_priority_set(
            actor=request.membership, conversation=c, priority=request.POST.get("priority")
        ),
    )
