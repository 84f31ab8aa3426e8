"""The data behind each section of a run's report, as CSV or XLSX.

Each section hands its figures as tables (a title, column headings, rows) through
``reports.rendering.report_tables``. The CSV puts them one after the other (the section's
title, its headings, its rows, a blank line), every cell through core.csv_safety; the XLSX
gives each section its own sheet, with text cells made safe the same way (a spreadsheet
evaluates a formula typed into an .xlsx cell as readily as a CSV's).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.csv_safety import csv_safe, csv_safe_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limits: a sheet's name is at most 31 characters, without : \ / ? * [ ].
_SHEET_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")


@dataclass(frozen=True)
class ExportTable:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


def tables_csv(tables: Iterable[ExportTable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    first = True
    for table in tables:
        if not first:
            writer.writerow([])
        first = False
        writer.writerow([csv_safe(table.title)])
        writer.writerow(csv_safe_row(table.columns))
        for row in table.rows:
            writer.writerow(csv_safe_row(_cell(value) for value in row))
    # A byte-order mark, so that Excel reads the accents of a French export as UTF-8.
    return "\ufeff" + buffer.getvalue()


def tables_xlsx(tables: Iterable[ExportTable]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        sheet.append([csv_safe(title) for title in table.columns])
        for row in table.rows:
            sheet.append([_xlsx_cell(value) for value in row])
    if not book.sheetnames:
        book.create_sheet("-")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _xlsx_cell(value):
    """Numbers and dates as they are (a spreadsheet sums and sorts them), text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | dt.date):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)  # openpyxl takes naive times
        return value
    return csv_safe(value)


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "-"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
