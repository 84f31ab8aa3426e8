"""A client report rendered: the monthly PDF with every section and the agency's logo, an
Arabic quote set right to left (the page rasterised and its pixels measured), the figures
in the report's language, charts whose numbers no locale touches, and a PDF that loads
nothing but the report's own files."""

from __future__ import annotations

import ctypes
import re

import pypdfium2
import pytest

from agency.tenancy import tenant_scope
from reports.rendering import report_build, report_html, report_pdf
from reports.rendering.pdf import BASE_URL, RefusedFetch, ReportFilesFetcher
from reports.section_keys import SectionKey
from reports.sections.registry import REGISTRY
from reports.tests.conftest import ARABIC_QUOTE, LOGO_COLOUR, NOW
from reports.tests.factories import ReportTemplateFactory

SCALE = 2  # 144 dpi


def _build(actor, agency, brand, name="Bilan mensuel", **template):
    with tenant_scope(agency):
        made = ReportTemplateFactory(agency=agency, name=name, **template)
        return report_build(actor=actor, template=made, brand=brand, now=NOW)


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def _font_of(textpage, index: int) -> str:
    size = pypdfium2.raw.FPDFText_GetFontInfo(textpage.raw, index, None, 0, None)
    buffer = ctypes.create_string_buffer(size)
    pypdfium2.raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, size, None)
    return buffer.value.decode()


