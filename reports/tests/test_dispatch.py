"""A schedule fires once per period, at its hour of the brand's clock, whatever the beat does:
across Morocco's Ramadan clock changes of 2026, with dispatchers overlapping, after an edit,
and across agencies. The clock is faked (each dispatcher run is given its "now")."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from agency.tenancy import tenant_scope
from agency.tests.factories import AgencyFactory, MembershipFactory
from analytics.periods import Period
from clients.tests.factories import BrandFactory, ClientContactFactory
from reports.models import ReportRun, ReportSchedule, RunState, RunTrigger
from reports.services.dispatch import report_schedules_dispatch_across_agencies
from reports.services.runs import schedule_fire
from reports.services.schedules import schedule_create, schedule_update
from reports.tests.factories import ReportTemplateFactory

pytestmark = pytest.mark.django_db
CASABLANCA = ZoneInfo("Africa/Casablanca")


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _beat(start: dt.datetime, end: dt.datetime, every: dt.timedelta, *, twice: bool = False):
    """The beat between ``start`` and ``end``; ``twice``: a second dispatcher at each tick."""
    now = start
    while now < end:
        report_schedules_dispatch_across_agencies(now=now)
        if twice:
            report_schedules_dispatch_across_agencies(now=now)
        now += every


def _schedule(owner, brand, template, *, now, **fields):
    with tenant_scope(owner.agency_id):
        return schedule_create(actor=owner, brand=brand, template=template, now=now, **fields)


def _runs(schedule) -> list[ReportRun]:
    return list(ReportRun.unscoped.filter(schedule=schedule).order_by("period_start"))


def test_a_weekly_schedule_at_nine_fires_once_a_week_across_the_ramadan_clock_changes(
    owner_of_a, brand_a, template_a
):
    schedule = _schedule(
        owner_of_a, brand_a, template_a, now=_utc(2026, 2, 8), frequency="weekly", weekday=0
    )
    # A beat at ten past every hour, from 8 February to 30 March 2026 (both clock changes).
    _beat(_utc(2026, 2, 8, 0, 10), _utc(2026, 3, 30, 12), dt.timedelta(hours=1))

    runs = _runs(schedule)
    mondays = [dt.date(2026, 2, 9) + dt.timedelta(weeks=n) for n in range(8)]
    assert [run.period_start for run in runs] == [m - dt.timedelta(days=7) for m in mondays]
    assert all(run.period_end - run.period_start == dt.timedelta(days=6) for run in runs)
    # Each was created by the first beat after 09:00 on the brand's clock: 08:10 UTC before
    # and after Ramadan, 09:10 UTC during it.
    for run in runs:
        local = run.created_at.astimezone(CASABLANCA)
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 10), local
    fired = {r.created_at.date(): r.created_at.hour for r in runs}  # UTC
    assert fired[dt.date(2026, 2, 9)] == 8 and fired[dt.date(2026, 2, 16)] == 9
    assert fired[dt.date(2026, 3, 16)] == 9 and fired[dt.date(2026, 3, 23)] == 8
    assert {run.triggered_by for run in runs} == {RunTrigger.SCHEDULE}
    assert {run.state for run in runs} == {RunState.QUEUED}


def test_a_monthly_schedule_fires_once_per_month_and_covers_the_month_before(
    owner_of_a, brand_a, template_a
):
    ClientContactFactory(agency=owner_of_a.agency, brand=brand_a, email="Salma@Client.test")
    schedule = _schedule(
        owner_of_a,
        brand_a,
        template_a,
        now=_utc(2026, 1, 25),
        frequency="monthly",
        day_of_month=1,
        extra_recipients=["direction@client.test"],
    )
    # Two dispatchers every four hours, from 25 January to 2 April 2026.
    _beat(_utc(2026, 1, 25), _utc(2026, 4, 2), dt.timedelta(hours=4), twice=True)

    runs = _runs(schedule)
    assert [(r.period_start, r.period_end) for r in runs] == [
        (p.start, p.end) for p in (Period.month(2026, m) for m in (1, 2, 3))
    ]
    assert runs[0].recipients == ["salma@client.test", "direction@client.test"]
    assert runs[0].send_email


def test_a_second_dispatcher_with_the_same_due_schedule_creates_nothing(
    owner_of_a, brand_a, template_a
):
    schedule = _schedule(
        owner_of_a, brand_a, template_a, now=_utc(2026, 3, 1), frequency="weekly", weekday=2
    )
    due = schedule.next_run_at
    stale = ReportSchedule.unscoped.get(pk=schedule.pk)  # what a slower dispatcher had read
    with tenant_scope(owner_of_a.agency_id):
        assert schedule_fire(schedule_id=schedule.pk, now=due) is not None
        # The slower dispatcher's claim names the due time it read: no row matches it now.
        assert stale.next_run_at == due
        assert schedule_fire(schedule_id=schedule.pk, now=due + dt.timedelta(seconds=5)) is None
    assert len(_runs(schedule)) == 1


def test_an_edit_right_after_a_firing_does_not_report_the_same_period_twice(
    owner_of_a, brand_a, template_a
):
    schedule = _schedule(
        owner_of_a, brand_a, template_a, now=_utc(2026, 3, 1), frequency="weekly", weekday=0
    )
    fired_at = schedule.next_run_at  # Monday 2 March, 09:00 (UTC+0 during Ramadan)
    assert fired_at == _utc(2026, 3, 2, 9)
    report_schedules_dispatch_across_agencies(now=fired_at)
    # Someone moves the hour to 11:00 the same morning: that Monday 11:00 is due again, but
    # its period (23 February – 1 March) has its run.
    with tenant_scope(owner_of_a.agency_id):
        schedule.refresh_from_db()
        schedule_update(actor=owner_of_a, schedule=schedule, hour=11, now=fired_at)
    assert schedule.next_run_at == _utc(2026, 3, 2, 11)
    report_schedules_dispatch_across_agencies(now=_utc(2026, 3, 2, 11, 1))
    assert [r.period_start for r in _runs(schedule)] == [dt.date(2026, 2, 23)]
    schedule.refresh_from_db()
    assert schedule.next_run_at == _utc(2026, 3, 9, 11)  # the next Monday at 11:00 local


def test_the_database_refuses_a_second_run_of_a_schedules_period(owner_of_a, brand_a, template_a):
    schedule = _schedule(
        owner_of_a, brand_a, template_a, now=_utc(2026, 3, 1), frequency="weekly", weekday=0
    )
    report_schedules_dispatch_across_agencies(now=schedule.next_run_at)
    [run] = _runs(schedule)
    with tenant_scope(owner_of_a.agency_id), pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.create(
            agency=run.agency,
            brand=brand_a,
            template=template_a,
            template_name="x",
            schedule=schedule,
            period_start=run.period_start,
            period_end=run.period_end,
            language="fr",
        )


def test_a_paused_schedule_does_not_fire(owner_of_a, brand_a, template_a):
    schedule = _schedule(
        owner_of_a,
        brand_a,
        template_a,
        now=_utc(2026, 3, 1),
        frequency="weekly",
        weekday=0,
        active=False,
    )
    assert schedule.next_run_at is None
    _beat(_utc(2026, 3, 1), _utc(2026, 3, 20), dt.timedelta(hours=12))
    assert _runs(schedule) == []


def test_the_dispatcher_fires_each_agencys_schedules_in_that_agency(
    owner_of_a, brand_a, template_a
):
    other = AgencyFactory()
    other_owner = MembershipFactory(agency=other, role="owner")
    other_brand = BrandFactory(agency=other, time_zone="Europe/Paris")
    other_template = ReportTemplateFactory(agency=other)
    mine = _schedule(
        owner_of_a, brand_a, template_a, now=_utc(2026, 3, 1), frequency="weekly", weekday=0
    )
    theirs = _schedule(
        other_owner,
        other_brand,
        other_template,
        now=_utc(2026, 3, 1),
        frequency="weekly",
        weekday=0,
    )
    _beat(_utc(2026, 3, 2, 7), _utc(2026, 3, 2, 10), dt.timedelta(minutes=30))
    [run_a] = _runs(mine)
    [run_b] = _runs(theirs)
    assert run_a.agency_id == owner_of_a.agency_id and run_b.agency_id == other.pk
    # Paris is UTC+1 in March: 08:00 UTC as well; each brand's own clock decides.
    assert run_b.created_at == _utc(2026, 3, 2, 8)
