"""The report as HTML: the web page and the PDF's source are the same document
(templates/reports/document.html), in the report's language."""

from __future__ import annotations

import base64
import mimetypes
from typing import Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from reports.rendering.build import BuiltReport

# What the quotes of a right-to-left language are set in (Debian's fonts-noto-core).
ARABIC_FONTS = ('"Noto Naskh Arabic"', '"Noto Sans Arabic"')


def _inline(name: str) -> str | None:
    """A stored logo as a data: URI (None when it cannot be read)."""
    content_type = mimetypes.guess_type(name)[0]
    if not name or not (content_type or "").startswith("image/"):
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
    except (FileNotFoundError, OSError):
        return None
    return f"data:{content_type};base64,{data}"


def report_html(
    report: BuiltReport,
    *,
    for_pdf: bool = False,
    inline_logos: bool = False,
    extra: dict[str, Any] | None = None,
) -> str:
    """The whole document. ``for_pdf``: the print layout (page size, running footer);
    ``inline_logos``: the logos written into the page, for a reader who is not signed in (the
    web version behind the e-mail's link: our media URLs answer signed-in members only);
    ``extra``: what the page around it adds (the preview's toolbar)."""
    branding = report.branding
    brand_logo = getattr(report.context.brand.logo, "name", "") or ""
    if inline_logos:
        logo_src = _inline(branding.logo_name) if branding.logo_name else None
        brand_logo_src = _inline(brand_logo) if brand_logo else None
    else:
        logo_src = branding.logo_url
        brand_logo_src = report.context.brand.logo.url if brand_logo else None
    fonts = ", ".join([f'"{branding.font_family}"', '"Noto Sans"', *ARABIC_FONTS, "sans-serif"])
    context = {
        "report": report,
        "ctx": report.context,
        "sections": report.sections,
        "branding": branding,
        "logo_src": logo_src,
        "brand_logo_src": brand_logo_src,
        "for_pdf": for_pdf,
        "font_stack": fonts,
        "arabic_font_stack": ", ".join([*ARABIC_FONTS, "sans-serif"]),
        **(extra or {}),
    }
    with translation.override(report.language):
        return render_to_string("reports/document.html", context)
