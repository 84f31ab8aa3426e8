"""Making one run's report: gather the figures, lay out the HTML, make the PDF (the renderers
of reports.sections and reports.rendering), store it, e-mail it. Each step reports its
progress; a step that cannot go on raises ``ReportFailure`` with the person's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.exports import tables_csv, tables_xlsx
from reports.models import ReportRun, RunStep
from reports.rendering import report_html, report_pdf
from reports.selectors.builds import run_report_build
from reports.selectors.downloads import report_tables
from reports.services.delivery import pdf_filename, run_email_send

Progress = Callable[[str, int], None]


def report_produce(run: ReportRun, progress: Progress) -> None:
    """Build, render, store and e-mail the run's report, saying where it is."""
    progress(RunStep.COLLECTING, 10)
    report = run_report_build(run)
    progress(RunStep.RENDERING_PDF, 45)
    pdf = report_pdf(report)
    progress(RunStep.STORING, 85)
    stem = pdf_filename(run).removesuffix(".pdf")
    tables = report_tables(report)
    run.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    run.web_html.save(
        f"{stem}.html", ContentFile(report_html(report, inline_logos=True).encode()), save=False
    )
    run.data_csv.save(f"{stem}.csv", ContentFile(tables_csv(tables).encode()), save=False)
    run.data_xlsx.save(f"{stem}.xlsx", ContentFile(tables_xlsx(tables)), save=False)
    expires = timezone.now() + dt.timedelta(days=settings.REPORT_LINK_DAYS)
    ReportRun.objects.filter(pk=run.pk).update(
        pdf=run.pdf.name,
        web_html=run.web_html.name,
        data_csv=run.data_csv.name,
        data_xlsx=run.data_xlsx.name,
        link_expires_at=expires,
    )
    run.link_expires_at = expires
    if run.send_email and run.recipients and run.emailed_at is None:
        progress(RunStep.EMAILING, 92)
        run_email_send(run, pdf, link_expires_at=expires)
        # Written before the run is done: a re-run after a crash here does not send again.
        ReportRun.objects.filter(pk=run.pk).update(emailed_at=timezone.now())
