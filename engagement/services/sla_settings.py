"""Saving a brand's SLA settings: the week, the closed days and the targets replaced together,
in one transaction, audited. The clocks already running keep their due times (docs/inbox.md)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agency import permissions
from agency.services.audit import audit_record
from clients.models import Brand
from engagement.models import BusinessInterval, ClosedDay, SlaTarget


@transaction.atomic
def brand_sla_save(
    *,
    actor,
    brand: Brand,
    weekly: dict[int, list[tuple[dt.time, dt.time]]],
    closed: list[tuple[dt.date, str]],
    targets: dict[int, tuple[int, int]],
) -> None:
    """Replace the brand's settings; ``targets`` in minutes per priority."""
    permissions.require(actor, permissions.INBOX_MANAGE)
    agency_id = brand.agency_id
    BusinessInterval.objects.filter(brand=brand).delete()
    BusinessInterval.objects.bulk_create(
        BusinessInterval(agency_id=agency_id, brand=brand, weekday=day, starts=opens, ends=closes)
        for day, spans in sorted(weekly.items())
        for opens, closes in spans
    )
    ClosedDay.objects.filter(brand=brand).delete()
    ClosedDay.objects.bulk_create(
        ClosedDay(agency_id=agency_id, brand=brand, date=date, name=name) for date, name in closed
    )
    SlaTarget.objects.filter(brand=brand).delete()
    now = timezone.now()
    SlaTarget.objects.bulk_create(
        SlaTarget(
            agency_id=agency_id,
            brand=brand,
            priority=priority,
            first_response_minutes=first,
            resolution_minutes=resolution,
            updated_at=now,
        )
        for priority, (first, resolution) in sorted(targets.items())
    )
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="brand.sla_changed",
        target=brand,
        data={
            "weekdays": sorted(weekly),
            "closed_days": len(closed),
            "targets": {str(p): list(t) for p, t in sorted(targets.items())},
        },
    )
