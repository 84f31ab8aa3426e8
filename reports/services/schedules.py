"""A brand's report schedules: create, change, pause, delete. Each write recomputes when the
schedule fires next (reports.scheduling, in the brand's time zone)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from campaigns.services.access import Actor, require, require_brand, user_of
from clients.models import Brand
from reports.models import (
    ContactRecipients,
    Frequency,
    ReportSchedule,
    ReportTemplate,
)
from reports.models.runs import normalise_emails
from reports.scheduling import schedule_next_fire

EDITABLE_FIELDS = (
    "template",
    "frequency",
    "weekday",
    "day_of_month",
    "hour",
    "contacts",
    "extra_recipients",
    "active",
)


def _check(schedule: ReportSchedule) -> None:
    """The schedule's own rules, as a ValidationError naming the field."""
    if schedule.frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose weekly or monthly.")})
    if schedule.contacts not in ContactRecipients.values:
        raise ValidationError({"contacts": _("Choose which client contacts receive it.")})
    if not isinstance(schedule.hour, int) or not 0 <= schedule.hour <= 23:
        raise ValidationError({"hour": _("Give an hour between 0 and 23.")})
    if schedule.frequency == Frequency.WEEKLY:
        if not isinstance(schedule.weekday, int) or not 0 <= schedule.weekday <= 6:
            raise ValidationError({"weekday": _("Choose the day of the week.")})
        schedule.day_of_month = None
    else:
        if not isinstance(schedule.day_of_month, int) or not 1 <= schedule.day_of_month <= 31:
            raise ValidationError({"day_of_month": _("Give a day of the month from 1 to 31.")})
        schedule.weekday = None
    try:
        schedule.extra_recipients = normalise_emails(schedule.extra_recipients or [])
    except ValidationError as exc:
        raise ValidationError({"extra_recipients": exc.messages}) from None
    if schedule.template.agency_id != schedule.agency_id:
        raise ValidationError({"template": _("Choose one of the agency's report templates.")})


def _plan(schedule: ReportSchedule, now: dt.datetime | None) -> None:
    schedule.next_run_at = (
        schedule_next_fire(schedule, after=now or timezone.now()) if schedule.active else None
    )


@transaction.atomic
def schedule_create(
    *,
    actor: Actor,
    brand: Brand,
    template: ReportTemplate,
    frequency: str = Frequency.MONTHLY,
    weekday: int | None = None,
    day_of_month: int | None = None,
    hour: int = 9,
    contacts: str = ContactRecipients.ALL,
    extra_recipients=(),
    active: bool = True,
    now: dt.datetime | None = None,
) -> ReportSchedule:
    """A schedule for ``brand``: it fires at ``hour`` on the brand's clock, the day given, and
    e-mails the report of the period just over. Refuses (ValidationError by field) an unknown
    frequency, a missing day, an hour out of range or a bad address."""
    require(actor, permissions.REPORTS_MANAGE)
    require_brand(actor, brand)
    schedule = ReportSchedule(
        agency_id=brand.agency_id,
        brand=brand,
        template=template,
        frequency=frequency,
        weekday=weekday,
        day_of_month=day_of_month,
        hour=hour,
        contacts=contacts,
        extra_recipients=list(extra_recipients or []),
        active=active,
        created_by=user_of(actor),
    )
    _check(schedule)
    _plan(schedule, now)
    schedule.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="report_schedule.created",
        target=schedule,
        data={"brand_id": brand.pk, "frequency": frequency},
    )
    return schedule


@transaction.atomic
def schedule_update(
    *, actor: Actor, schedule: ReportSchedule, now: dt.datetime | None = None, **changes
) -> ReportSchedule:
    """Change a schedule; when it fires next is computed again from now (a period already
    reported is not reported twice: runs are unique per schedule and period)."""
    require(actor, permissions.REPORTS_MANAGE)
    require_brand(actor, schedule.brand)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    for field, value in changes.items():
        setattr(schedule, field, value)
    _check(schedule)
    _plan(schedule, now)
    schedule.save()
    audit_record(
        agency=schedule.brand.agency,
        actor=actor,
        verb="report_schedule.changed",
        target=schedule,
        data={"fields": sorted(changes)},
    )
    return schedule


@transaction.atomic
def schedule_delete(*, actor: Actor, schedule: ReportSchedule) -> None:
    """Delete a schedule; its runs stay in the history."""
    require(actor, permissions.REPORTS_MANAGE)
    require_brand(actor, schedule.brand)
    audit_record(
        agency=schedule.brand.agency,
        actor=actor,
        verb="report_schedule.deleted",
        target=schedule,
    )
    schedule.delete()
