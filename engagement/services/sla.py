"""The response-time clock of a conversation and the breach of its brand's targets.

The clock (fields on Conversation) is moved by the places that already change a conversation:
ingestion (engagement.services.ingest: the first inbound message starts it, the brand's reply
read back or sent stops the first-response part, a message that reopens a closed conversation
restarts the resolution part), the outbox (a reply sent) and the status service (closing).
The due times are computed once, when a part starts, from the brand's targets for the
conversation's priority in the brand's business time; a brand without weekly hours counts
every hour, its closed days still closed. A brand without a target for the priority has no due
time: nothing can breach.

The breach dispatcher (beat, every minute) finds due rows across agencies and, in each
agency's scope, marks each breach with a conditional UPDATE (``breached_at IS NULL``), so two
dispatchers racing, or the same one run twice, mark it once; only the winner alerts the
assignee (or, unassigned, the people who manage the inbox) and emits ``inbox.sla_breached``,
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Agency, Membership
from agency.tenancy import tenant_scope
from clients.models import Brand
from engagement.business_hours import ROUND_THE_CLOCK, Schedule, due_at
from engagement.models import Conversation, ConversationStatus
from engagement.selectors.sla import brand_schedule, brand_sla_targets
from engagement.services.events import conversation_payload
from notifications.models import AlertKind
from notifications.services import alert_send
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit

logger = logging.getLogger(__name__)

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
# One dispatcher run handles at most this many breaches per target; the next run takes the rest.
BATCH = 500


@dataclass(frozen=True)
class BrandSla:
    """What the clock needs of a brand, read once per batch of conversations."""

    schedule: Schedule
    targets: dict[int, tuple[int, int]]

    def due(self, priority: int, start: dt.datetime, part: str) -> dt.datetime | None:
        target = self.targets.get(priority)
        if target is None:
            return None
        seconds = target[0] if part == FIRST_RESPONSE else target[1]
        return due_at(self.schedule, start, seconds)


def brand_sla(brand: Brand, *, since: dt.date | None = None) -> BrandSla:
    """The brand's schedule (closed days from the day before ``since``, a UTC date, so that a
    brand behind UTC keeps its local day) and targets: two queries plus one."""
    closed_from = since - dt.timedelta(days=1) if since is not None else None
    schedule = brand_schedule(brand=brand, closed_from=closed_from)
    if not schedule.has_hours():
        schedule = Schedule(
            time_zone=schedule.time_zone, weekly=ROUND_THE_CLOCK, closed=schedule.closed
        )
    return BrandSla(schedule=schedule, targets=brand_sla_targets(brand=brand))


def clock_on_inbound(
    conversation: Conversation,
    sla: BrandSla,
    *,
    first_at: dt.datetime,
    reopened: bool,
    backfill: bool,
) -> None:
    """In memory: the author wrote (``first_at`` is the earliest new inbound message). A
    first read's old messages (backfill) start the clock for the metrics but set no due time:
    history is not a breach to announce."""
    if conversation.first_inbound_at is None or first_at < conversation.first_inbound_at:
        conversation.first_inbound_at = first_at
        if conversation.first_response_at is None:
            conversation.first_response_due_at = (
                None if backfill else sla.due(conversation.priority, first_at, FIRST_RESPONSE)
            )
    if conversation.resolution_since is None or reopened:
        conversation.resolution_since = first_at
        conversation.resolved_at = None
        conversation.resolution_breached_at = None
        conversation.resolution_due_at = (
            None if backfill else sla.due(conversation.priority, first_at, RESOLUTION)
        )


def clock_on_reply(conversation: Conversation, *, at: dt.datetime) -> bool:
    """In memory: the brand answered at ``at``. Only a reply after the first inbound message is
    a first response (a brand's own thread starter is not). Returns whether it changed."""
    if conversation.first_response_at is not None or conversation.first_inbound_at is None:
        return False
    if at < conversation.first_inbound_at:
        return False
    conversation.first_response_at = at
    return True


def clock_on_status(conversation: Conversation, *, previous: str, at: dt.datetime) -> None:
    """In memory: the status changed from ``previous``. Closing stops the resolution part;
    reopening by hand restarts it (the due time from now)."""
    if conversation.status == ConversationStatus.CLOSED:
        conversation.resolved_at = at
    elif previous == ConversationStatus.CLOSED and conversation.resolution_since is not None:
        sla = brand_sla(conversation.brand, since=at.date())
        conversation.resolution_since = at
        conversation.resolved_at = None
        conversation.resolution_breached_at = None
        conversation.resolution_due_at = sla.due(conversation.priority, at, RESOLUTION)


def clock_on_priority(conversation: Conversation) -> None:
    """In memory: the priority changed; the running parts are due by the new priority's
    targets, counted from when they started."""
    first_from = conversation.first_inbound_at
    if conversation.first_response_at is not None or conversation.first_response_due_at is None:
        first_from = None
    resolution_from = conversation.resolution_since
    if conversation.resolved_at is not None or conversation.resolution_due_at is None:
        resolution_from = None
    starts = [s for s in (first_from, resolution_from) if s is not None]
    if not starts:
        return
    sla = brand_sla(conversation.brand, since=min(starts).date())
    if first_from is not None:
        conversation.first_response_due_at = sla.due(
            conversation.priority, first_from, FIRST_RESPONSE
        )
    if resolution_from is not None:
        conversation.resolution_due_at = sla.due(conversation.priority, resolution_from, RESOLUTION)


SLA_FIELDS = [
    "first_inbound_at",
    "first_response_at",
    "first_response_due_at",
    "first_response_breached_at",
    "resolution_since",
    "resolved_at",
    "resolution_due_at",
    "resolution_breached_at",
]


# The breach dispatcher ------------------------------------------------------------------------


def _due_filter(part: str, now: dt.datetime) -> dict:
    if part == FIRST_RESPONSE:
        return {
            "first_response_due_at__lte": now,
            "first_response_at__isnull": True,
            "first_response_breached_at__isnull": True,
        }
    return {
        "resolution_due_at__lte": now,
        "resolved_at__isnull": True,
        "resolution_breached_at__isnull": True,
    }


def sla_due_across_agencies(*, part: str, now: dt.datetime) -> list[tuple[int, int]]:
    """(conversation id, agency id) of EVERY agency whose ``part`` is past due and unmarked; a
    closed conversation is not waiting for anyone."""
    return list(
        Conversation.unscoped.filter(**_due_filter(part, now))
        .exclude(status=ConversationStatus.CLOSED)
        .order_by("pk")
        .values_list("pk", "agency_id")[:BATCH]
    )


def _recipients(conversation: Conversation) -> list[int]:
    if conversation.assignee_id:
        return [conversation.assignee_id]
    roles = [
        role
        for role, actions in permissions.ROLE_ACTIONS.items()
        if permissions.INBOX_MANAGE in actions
    ]
    return list(
        Membership.objects.filter(agency_id=conversation.agency_id, role__in=roles).values_list(
            "user_id", flat=True
        )
    )


def _instant(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


@transaction.atomic
def sla_breach_mark(*, conversation_id: int, part: str, now: dt.datetime) -> bool:
    """Mark one breach (in the agency's scope). True only for the call that marked it."""
    field = f"{part}_breached_at"
    marked = (
        Conversation.objects.filter(pk=conversation_id, **_due_filter(part, now))
        .exclude(status=ConversationStatus.CLOSED)
        .update(**{field: now})
    )
    if not marked:
        return False
    conversation = Conversation.objects.select_related("brand").get(pk=conversation_id)
    targets = brand_sla_targets(brand=conversation.brand).get(conversation.priority)
    seconds = (targets or (0, 0))[0 if part == FIRST_RESPONSE else 1]
    since = (
        conversation.first_inbound_at if part == FIRST_RESPONSE else conversation.resolution_since
    )
    webhook_emit(
        agency=conversation.agency_id,
        event=WebhookEvent.INBOX_SLA_BREACHED,
        data={
            "conversation": conversation_payload(conversation),
            "target": part,
            "target_minutes": seconds // 60,
            "waiting_since": _instant(since),
            "breached_at": _instant(now),
        },
    )
    message = (
        _("No first response in time (%(brand)s): %(preview)s")
        if part == FIRST_RESPONSE
        else _("Not resolved in time (%(brand)s): %(preview)s")
    ) % {"brand": conversation.brand.name, "preview": conversation.preview[:120]}
    alert_send(
        agency=Agency.objects.get(pk=conversation.agency_id),
        recipients=_recipients(conversation),
        kind=AlertKind.CONVERSATION_SLA_BREACHED,
        message=message,
        url=reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk}),
    )
    return True


def sla_breaches_mark_across_agencies(*, now: dt.datetime | None = None) -> int:
    """Beat: mark every breach that fell due; returns how many this run marked."""
    now = now or timezone.now()
    marked = 0
    for part in (FIRST_RESPONSE, RESOLUTION):
        for conversation_id, agency_id in sla_due_across_agencies(part=part, now=now):
            with tenant_scope(agency_id):
                try:
                    marked += sla_breach_mark(conversation_id=conversation_id, part=part, now=now)
                except Exception:  # noqa: BLE001 - one row's trouble must not stop the others
                    logger.exception(
                        "marking the SLA breach of conversation %s failed", conversation_id
                    )
    return marked
