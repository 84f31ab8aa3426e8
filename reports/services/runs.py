"""Report runs: a person's "run now", a schedule's firing, a person's retry, the run itself
(in a task, with its progress written as it goes), and the sweep that picks up lost runs.

Guarantees:

- **Once per period.** A schedule fires by a conditional update of its ``next_run_at`` (only
  the dispatcher that moves it from the due value creates the run), and the run is unique per
  (schedule, first day of the period) in the database: two overlapping beats, a redelivered
  dispatcher task or a schedule edited right after it fired cannot make a second run.
- **Once per message.** The task claims a queued run by a conditional update (queued →
  rendering); a second delivery of the same message finds it claimed and does nothing.
- **Never lost.** A run whose message was lost (queued, its grace over) is queued again by the
  sweep; a run whose worker died (rendering, its lease over) is queued again, up to
  ``MAX_ATTEMPTS``, then failed with the reason. The e-mail is not sent twice: the run records
  when it was sent, before it is marked done, and a re-run skips the sending.
- **Failures are told.** Whatever goes wrong ends the run ``failed`` with a reason in the
  agency's language, shown on the run page, with a retry button.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from analytics.periods import Period
from campaigns.services.access import Actor, require, require_brand, user_of
from clients.models import Brand
from reports.models import ReportRun, ReportSchedule, ReportTemplate, RunState, RunStep, RunTrigger
from reports.models.runs import normalise_emails
from reports.scheduling import period_covered, schedule_next_fire
from reports.selectors.runs import schedule_recipients
from reports.services.generation import report_produce
from reports.states import check_move, run_move

logger = logging.getLogger(__name__)

# A queued run's message may be lost (the process died between commit and enqueue): after
# this long without a worker taking it, the sweep queues it again.
MESSAGE_GRACE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 3


def lease() -> dt.timedelta:
    """How long a rendering run is its worker's: longer than the task's hard limit."""
    return dt.timedelta(seconds=settings.REPORT_TASK_TIME_LIMIT) + dt.timedelta(minutes=5)


def _enqueue(run: ReportRun) -> None:
    from reports.tasks import generate_report

    transaction.on_commit(partial(generate_report.delay, agency_id=run.agency_id, run_id=run.pk))


def _brand_today(brand: Brand) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(brand.time_zone)).date()


# --- Starting a run ---------------------------------------------------------------------------


@transaction.atomic
def run_request(
    *,
    actor: Actor,
    brand: Brand,
    template: ReportTemplate,
    period: Period | None = None,
    recipients=(),
) -> ReportRun:
    """ "Run now": a run of ``template`` for ``brand`` over ``period`` (the template's own period
    as of today on the brand's calendar, when none is given), queued for a worker. It is
    e-mailed only to the ``recipients`` given (checked addresses), if any."""
    require(actor, permissions.REPORTS_MANAGE)
    require_brand(actor, brand)
    if template.agency_id != brand.agency_id:
        raise ValidationError({"template": _("Choose one of the agency's report templates.")})
    try:
        emails = normalise_emails(list(recipients or []))
    except ValidationError as exc:
        raise ValidationError({"recipients": exc.messages}) from None
    period = period or template.period_on(_brand_today(brand))
    run = ReportRun.objects.create(
        agency_id=brand.agency_id,
        brand=brand,
        template=template,
        template_name=template.name,
        period_start=period.start,
        period_end=period.end,
        language=template.language_for(brand),
        triggered_by=RunTrigger.API if user_of(actor) is None else RunTrigger.PERSON,
        requested_by=user_of(actor),
        send_email=bool(emails),
        recipients=emails,
        lease_until=timezone.now() + MESSAGE_GRACE,
    )
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="report_run.requested",
        target=run,
        data={"brand_id": brand.pk, "template_id": template.pk},
    )
    _enqueue(run)
    return run


@transaction.atomic
def run_retry(*, actor: Actor, run: ReportRun) -> ReportRun:
    """Queue a failed run again (its attempts start over; a run that was e-mailed is not
    e-mailed again)."""
    require(actor, permissions.REPORTS_MANAGE)
    require_brand(actor, run.brand)
    if run.state != RunState.FAILED:
        raise ValidationError({"state": _("Only a failed report can be retried.")})
    run_move(run, RunState.QUEUED)
    run.progress, run.step, run.error, run.attempts = 0, RunStep.WAITING, "", 0
    run.lease_until = timezone.now() + MESSAGE_GRACE
    run.finished_at = None
    run.save(
        update_fields=[
            "state",
            "progress",
            "step",
            "error",
            "attempts",
            "lease_until",
            "finished_at",
        ]
    )
    audit_record(agency=run.brand.agency, actor=actor, verb="report_run.retried", target=run)
    _enqueue(run)
    return run


def schedule_fire(*, schedule_id: int, now: dt.datetime) -> ReportRun | None:
    """Fire one due schedule (inside its agency's scope): move its ``next_run_at`` on by a
    conditional update and create the run of the period its firing covers, queued on commit.
    None when another dispatcher fired it first, it is no longer due or active, or that
    period has its run already."""
    with transaction.atomic():
        schedule = (
            ReportSchedule.objects.select_related("brand", "template")
            .filter(pk=schedule_id, active=True, next_run_at__lte=now)
            .first()
        )
        if schedule is None or schedule.next_run_at is None:
            return None
        fired_at = schedule.next_run_at
        following = schedule_next_fire(schedule, after=max(now, fired_at))
        moved = ReportSchedule.objects.filter(
            pk=schedule.pk, active=True, next_run_at=fired_at
        ).update(next_run_at=following)
        if moved != 1:
            return None  # another dispatcher's claim
        period = period_covered(
            fired_at, frequency=schedule.frequency, time_zone=schedule.brand.time_zone
        )
        recipients = schedule_recipients(schedule)
        try:
            with transaction.atomic():
                run = ReportRun.objects.create(
                    agency_id=schedule.agency_id,
                    brand=schedule.brand,
                    template=schedule.template,
                    template_name=schedule.template.name,
                    schedule=schedule,
                    period_start=period.start,
                    period_end=period.end,
                    language=schedule.template.language_for(schedule.brand),
                    triggered_by=RunTrigger.SCHEDULE,
                    send_email=bool(recipients),
                    recipients=recipients,
                    lease_until=now + MESSAGE_GRACE,
                    created_at=now,
                )
        except IntegrityError:
            logger.info("schedule %s: the period from %s has its run", schedule.pk, period.start)
            return None
        _enqueue(run)
        return run


# --- The run itself (the task's body) --------------------------------------------------------


class RunProgress:
    """Writes a rendering run's step and percentage as it goes (each in its own statement,
    committed at once: the run page polls it), renewing the worker's lease."""

    def __init__(self, run: ReportRun):
        self.run = run

    def __call__(self, step: str, percent: int) -> None:
        ReportRun.objects.filter(pk=self.run.pk, state=RunState.RENDERING).update(
            step=step, progress=max(0, min(100, percent)), lease_until=timezone.now() + lease()
        )
        self.run.step, self.run.progress = step, percent


def run_claim(*, run_id: int) -> ReportRun | None:
    """Take a queued run for this worker (queued → rendering, one conditional update). None
    if it is not queued (another delivery of the message has it, or it is over)."""
    check_move(RunState.QUEUED, RunState.RENDERING)
    now = timezone.now()
    claimed = ReportRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
        state=RunState.RENDERING,
        step=RunStep.COLLECTING,
        progress=5,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_until=now + lease(),
        error="",
    )
    if claimed != 1:
        return None
    return ReportRun.objects.select_related("brand", "brand__agency", "template", "schedule").get(
        pk=run_id
    )


