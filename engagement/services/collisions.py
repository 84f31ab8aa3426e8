"""The collision guard of the inbox: what a conversation page was opened with (the newest
message, note and reply request ids) and the refusal of a send when something was added since.
``engagement.services.actions`` and reply approvals check it before writing anything."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from engagement.models import ActionKind, Conversation, InternalNote, Message, OutboundAction

K = ActionKind


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
