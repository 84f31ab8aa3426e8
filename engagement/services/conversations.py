"""What people do with conversations: status, assignment, notes, labels, priority, in bulk.

Each service takes the actor, checks its permission and that the actor may see the
conversation's brand, runs in one transaction and records an audit event. Assigning alerts
the assignee through notifications (their preferences apply).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import CLIENT_ROLES, Membership
from agency.services.audit import actor_label, audit_record
from engagement.models import (
    Conversation,
    ConversationLabel,
    ConversationStatus,
    InternalNote,
    Label,
    Priority,
)
from engagement.services.sla import SLA_FIELDS, clock_on_priority, clock_on_status
from engagement.states import conversation_move
from notifications.models import AlertKind
from notifications.services import alert_send

MAX_LABELS = 20
MAX_LABEL_CHARS = 60
MAX_NOTE_CHARS = 5000
MAX_BULK = 200


def _require(actor, conversation: Conversation) -> None:
    permissions.require(actor, permissions.INBOX_MANAGE)
    if not Conversation.objects.visible_to(actor).filter(pk=conversation.pk).exists():
        raise PermissionDenied("This conversation is not one of the actor's brands.")


def _opened(conversation: Conversation) -> str | None:
    """Someone acts on a new conversation: it is open now. Returns the status it left."""
    if conversation.status == ConversationStatus.NEW:
        return conversation_move(conversation, ConversationStatus.OPEN)
    return None


@transaction.atomic
def conversation_status_set(*, actor, conversation: Conversation, status: str) -> Conversation:
    _require(actor, conversation)
    if status == conversation.status:
        return conversation
    previous = conversation_move(conversation, status)
    clock_on_status(conversation, previous=previous, at=timezone.now())
    conversation.save(update_fields=["status", *SLA_FIELDS, "updated_at"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="conversation.status_changed",
        target=conversation,
        data={"from": previous, "to": status},
    )
    return conversation


@transaction.atomic
def conversation_assign(*, actor, conversation: Conversation, user_id: int | None) -> Conversation:
    """Give the conversation to a team member (or to nobody); they are alerted."""
    _require(actor, conversation)
    assignee = None
    if user_id is not None:
        assignee = (
            Membership.objects.filter(agency_id=conversation.agency_id, user_id=user_id)
            .exclude(role__in=CLIENT_ROLES)
            .select_related("user")
            .first()
        )
        if assignee is None:
            raise ValidationError({"assignee": _("Choose a member of the agency's team.")})
    if conversation.assignee_id == user_id:
        return conversation
    previous = _opened(conversation)
    conversation.assignee_id = user_id
    conversation.save(update_fields=["assignee", "status", "updated_at"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="conversation.assigned",
        target=conversation,
        data={
            "assignee": assignee.user.email if assignee else None,
            **({"from": previous, "to": conversation.status} if previous else {}),
        },
    )
    if assignee is not None and assignee.user_id != getattr(actor, "user_id", None):
        alert_send(
            agency=actor.agency,
            recipients=[assignee.user_id],
            kind=AlertKind.CONVERSATION_ASSIGNED,
            message=_("%(who)s assigned you a conversation: %(preview)s")
            % {"who": actor_label(actor), "preview": conversation.preview[:120]},
            url=reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk}),
        )
    return conversation


@transaction.atomic
def conversation_note_add(*, actor, conversation: Conversation, body: str) -> InternalNote:
    """The team's note: shown to the agency's team only, never to client roles."""
    _require(actor, conversation)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a note.")})
    if len(body) > MAX_NOTE_CHARS:
        raise ValidationError(
            {"body": _("A note has at most %(n)d characters.") % {"n": MAX_NOTE_CHARS}}
        )
    note = InternalNote.objects.create(
        agency_id=conversation.agency_id,
        conversation=conversation,
        author=actor.user if isinstance(actor, Membership) else None,
        author_label=actor_label(actor)[:200],
        body=body,
    )
    if _opened(conversation):
        conversation.save(update_fields=["status", "updated_at"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="conversation.note_added",
        target=conversation,
        data={"note": note.pk},
    )
    return note


def _label_names(names: Iterable[str]) -> list[str]:
    found: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > MAX_LABEL_CHARS:
            raise ValidationError(
                {"labels": _("A label has at most %(n)d characters.") % {"n": MAX_LABEL_CHARS}}
            )
        found.setdefault(name.casefold(), name)
    if len(found) > MAX_LABELS:
        raise ValidationError({"labels": _("At most %(n)d labels.") % {"n": MAX_LABELS}})
    return list(found.values())


def labels_ensure(*, agency_id: int, names: Iterable[str]) -> list[Label]:
    """The agency's labels of these names, created if missing (a concurrent creation of the
    same name is ignored, then read)."""
    names = _label_names(names)
    existing = {label.name.casefold(): label for label in Label.objects.filter(agency_id=agency_id)}
    missing = [n for n in names if n.casefold() not in existing]
    if missing:
        Label.objects.bulk_create(
            [Label(agency_id=agency_id, name=n) for n in missing], ignore_conflicts=True
        )
        existing = {
            label.name.casefold(): label for label in Label.objects.filter(agency_id=agency_id)
        }
    return [existing[n.casefold()] for n in names if n.casefold() in existing]


@transaction.atomic
def conversation_labels_set(
    *, actor, conversation: Conversation, names: Iterable[str], add_only: bool = False
) -> list[Label]:
    """Set the conversation's labels (by name; new names become agency labels). With
    ``add_only`` the given labels are added to those it has (bulk labelling)."""
    _require(actor, conversation)
    labels = labels_ensure(agency_id=conversation.agency_id, names=names)
    wanted = {label.pk for label in labels}
    current = set(
        ConversationLabel.objects.filter(conversation=conversation).values_list(
            "label_id", flat=True
        )
    )
    removed = set() if add_only else current - wanted
    added = wanted - current
    if not added and not removed:
        return labels
    ConversationLabel.objects.filter(conversation=conversation, label_id__in=removed).delete()
    ConversationLabel.objects.bulk_create(
        [
            ConversationLabel(
                agency_id=conversation.agency_id, conversation=conversation, label_id=i
            )
            for i in added
        ],
        ignore_conflicts=True,
    )
    names_by_id = {label.pk: label.name for label in Label.objects.filter(pk__in=added | removed)}
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="conversation.labels_changed",
        target=conversation,
        data={
            "added": sorted(names_by_id[i] for i in added),
            "removed": sorted(names_by_id[i] for i in removed),
        },
    )
    return labels


@transaction.atomic
def conversation_priority_set(*, actor, conversation: Conversation, priority) -> Conversation:
    _require(actor, conversation)
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        priority = None
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose low, normal, high or urgent.")})
    if priority == conversation.priority:
        return conversation
    previous = conversation.priority
    conversation.priority = priority
    clock_on_priority(conversation)
    conversation.save(update_fields=["priority", *SLA_FIELDS, "updated_at"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="conversation.priority_changed",
        target=conversation,
        data={"from": previous, "to": priority},
    )
    return conversation


def conversation_mark_read(*, actor, conversation: Conversation) -> None:
    """A team member opened it: nothing unread any more (the sidebar's count). Not audited:
    reading is not an action on the conversation."""
    if conversation.unread and permissions.can(actor, permissions.INBOX_MANAGE):
        Conversation.objects.filter(pk=conversation.pk).update(unread=False)
        conversation.unread = False


BULK_ASSIGN, BULK_LABEL, BULK_CLOSE = "assign", "label", "close"


@transaction.atomic
def conversations_bulk(*, actor, conversation_ids: Iterable, action: str, value: str = "") -> int:
    """Assign, label or close several conversations at once: each one audited as if done
    alone; those the actor may not see are skipped; a close of a conversation that cannot
    close (already closed) is skipped. Returns how many changed."""
    permissions.require(actor, permissions.INBOX_MANAGE)
    ids = {int(i) for i in conversation_ids if str(i).isdigit()}
    if not ids:
        raise ValidationError({"conversations": _("Choose at least one conversation.")})
    if len(ids) > MAX_BULK:
        raise ValidationError(
            {"conversations": _("At most %(n)d conversations at once.") % {"n": MAX_BULK}}
        )
    if action not in (BULK_ASSIGN, BULK_LABEL, BULK_CLOSE):
        raise ValidationError({"action": _("Choose what to do.")})
    changed = 0
    conversations = Conversation.objects.visible_to(actor).filter(pk__in=ids).order_by("pk")
    for conversation in conversations.select_for_update():
        if action == BULK_ASSIGN:
            user_id = int(value) if value.isdigit() else None
            before = conversation.assignee_id
            conversation_assign(actor=actor, conversation=conversation, user_id=user_id)
            changed += before != conversation.assignee_id
        elif action == BULK_LABEL:
            conversation_labels_set(
                actor=actor, conversation=conversation, names=value.split(","), add_only=True
            )
            changed += 1
        elif conversation.status != ConversationStatus.CLOSED:
            conversation_status_set(
                actor=actor, conversation=conversation, status=ConversationStatus.CLOSED
            )
            changed += 1
    return changed
