"""A run's files: the PDF it stored, and the data behind its sections as CSV or XLSX."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from agency import permissions
from agency.views.common import require_action
from reports.selectors.downloads import run_export, run_pdf_open
from reports.selectors.runs import run_get_for


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_action(permissions.REPORTS_VIEW)
@require_safe
def run_pdf(request: HttpRequest, report_run_id: int) -> HttpResponse:
    run = run_get_for(actor=request.membership, run_id=report_run_id)
    opened = run_pdf_open(run)
    if opened is None:
        raise Http404
    handle, filename = opened
    return _attachment(FileResponse(handle, content_type="application/pdf"), filename)


@require_action(permissions.REPORTS_VIEW)
@require_safe
def run_data(request: HttpRequest, report_run_id: int, fmt: str) -> HttpResponse:
    run = run_get_for(actor=request.membership, run_id=report_run_id)
    export = run_export(run, fmt=fmt, actor=request.membership)
    if export is None:
        raise Http404
    return _attachment(
        HttpResponse(export.content, content_type=export.content_type), export.filename
    )
