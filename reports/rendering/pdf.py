"""The report as a PDF, with WeasyPrint (docs/decisions.md: WeasyPrint on the system's Pango).

WeasyPrint fetches what a document links to. It is given a fetcher that refuses everything but
the few files of the report itself: the agency's and the brand's logos, read from our storage,
and our static files. No URL is ever fetched over the network (a logo URL, a font, a
stylesheet), and fonts come from fontconfig: the families installed by fonts-noto-core and
fonts-dejavu-core (docs/setup.md), named in the CSS, never downloaded.
"""

from __future__ import annotations

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from reports.rendering.build import BuiltReport
from reports.rendering.html import report_html

logger = logging.getLogger(__name__)

# Relative links of the document (``/media/…``, ``/static/…``) resolve under this base, which
# is no host at all: the fetcher below answers it from our files, and nothing else.
BASE_URL = "https://report.invalid/"


class RefusedFetch(ValueError):
    """A URL the report may not load (WeasyPrint logs it and leaves the resource out)."""


class ReportFilesFetcher(URLFetcher):
    """Answers only ``BASE_URL`` + MEDIA_URL + one of ``media_names`` (from default storage)
    and ``BASE_URL`` + STATIC_URL + a static file; refuses every other URL, scheme and host."""

    def __init__(self, *, media_names: set[str]):
        super().__init__(allowed_protocols=set())
        self.media_names = {name for name in media_names if name}
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            body = self._read(url)
        except RefusedFetch:
            self.refused.append(url[:200])
            logger.warning("report PDF: refused to fetch %s", url[:200])
            raise
        return URLFetcherResponse(
            url, body=body, headers={"Content-Type": mimetypes.guess_type(url)[0] or ""}
        )

    def _read(self, url: str) -> bytes:
        if not url.startswith(BASE_URL):
            raise RefusedFetch(f"not one of the report's files: {url[:200]}")
        path = "/" + url[len(BASE_URL) :].split("?")[0].split("#")[0]
        if path.startswith(settings.MEDIA_URL):
            name = path[len(settings.MEDIA_URL) :]
            if name not in self.media_names:
                raise RefusedFetch(f"not one of the report's files: {name[:200]}")
            try:
                with default_storage.open(name, "rb") as handle:
                    return handle.read()
            except (OSError, SuspiciousFileOperation) as exc:
                raise RefusedFetch(f"cannot read {name[:200]}") from exc
        if path.startswith(settings.STATIC_URL):
            name = path[len(settings.STATIC_URL) :]
            if ".." in name.split("/"):
                raise RefusedFetch("not a static file")
            found = finders.find(name)
            if not found or isinstance(found, list):
                raise RefusedFetch(f"no static file {name[:200]}")
            with open(found, "rb") as handle:
                return handle.read()
        raise RefusedFetch(f"not one of the report's files: {path[:200]}")


def report_pdf(report: BuiltReport) -> bytes:
    """The report as PDF bytes. Synchronous: a few seconds for a monthly report."""
    html = report_html(report, for_pdf=True)
    names = {report.branding.logo_name}
    cover_logo = getattr(report.context.brand.logo, "name", "")
    if cover_logo:
        names.add(cover_logo)
    fetcher = ReportFilesFetcher(media_names=names)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
