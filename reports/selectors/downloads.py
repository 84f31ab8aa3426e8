"""What a run's downloads hold: its PDF, the data behind its sections (CSV, XLSX) and its web
version, all stored when the run was made from the same figures (reports.services.generation),
in the run's language. A run made before they were stored has its web version and data built
again from its brand, template and period."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.text import slugify

from reports.exports import XLSX_CONTENT_TYPE, ExportTable, tables_csv, tables_xlsx
from reports.models import ReportRun, RunState
from reports.rendering import report_html
from reports.selectors.builds import run_report_build


@dataclass(frozen=True)
class Export:
    content: bytes | str
    content_type: str
    filename: str


def _stem(run: ReportRun) -> str:
    return f"{slugify(run.brand.name) or 'report'}-{run.period_start}-{run.period_end}"


def run_pdf_open(run: ReportRun):
    """(an open file, its download name) of the run's PDF, or None when it has none."""
    if run.state != RunState.DONE or not run.pdf:
        return None
    try:
        return default_storage.open(run.pdf.name, "rb"), f"{_stem(run)}.pdf"
    except (FileNotFoundError, OSError):
        return None


def _stored(field) -> bytes | None:
    if not field:
        return None
    try:
        with default_storage.open(field.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def report_tables(report) -> list[ExportTable]:
    """The data behind each section of a built report, as tables, in its language."""
    with translation.override(report.language):
        return [
            ExportTable(
                title=str(table.title), columns=[str(c) for c in table.columns], rows=table.rows
            )
            for _key, table in report.tables()
        ]


def run_export(run: ReportRun, *, fmt: str, actor=None) -> Export | None:
    """The run's data as ``csv`` or ``xlsx``; None for another format, a run not done or one
    whose template is gone."""
    if run.state != RunState.DONE or run.template is None or fmt not in ("csv", "xlsx"):
        return None
    stored = _stored(run.data_csv if fmt == "csv" else run.data_xlsx)
    if stored is None:
        tables = report_tables(run_report_build(run))
        stored = tables_csv(tables).encode() if fmt == "csv" else tables_xlsx(tables)
    if fmt == "csv":
        return Export(stored, "text/csv; charset=utf-8", f"{_stem(run)}.csv")
    return Export(stored, XLSX_CONTENT_TYPE, f"{_stem(run)}.xlsx")


def run_web_html(run: ReportRun) -> str:
    """The report as a web page (the renderer's HTML), in the run's language, with its logos
    written in: it is read behind the e-mail's link and on the portal's own domain, where our
    media URLs do not open for the reader."""
    stored = _stored(run.web_html)
    if stored is not None:
        return stored.decode("utf-8")
    return report_html(run_report_build(run), inline_logos=True)
