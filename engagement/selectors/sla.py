"""A brand's service levels read for the SLA: its schedule and its targets, in two queries
whatever the number of intervals, closed days and priorities."""

from __future__ import annotations

import datetime as dt

from clients.models import Brand
from engagement.business_hours import Schedule
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
