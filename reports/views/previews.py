"""A report previewed for a brand and a period: the web page and its PDF, generated as the
request asks (the scheduled generation is reports' runs). ``reports.view``: a client role for
the brands it was given only; another brand, or another agency's template, answers 404."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from agency import permissions
from agency.views.common import require_action
from analytics.periods import Compare, Preset, period_choose
from reports.rendering import BuiltReport, report_build, report_html, report_pdf
from reports.selectors import templates as selectors

# The query string's period, as the analytics pages take it (analytics.periods).
PERIOD_PARAMS = ("preset", "start", "end", "compare")


def _report(
    request: HttpRequest, report_template_id: int, brand_id: int
) -> tuple[BuiltReport, dict[str, str]]:
    """The report the request asks for: the template's period unless the query string chooses
    another (period_choose: a wrong value is reported and the default used, never a 500)."""
    actor = request.membership
    template = selectors.template_get_for(actor=actor, report_template_id=report_template_id)
    brand = selectors.report_brand_get_for(actor=actor, brand_id=brand_id)
    if not any(request.GET.get(name) for name in PERIOD_PARAMS):
        return report_build(actor=actor, template=template, brand=brand), {}
    today = timezone.now().astimezone(ZoneInfo(brand.time_zone)).date()
    params = {name: request.GET.get(name, "") for name in PERIOD_PARAMS}
    if not params["compare"]:
        params["compare"] = template.compare
    choice, errors = period_choose(params, today=today)
    report = report_build(
        actor=actor,
        template=template,
        brand=brand,
        period=choice.period,
        comparison=choice.comparison,
    )
    return report, errors


@require_action(permissions.REPORTS_VIEW)
def report_preview(request: HttpRequest, report_template_id: int, brand_id: int) -> HttpResponse:
    report, errors = _report(request, report_template_id, brand_id)
    kwargs = {"report_template_id": report_template_id, "brand_id": brand_id}
    pdf_url = reverse("reports:report_pdf", kwargs=kwargs)
    query = request.GET.urlencode()
    toolbar = {
        "presets": Preset.choices,
        "compares": Compare.choices,
        "params": request.GET,
        "errors": list(errors.values()),
        "pdf_url": f"{pdf_url}?{query}" if query else pdf_url,
        "list_url": reverse("reports:template_list"),
    }
    return HttpResponse(report_html(report, extra={"toolbar": toolbar}))


@require_action(permissions.REPORTS_VIEW)
def report_download(request: HttpRequest, report_template_id: int, brand_id: int) -> HttpResponse:
    report, _errors = _report(request, report_template_id, brand_id)
    ctx = report.context
    name = slugify(f"{ctx.title}-{ctx.brand.name}-{ctx.period.start:%Y-%m-%d}") or "report"
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
