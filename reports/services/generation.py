"""Making one run's report: gather the figures, lay out the HTML, make the PDF (the renderers
of reports.sections and reports.rendering), store it, e-mail it. Each step reports its
progress; a step that cannot go on raises ``ReportFailure`` with the person's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.models import ReportRun, RunStep
from reports.services.delivery import pdf_filename, run_email_send

Progress = Callable[[str, int], None]


class ReportFailure(Exception):
    """A run cannot be made; ``reason`` says why, in the agency's language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def report_produce(run: ReportRun, progress: Progress) -> None:
    if run.template is None:
        with translation.override(run.brand.agency.language):
            raise ReportFailure(
                _("The template of this report was deleted; start a run from another one.")
            )
    from reports.rendering import report_document, report_pdf

    with translation.override(run.language):
        progress(RunStep.COLLECTING, 10)
        document = report_document(run)
        progress(RunStep.RENDERING_PDF, 45)
        pdf = report_pdf(document)
    progress(RunStep.STORING, 85)
    run.pdf.save(pdf_filename(run), ContentFile(pdf), save=False)
    expires = timezone.now() + dt.timedelta(days=settings.REPORT_LINK_DAYS)
    ReportRun.objects.filter(pk=run.pk).update(pdf=run.pdf.name, link_expires_at=expires)
    run.link_expires_at = expires
    if run.send_email and run.recipients and run.emailed_at is None:
        progress(RunStep.EMAILING, 92)
        run_email_send(run, pdf, link_expires_at=expires)
        # Written before the run is done: a re-run after a crash here does not send again.
        ReportRun.objects.filter(pk=run.pk).update(emailed_at=timezone.now())
