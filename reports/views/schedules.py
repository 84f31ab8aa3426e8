"""A brand's report schedules: add, change, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, refusal_messages, require_action
from clients.selectors import brand_get_for
from reports.forms import ScheduleForm
from reports.selectors.runs import schedule_get_for
from reports.services.schedules import schedule_create, schedule_delete, schedule_update


def _fields(form: ScheduleForm) -> dict:
    data = dict(form.cleaned_data)
    data["extra_recipients"] = data.get("extra_recipients") or ""
    return data


def _as_list(value) -> list[str]:
    return [part for part in str(value).replace(";", ",").replace("\n", ",").split(",") if part]


@require_action(permissions.REPORTS_MANAGE)
@require_POST
def schedule_new(request: HttpRequest, brand_id: int) -> HttpResponse:
    actor = request.membership
    brand = brand_get_for(actor=actor, brand_id=brand_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        data = _fields(form)
        data["extra_recipients"] = _as_list(data["extra_recipients"])
        try:
            schedule_create(actor=actor, brand=brand, **data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(refusal_messages(exc)))
        else:
            messages.success(request, _("The schedule is saved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("reports:brand_reports", brand_id=brand.pk)


@require_action(permissions.REPORTS_MANAGE)
def schedule_edit(request: HttpRequest, report_schedule_id: int) -> HttpResponse:
    actor = request.membership
    schedule = schedule_get_for(actor=actor, schedule_id=report_schedule_id)
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = _fields(form)
            data["extra_recipients"] = _as_list(data["extra_recipients"])
            try:
                schedule_update(actor=actor, schedule=schedule, **data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The schedule is saved."))
                return redirect("reports:brand_reports", brand_id=schedule.brand_id)
    else:
        form = ScheduleForm(
            initial={
                "template": schedule.template_id,
                "frequency": schedule.frequency,
                "weekday": schedule.weekday,
                "day_of_month": schedule.day_of_month,
                "hour": schedule.hour,
                "contacts": schedule.contacts,
                "extra_recipients": "\n".join(schedule.extra_recipients),
                "active": schedule.active,
            }
        )
    return render(
        request,
        "reports/schedule_edit.html",
        {"schedule": schedule, "brand": schedule.brand, "form": form, "section": "reports"},
    )


@require_action(permissions.REPORTS_MANAGE)
@require_POST
def schedule_remove(request: HttpRequest, report_schedule_id: int) -> HttpResponse:
    actor = request.membership
    schedule = schedule_get_for(actor=actor, schedule_id=report_schedule_id)
    brand_id = schedule.brand_id
    schedule_delete(actor=actor, schedule=schedule)
    messages.success(request, _("The schedule is deleted; its reports stay in the history."))
    return redirect("reports:brand_reports", brand_id=brand_id)