def _near(pixel, colour, tolerance=30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_every_section_key_has_a_builder_and_a_partial():
    assert set(REGISTRY) == set(SectionKey.values)
    for spec in REGISTRY.values():
        assert spec.partial == f"reports/sections/{spec.key}.html"


def test_a_monthly_report_renders_to_pdf_with_every_section_and_the_agencys_logo(
    agency_a, brand_a, owner_of_a, november, agency_logo
):
    report = _build(owner_of_a, agency_a, brand_a)
    assert [s.key for s in report.sections] == list(SectionKey.values)
    with tenant_scope(agency_a):
        pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    # Café Tanger speaks French first: the report is in French.
    for heading in (
        "Bilan mensuel",
        "Café Tanger",
        "1 novembre 2026 – 30 novembre 2026",
        "Résumé",
        "Chiffres clés",
        "Par réseau",
        "Meilleures publications",
        "Gestion de communauté",
        "Écoute et sentiment",
        "Part de voix",
        "Crises",
        "Campagnes",
        "Calendrier de la période suivante",
    ):
        assert heading in text, heading
    assert "Ramadan gourmand" in text  # the campaign, with its reach target
    assert "Les douceurs de décembre arrivent." in text  # next month's planned post
    assert "Café Rival" in text  # the competitor in the share of voice
    assert "Mastodon" in text  # the per-network breakdown
    assert "Atlas Digital" in text
    # The logo is drawn: an image on the cover, and its colour on the rendered page.
    document = pypdfium2.PdfDocument(pdf)
    cover = document[0]
    images = list(cover.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
    assert images, "the cover has no image"
    bitmap = cover.render(scale=1).to_pil().convert("RGB")
    logo_pixels = sum(1 for p in bitmap.get_flattened_data() if _near(p, LOGO_COLOUR, 12))
    assert logo_pixels > 2000  # 120 × 60 px drawn at about that size


def test_the_report_is_in_english_when_the_template_says_so(
    agency_a, brand_a, owner_of_a, november
):
    report = _build(owner_of_a, agency_a, brand_a, language="en")
    with tenant_scope(agency_a):
        text = _text(report_pdf(report))
    assert "Key figures" in text and "Share of voice" in text
    assert "Nov. 1, 2026 – Nov. 30, 2026" in text


def test_an_arabic_quote_is_set_right_to_left_at_the_right_edge_of_its_box(
    agency_a, brand_a, owner_of_a, november, tmp_path
):
    report = _build(owner_of_a, agency_a, brand_a, sections=["listening"])
    html = report_html(report, for_pdf=True)
    assert f'dir="rtl" lang="ary">{ARABIC_QUOTE}</blockquote>' in html
    with tenant_scope(agency_a):
        pdf = report_pdf(report)
    document = pypdfium2.PdfDocument(pdf)
    page = next(p for p in document if ARABIC_QUOTE[:5] in p.get_textpage().get_text_range())
    width_pt, height_pt = page.get_size()
    textpage = page.get_textpage()
    boxes = [
        textpage.get_charbox(i)
        for i in range(textpage.count_chars())
        if "\u0600" <= textpage.get_text_range(i, 1) <= "\u06ff"
    ]
    assert len(boxes) >= 20
    # Set in Noto Naskh Arabic, found by fontconfig (fonts-noto-core), never downloaded.
    first_arabic = next(
        i for i in range(textpage.count_chars()) if textpage.get_text_range(i, 1) == "ا"
    )
    assert "Naskh" in _font_of(textpage, first_arabic)
    top_px = (height_pt - max(b[3] for b in boxes)) * SCALE
    bottom_px = (height_pt - min(b[1] for b in boxes)) * SCALE
    image = page.render(scale=SCALE).to_pil().convert("RGB")
    image.save(tmp_path / "arabic-quote.png")
    image.save("/tmp/reports-arabic-quote.png")
    pixels = image.load()
    middle = int((top_px + bottom_px) / 2)
    # The quote's box: its left border is the positive sentiment's green, its right border
    # the first coloured pixel from the page's right edge on that row.
    row = [pixels[x, middle] for x in range(image.width)]
    box_left = next(x for x, p in enumerate(row) if _near(p, (17, 116, 58)))
    box_right = next(x for x in range(image.width - 1, 0, -1) if row[x] != (255, 255, 255))
    assert box_right - box_left > image.width / 2
    # The Arabic glyphs' ink in the text's rows, inside the box.
    ink = [
        x
        for y in range(int(top_px), int(bottom_px) + 1)
        for x in range(box_left + 10, box_right - 2)
        if sum(pixels[x, y]) < 3 * 110
    ]
    assert ink, "no glyph drawn"
    box_width = box_right - box_left
    # Right-aligned: the text ends within the box's padding of its right edge...
    assert box_right - max(ink) < 0.06 * box_width
    # ...and a short quote leaves the left part of the box empty.
    assert min(ink) - box_left > 0.4 * box_width


def test_charts_write_their_numbers_with_a_full_stop_whatever_the_language(
    agency_a, brand_a, owner_of_a, november
):
    report = _build(owner_of_a, agency_a, brand_a, sections=["kpis", "listening"])
    html = report_html(report)
    points = re.findall(r'points="([^"]+)"', html)
    assert points
    for pair in " ".join(points).split():
        assert re.fullmatch(r"\d+\.\d,\d+\.\d", pair), pair
    assert "<circle" in html  # the interactions of three separate days, drawn as dots
    for value in re.findall(
        r'<(?:line|text|rect|circle)[^>]* (?:x|y|x1|y1|cx|cy|width)="([^"]+)"', html
    ):
        assert "," not in value


def test_every_section_gives_its_figures_as_tables_of_plain_values(
    agency_a, brand_a, owner_of_a, november
):
    report = _build(owner_of_a, agency_a, brand_a)
    tables = report.tables()
    assert {key for key, _table in tables} == set(SectionKey.values)
    for _key, table in tables:
        for row in table.rows:
            assert len(row) == len(table.columns)
            for value in row:
                assert (
                    value is None
                    or isinstance(value, (str, int, float))
                    or hasattr(value, "isoformat")
                ), (table.title, value)


def test_the_pdf_loads_nothing_but_the_reports_own_files(agency_logo):
    fetcher = ReportFilesFetcher(media_names={agency_logo})
    assert fetcher.fetch(f"{BASE_URL}media/{agency_logo}").read().startswith(b"\x89PNG")
    for url in (
        "https://fonts.googleapis.com/css2?family=Noto+Sans",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        f"{BASE_URL}media/../../etc/passwd",
        f"{BASE_URL}media/other-agency/logo.png",
        "data:text/css,body{}",
    ):
        with pytest.raises(RefusedFetch):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_white_label_hides_the_products_name(agency_a, brand_a, owner_of_a, november):
    with tenant_scope(agency_a):
        shown = report_pdf(_build(owner_of_a, agency_a, brand_a, sections=["cover", "summary"]))
    assert "Agency Social" in _text(shown)
    type(agency_a).objects.filter(pk=agency_a.pk).update(white_label=True)
    brand_a.agency.refresh_from_db()
    report = _build(
        owner_of_a, agency_a, brand_a, name="Marque blanche", sections=["cover", "summary", "kpis"]
    )
    html = report_html(report, extra={"toolbar": {"list_url": "/", "pdf_url": "/"}})
    assert "Agency Social" not in html
    with tenant_scope(agency_a):
        text = _text(report_pdf(report))
    assert "Agency Social" not in text
    assert "Atlas Digital" in text


def test_the_agencys_colours_and_font_dress_the_report(agency_a, brand_a, owner_of_a):
    type(agency_a).objects.filter(pk=agency_a.pk).update(
        primary_colour="#7a1f5c", accent_colour="#0b5e55", report_font="Noto Serif"
    )
    brand_a.agency.refresh_from_db()
    report = _build(owner_of_a, agency_a, brand_a, sections=["cover"])
    html = report_html(report)
    assert "--primary: #7a1f5c" in html and "--accent: #0b5e55" in html
    assert 'font-family: "Noto Serif"' in html
    with tenant_scope(agency_a):
        pdf = report_pdf(report)
    textpage = pypdfium2.PdfDocument(pdf)[0].get_textpage()
    assert "Serif" in _font_of(textpage, 0)
