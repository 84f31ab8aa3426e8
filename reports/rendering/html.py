"""The report as HTML: the web page and the PDF's source are the same document
(templates/reports/document.html), in the report's language."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from reports.rendering.build import BuiltReport

# What the quotes of a right-to-left language are set in (Debian's fonts-noto-core).
ARABIC_FONTS = ('"Noto Naskh Arabic"', '"Noto Sans Arabic"')


def report_html(
    report: BuiltReport, *, for_pdf: bool = False, extra: dict[str, Any] | None = None
) -> str:
    """The whole document. ``for_pdf``: the print layout (page size, running footer);
    ``extra``: what the page around it adds (the preview's toolbar)."""
    branding = report.branding
    fonts = ", ".join([f'"{branding.font_family}"', '"Noto Sans"', *ARABIC_FONTS, "sans-serif"])
    context = {
        "report": report,
        "ctx": report.context,
        "sections": report.sections,
        "branding": branding,
        "for_pdf": for_pdf,
        "font_stack": fonts,
        "arabic_font_stack": ", ".join([*ARABIC_FONTS, "sans-serif"]),
        **(extra or {}),
    }
    with translation.override(report.language):
        return render_to_string("reports/document.html", context)