def _finish(run: ReportRun, target: str, **fields) -> bool:
    check_move(RunState.RENDERING, target)
    changed = ReportRun.objects.filter(pk=run.pk, state=RunState.RENDERING).update(
        state=target, finished_at=timezone.now(), lease_until=None, **fields
    )
    return changed == 1


def run_generate(*, run_id: int) -> str:
    """Claim the run and make it: render, store and e-mail it (reports.services.generation),
    reporting progress. The run ends done, or failed with the reason."""

    run = run_claim(run_id=run_id)
    if run is None:
        current = ReportRun.objects.filter(pk=run_id).values_list("state", flat=True).first()
        return current or "missing"
    progress = RunProgress(run)
    try:
        report_produce(run, progress)
    except Exception as exc:  # noqa: BLE001 - every failure ends the run with its reason
        logger.exception("report run %s failed", run.pk)
        with translation.override(run.brand.agency.language):
            reason = getattr(exc, "reason", None) or _(
                "The report could not be made (%(error)s). Retry it; if it fails again, "
                "tell the agency's administrator."
            ) % {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        _finish(run, RunState.FAILED, error=str(reason))
        return RunState.FAILED
    done = _finish(
        run,
        RunState.DONE,
        progress=100,
        step=RunStep.FINISHED,
    )
    return RunState.DONE if done else RunState.FAILED


# --- Sweeping what was lost -------------------------------------------------------------------


def runs_sweep_across_agencies(*, now: dt.datetime | None = None) -> int:
    """Queue again the runs of EVERY agency whose message was lost (queued past its grace) or
    whose worker died (rendering past its lease); a run that died ``MAX_ATTEMPTS`` times is
    failed with the reason. Returns how many runs it touched."""
    from agency.tenancy import tenant_scope

    now = now or timezone.now()
    stale = list(
        ReportRun.unscoped.filter(
            state__in=(RunState.QUEUED, RunState.RENDERING), lease_until__lt=now
        ).values_list("agency_id", "id", "state")[:500]
    )
    touched = 0
    for agency_id, run_id, state in stale:
        with tenant_scope(agency_id):
            touched += _sweep_one(run_id=run_id, state=state, now=now)
    return touched


def _sweep_one(*, run_id: int, state: str, now: dt.datetime) -> int:
    with transaction.atomic():
        run = ReportRun.objects.select_related("brand__agency").filter(pk=run_id).first()
        if run is None or run.state != state:
            return 0
        base = ReportRun.objects.filter(pk=run_id, state=state, lease_until__lt=now)
        if state == RunState.RENDERING and run.attempts >= MAX_ATTEMPTS:
            check_move(state, RunState.FAILED)
            with translation.override(run.brand.agency.language):
                reason = _(
                    "The worker making this report stopped %(count)d times (too long or out of "
                    "memory). Retry it, or shorten its period."
                ) % {"count": run.attempts}
            return base.update(
                state=RunState.FAILED, error=str(reason), finished_at=now, lease_until=None
            )
        if state == RunState.RENDERING:
            check_move(state, RunState.QUEUED)
        changed = base.update(
            state=RunState.QUEUED,
            step=RunStep.WAITING,
            progress=0,
            lease_until=now + MESSAGE_GRACE,
        )
        if changed:
            _enqueue(run)
        return changed
