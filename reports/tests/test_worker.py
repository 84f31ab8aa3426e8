"""A brand's weekly report at 09:00 in Casablanca, fired by the beat task in REAL Celery
workers across Morocco's 2026 Ramadan clock changes (UTC+1 → UTC+0 on 15 February, back to
UTC+1 on 22 March), with two workers taking the same ticks at once: one run per week, each
made (PDF) and e-mailed once by the workers.

The clock is faked: each beat message carries its "now" (the task's ``now`` argument, which
beat never sends). Everything after the message runs in the workers; the e-mails go to the
workers' file backend.
"""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from agency.tenancy import tenant_scope
from agency.tests.test_worker import (
    _start_worker,
    _stop_worker,
    worker_queue,  # noqa: F401 - a fixture, used by name
)
from clients.tests.factories import BrandFactory
from publishing.tests.test_real_worker import wait_until
from reports.models import ReportRun, RunState
from reports.services.schedules import schedule_create
from reports.tasks import dispatch_report_schedules
from reports.tests.factories import ReportTemplateFactory

pytestmark = pytest.mark.worker

CASABLANCA = ZoneInfo("Africa/Casablanca")
WAIT_SECONDS = 120


def _ticks() -> list[dt.datetime]:
    """Beat as it would run, thinned: every six hours from 8 February to 31 March 2026, and
    every half hour on Monday mornings (07:00 – 11:00 UTC) around the firing."""
    ticks, now = set(), dt.datetime(2026, 2, 8, tzinfo=dt.UTC)
    while now < dt.datetime(2026, 3, 31, tzinfo=dt.UTC):
        ticks.add(now)
        if now.weekday() == 0 and now.hour == 6:
            ticks.update(now + dt.timedelta(minutes=30 * n) for n in range(2, 10))
        now += dt.timedelta(hours=6)
    return sorted(ticks)


def _finished(log_paths, name: str) -> int:
    return sum(
        1
        for path in log_paths
        for line in path.read_text().splitlines()
        if f"{name}[" in line and "succeeded" in line
    )


def test_two_workers_make_and_e_mail_a_weekly_report_once_per_week_across_ramadan(
    transactional_db,
    tmp_path,
    monkeypatch,
    owner_of_a,
    worker_queue,  # noqa: F811
):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    agency = owner_of_a.agency
    brand = BrandFactory(agency=agency, name="Café Tanger", time_zone="Africa/Casablanca")
    template = ReportTemplateFactory(agency=agency, name="Hebdo", sections=["cover"])
    with tenant_scope(agency):
        schedule = schedule_create(
            actor=owner_of_a,
            brand=brand,
            template=template,
            frequency="weekly",
            weekday=0,
            hour=9,
            contacts="none",
            extra_recipients=["direction@client.test"],
            now=dt.datetime(2026, 2, 8, tzinfo=dt.UTC),
        )

    mail_dir = tmp_path / "mail"
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [_start_worker(worker_queue, mail_dir, log) for log in logs]
    ticks = _ticks()
    try:
        for tick in ticks:  # two messages per tick: two beats, taken by two workers at once
            dispatch_report_schedules.apply_async(kwargs={"now": tick.isoformat()})
            dispatch_report_schedules.apply_async(kwargs={"now": tick.isoformat()})
        wait_until(
            lambda: _finished(logs, "reports.schedules_dispatch_across_agencies") >= 2 * len(ticks),
            worker=workers[0],
            log_path=logs[0],
            seconds=WAIT_SECONDS,
            what="every beat message",
        )
        wait_until(
            lambda: (
                not ReportRun.unscoped.filter(
                    schedule=schedule, state__in=[RunState.QUEUED, RunState.RENDERING]
                ).exists()
            ),
            worker=workers[1],
            log_path=logs[1],
            seconds=WAIT_SECONDS,
            what="the reports to be made",
        )
        time.sleep(1)  # room for a second run or e-mail, were one (wrongly) queued
    finally:
        for worker in workers:
            _stop_worker(worker)

    runs = list(ReportRun.unscoped.filter(schedule=schedule).order_by("period_start"))
    mondays = [dt.date(2026, 2, 9) + dt.timedelta(weeks=n) for n in range(8)]
    assert [r.period_start for r in runs] == [m - dt.timedelta(days=7) for m in mondays]
    assert {r.state for r in runs} == {RunState.DONE}, [(r.state, r.error) for r in runs]
    for run in runs:  # fired by the first tick at or after 09:00 on the brand's clock
        local = run.created_at.astimezone(CASABLANCA)
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0), local
        assert run.attempts == 1 and run.emailed_at is not None
    fired_utc = {r.created_at.date(): r.created_at.hour for r in runs}
    assert fired_utc[dt.date(2026, 2, 9)] == 8 and fired_utc[dt.date(2026, 2, 16)] == 9
    assert fired_utc[dt.date(2026, 3, 16)] == 9 and fired_utc[dt.date(2026, 3, 23)] == 8

    sent = "".join(path.read_text(errors="replace") for path in sorted(mail_dir.glob("*.log")))
    assert sent.count("To: direction@client.test") == len(runs) == 8
    assert sent.count("Content-Type: application/pdf") == 8
