"""A brand's service levels read for the SLA: its schedule and its targets, in two queries
whatever the number of intervals, closed days and priorities."""

from __future__ import annotations

import datetime as dt

from clients.models import Brand
from engagement.business_hours import ROUND_THE_CLOCK, Schedule, business_seconds
from engagement.models.sla import BusinessInterval, ClosedDay, SlaTarget


def brand_schedule(*, brand: Brand, closed_from: dt.date | None = None) -> Schedule:
    """The brand's week and closed dates (from ``closed_from`` on, when given) in its zone."""
    weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, starts, ends in BusinessInterval.objects.filter(brand=brand).values_list(
        "weekday", "starts", "ends"
    ):
        weekly.setdefault(weekday, []).append((starts, ends))
    closed = ClosedDay.objects.filter(brand=brand)
    if closed_from is not None:
        closed = closed.filter(date__gte=closed_from)
    return Schedule(
        time_zone=brand.time_zone,
        weekly={day: tuple(spans) for day, spans in weekly.items()},
        closed=frozenset(closed.values_list("date", flat=True)),
    )


def brand_sla_targets(*, brand: Brand) -> dict[int, tuple[int, int]]:
    """{priority: (first response seconds, resolution seconds)} for the priorities with one."""
    return {
        priority: (first * 60, resolution * 60)
        for priority, first, resolution in SlaTarget.objects.filter(brand=brand).values_list(
            "priority", "first_response_minutes", "resolution_minutes"
        )
    }


def conversation_sla(*, conversation, now: dt.datetime) -> list[dict]:
    """The running parts of a conversation's clock, for its page: each with its due time and
    the business time left (or overdue by), counted in the brand's hours. Two queries."""
    parts = []
    if conversation.first_response_at is None and conversation.first_response_due_at:
        parts.append(("first_response", conversation.first_response_due_at))
    running = conversation.resolved_at is None and conversation.status != "closed"
    if running and conversation.resolution_due_at:
        parts.append(("resolution", conversation.resolution_due_at))
    if not parts:
        return []
    # The day before: a brand behind UTC may still be on yesterday's (closed) date.
    schedule = brand_schedule(
        brand=conversation.brand, closed_from=now.date() - dt.timedelta(days=1)
    )
    if not schedule.has_hours():
        schedule = Schedule(
            time_zone=schedule.time_zone, weekly=ROUND_THE_CLOCK, closed=schedule.closed
        )
    return [
        {
            "part": part,
            "due": due,
            "overdue": due <= now,
            "seconds": business_seconds(schedule, *sorted((now, due))),
        }
        for part, due in parts
    ]
