"""The replies awaiting approval, as the approvals page lists them: each with its
conversation's latest message from the author and the conversation's collision marker, in a
fixed number of queries whatever the number of replies waiting."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from engagement.models import Direction, Message, ReplyApproval
from engagement.models.replies import ApprovalState
from engagement.services.actions import seen_markers

PAGE_LIMIT = 100


def approvals_awaiting(actor) -> list[tuple[ReplyApproval, Message | None, str]]:
    """(approval, the author's latest message, the conversation's marker), oldest first, at
    most ``PAGE_LIMIT``: five queries."""
    latest = (
        Message.objects.filter(conversation_id=OuterRef("conversation_id"))
        .filter(direction=Direction.INBOUND)
        .order_by("-sent_at", "-id")
        .values("id")[:1]
    )
    approvals = list(
        ReplyApproval.objects.visible_to(actor)
        .filter(state=ApprovalState.AWAITING)
        .select_related("conversation", "conversation__brand", "target")
        .annotate(latest_inbound_id=Subquery(latest))
        .order_by("created_at", "id")[:PAGE_LIMIT]
    )
    messages = Message.objects.in_bulk(
        [a.latest_inbound_id for a in approvals if a.latest_inbound_id is not None]
    )
    markers = seen_markers({a.conversation_id for a in approvals})
    return [(a, messages.get(a.latest_inbound_id), markers[a.conversation_id]) for a in approvals]
