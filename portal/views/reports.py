"""The portal's reports archive: the finished reports of the person's brands, each readable as
a web page and downloadable as the PDF that was made (and e-mailed) for it. Served here, under
/portal/, so that they open on the agency's own portal domain too."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from portal.selectors import report_archive
from portal.views.common import chosen_brand_id, paginate, portal_page, render_portal
from reports.models import ReportRun
from reports.selectors.downloads import run_pdf_open, run_web_html
from reports.selectors.runs import run_get_for
from reports.states import RunState


@require_safe
@portal_page
def archive(request: HttpRequest) -> HttpResponse:
    brand_id = chosen_brand_id(request)
    page = paginate(request, report_archive(request.membership, brand_id=brand_id))
    context = {"brand_id": brand_id, "page": page}
    return render_portal(request, "portal/reports.html", context, section="reports")


def _finished_run(request: HttpRequest, report_run_id: int) -> ReportRun:
    """One of the person's finished reports; 404 for another brand's, another agency's, or
    one not made yet."""
    run = run_get_for(actor=request.membership, run_id=report_run_id)
    if run.state != RunState.DONE:
        raise Http404
    return run


@require_safe
@portal_page
def report_web(request: HttpRequest, report_run_id: int) -> HttpResponse:
    return HttpResponse(run_web_html(_finished_run(request, report_run_id)))


@require_safe
@portal_page
def report_pdf(request: HttpRequest, report_run_id: int) -> HttpResponse:
    opened = run_pdf_open(_finished_run(request, report_run_id))
    if opened is None:
        raise Http404
    handle, filename = opened
    return FileResponse(handle, as_attachment=True, filename=filename)
