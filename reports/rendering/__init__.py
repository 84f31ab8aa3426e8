"""A report built and rendered: ``report_build`` gathers the sections' data for one template,
brand and period; ``report_html`` renders it as the web page, ``report_pdf`` as the PDF
(WeasyPrint), both from the same templates (templates/reports/)."""

from reports.rendering.build import BuiltReport, BuiltSection, report_build
from reports.rendering.html import report_html
from reports.rendering.pdf import report_pdf

__all__ = ["BuiltReport", "BuiltSection", "report_build", "report_html", "report_pdf"]
