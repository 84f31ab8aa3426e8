"""A report previewed for a brand: the web page and the PDF; a client viewer of one brand
cannot open another brand's report (404), nor another agency's template."""

import pytest
from django.urls import reverse

from agency.models import Role
from agency.tests.factories import BrandAccessFactory
from clients.tests.factories import BrandFactory
from reports.tests.factories import ReportTemplateFactory


@pytest.fixture
def viewer_of_x(agency_a, brand_a, member_factory):
    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    return viewer


def _urls(template, brand):
    kwargs = {"report_template_id": template.pk, "brand_id": brand.pk}
    return reverse("reports:report_preview", kwargs=kwargs), reverse(
        "reports:report_pdf", kwargs=kwargs
    )


def test_a_client_viewer_sees_the_report_of_their_brand(viewer_of_x, login, agency_a, brand_a):
    template = ReportTemplateFactory(agency=agency_a, sections=["cover", "summary"])
    page, pdf = _urls(template, brand_a)
    client = login(viewer_of_x)
    response = client.get(page)
    assert response.status_code == 200
    assert brand_a.name in response.content.decode()
    download = client.get(pdf)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


def test_a_client_viewer_of_brand_x_cannot_see_brand_ys_report(viewer_of_x, login, agency_a):
    brand_y = BrandFactory(agency=agency_a, name="Atlas Télécom")
    template = ReportTemplateFactory(agency=agency_a, sections=["cover"])
    page, pdf = _urls(template, brand_y)
    client = login(viewer_of_x)
    assert client.get(page).status_code == 404
    assert client.get(pdf).status_code == 404


def test_another_agencys_brand_or_template_is_not_found(
    member_of_a, login, agency_a, brand_a, agency_b, brand_b
):
    ours = ReportTemplateFactory(agency=agency_a, sections=["cover"])
    theirs = ReportTemplateFactory(agency=agency_b, sections=["cover"])
    client = login(member_of_a)
    for url in (*_urls(ours, brand_b), *_urls(theirs, brand_a)):
        assert client.get(url).status_code == 404


def test_a_wrong_period_in_the_address_is_reported_not_a_failure(
    member_of_a, login, agency_a, brand_a
):
    template = ReportTemplateFactory(agency=agency_a, sections=["cover"])
    page, _pdf = _urls(template, brand_a)
    response = login(member_of_a).get(page, {"preset": "custom", "start": "2026-13-01"})
    assert response.status_code == 200
    assert "2026-13-01" in response.content.decode()


def test_a_chosen_period_replaces_the_templates(member_of_a, login, agency_a, brand_a):
    template = ReportTemplateFactory(agency=agency_a, sections=["cover"], language="en")
    page, pdf = _urls(template, brand_a)
    params = {"preset": "custom", "start": "2026-06-01", "end": "2026-06-30", "compare": "none"}
    response = login(member_of_a).get(page, params)
    body = response.content.decode()
    assert "June 1, 2026" in body and "June 30, 2026" in body
    assert "compared with" not in body
    download = login(member_of_a).get(pdf, params)
    assert download.status_code == 200
