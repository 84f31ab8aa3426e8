"""The run history (agency-wide, per brand), "run now", a run's page, its progress (polled with
htmx while it is on its way) and its retry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import paginate, refusal_messages, require_action
from clients.selectors import brand_get_for, brands_visible_to
from reports.forms import RunNowForm, ScheduleForm
from reports.selectors.runs import run_get_for, runs_of, schedules_of
from reports.services.runs import run_request, run_retry


@require_action(permissions.REPORTS_VIEW)
def runs(request: HttpRequest) -> HttpResponse:
    """Every report run the person may see, newest first (a client: their brands')."""
    actor = request.membership
    page = paginate(request, runs_of(actor))
    return render(
        request,
        "reports/runs.html",
        {"page": page, "brands": brands_visible_to(actor), "section": "reports"},
    )


@require_action(permissions.REPORTS_VIEW)
def brand_reports(request: HttpRequest, brand_id: int) -> HttpResponse:
    """A brand's runs, its schedules, and (for the team) "run now" and a new schedule."""
    actor = request.membership
    brand = brand_get_for(actor=actor, brand_id=brand_id)
    return render(
        request,
        "reports/brand_reports.html",
        {
            "brand": brand,
            "page": paginate(request, runs_of(actor, brand_id=brand.pk)),
            "schedules": schedules_of(actor, brand_id=brand.pk),
            "run_form": RunNowForm(),
            "schedule_form": ScheduleForm(initial={"frequency": "monthly", "day_of_month": 1}),
            "section": "reports",
        },
    )


@require_action(permissions.REPORTS_MANAGE)
@require_POST
def run_now(request: HttpRequest, brand_id: int) -> HttpResponse:
    actor = request.membership
    brand = brand_get_for(actor=actor, brand_id=brand_id)
    form = RunNowForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("reports:brand_reports", brand_id=brand.pk)
    raw = form.cleaned_data["recipients"] or ""
    try:
        run = run_request(
            actor=actor,
            brand=brand,
            template=form.cleaned_data["template"],
            recipients=[part for part in raw.replace(";", ",").split(",") if part.strip()],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(refusal_messages(exc)))
        return redirect("reports:brand_reports", brand_id=brand.pk)
    return redirect("reports:run", report_run_id=run.pk)


@require_action(permissions.REPORTS_VIEW)
def run_detail(request: HttpRequest, report_run_id: int) -> HttpResponse:
    run = run_get_for(actor=request.membership, run_id=report_run_id)
    return render(request, "reports/run.html", {"run": run, "section": "reports"})


@require_action(permissions.REPORTS_VIEW)
def run_progress(request: HttpRequest, report_run_id: int) -> HttpResponse:
    """The run's state, step and percentage (the run page polls it while the run is on its
    way; once over, the answer stops the polling and the page reloads with the downloads)."""
    run = run_get_for(actor=request.membership, run_id=report_run_id)
    response = render(request, "reports/_run_progress.html", {"run": run})
    if not run.in_progress and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_action(permissions.REPORTS_MANAGE)
@require_POST
def run_retry_view(request: HttpRequest, report_run_id: int) -> HttpResponse:
    run = run_get_for(actor=request.membership, run_id=report_run_id)
    try:
        run_retry(actor=request.membership, run=run)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(refusal_messages(exc)))
    else:
        messages.success(request, _("The report is queued again."))
    return redirect("reports:run", report_run_id=run.pk)
