"""The beat's work across agencies: fire the report schedules that are due (the sweep of lost
runs is reports.services.runs.runs_sweep_across_agencies, its own beat task)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agency.tenancy import tenant_scope
from reports.models import ReportSchedule
from reports.services.runs import schedule_fire

DISPATCH_BATCH = 500


def schedules_due_across_agencies(
    *, now: dt.datetime, limit: int = DISPATCH_BATCH
) -> list[tuple[int, int]]:
    """[(agency_id, schedule_id)] of EVERY agency's active schedules due at ``now``, oldest
    first (one query on the partial index ``report_schedule_due``)."""
    return list(
        ReportSchedule.unscoped.filter(active=True, next_run_at__lte=now)
        .order_by("next_run_at", "id")
        .values_list("agency_id", "id")[:limit]
    )


def report_schedules_dispatch_across_agencies(*, now: dt.datetime | None = None) -> int:
    """Fire every due schedule, each in its agency's scope (its claim is a conditional update:
    a dispatcher running at the same time fires none of the same). Returns how many runs it
    created."""
    now = now or timezone.now()
    created = 0
    for agency_id, schedule_id in schedules_due_across_agencies(now=now):
        with tenant_scope(agency_id):
            if schedule_fire(schedule_id=schedule_id, now=now) is not None:
                created += 1
    return created
