"""Reports' tasks: thin, they take ids and call one service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from agency.tasks_base import TenantTask
from reports.services.dispatch import report_schedules_dispatch_across_agencies
from reports.services.runs import run_generate, runs_sweep_across_agencies


@shared_task(
    name="reports.schedules_dispatch_across_agencies",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def dispatch_report_schedules(now: str | None = None) -> int:
    """Beat: fire the due report schedules of every agency. ``now`` (ISO 8601) is for tests
    that fake the clock; beat sends none."""
    when = dt.datetime.fromisoformat(now) if now else None
    return report_schedules_dispatch_across_agencies(now=when)


@shared_task(
    name="reports.runs_sweep_across_agencies",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def sweep_report_runs() -> int:
    """Beat: queue again the runs whose message or worker was lost."""
    return runs_sweep_across_agencies()


# Not retried by Celery: a failure is the run's (failed, with its reason, and a retry button);
# a worker that dies leaves the run to the sweep, which queues it again.
@shared_task(
    base=TenantTask,
    name="reports.generate_report",
    ignore_result=True,
    soft_time_limit=settings.REPORT_TASK_TIME_LIMIT - 30,
    time_limit=settings.REPORT_TASK_TIME_LIMIT,
)
def generate_report(*, agency_id: int, run_id: int) -> str:
    return run_generate(run_id=run_id)
