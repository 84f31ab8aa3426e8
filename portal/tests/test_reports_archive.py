"""The portal's reports: the finished reports of the client's brands, on the home page and in
the archive, each readable as a web page and downloadable as its PDF; another brand's, another
agency's or an unfinished one is a 404."""

import pytest
from django.urls import reverse

from agency.tenancy import tenant_scope
from analytics.periods import Period
from clients.tests.factories import BrandFactory
from reports.models import ReportRun
from reports.services.runs import run_request
from reports.tasks import generate_report
from reports.tests.factories import ReportRunFactory, ReportTemplateFactory


@pytest.fixture
def done_run(settings, tmp_path, agency_a, brand_a, member_of_a):
    """November's report of brand_a, made by the worker's own task (a real PDF)."""
    settings.MEDIA_ROOT = tmp_path
    template = ReportTemplateFactory(agency=agency_a, name="Rapport mensuel")
    with tenant_scope(agency_a):
        run = run_request(
            actor=member_of_a, brand=brand_a, template=template, period=Period.month(2026, 11)
        )
    generate_report(agency_id=run.agency_id, run_id=run.pk)
    run = ReportRun.unscoped.get(pk=run.pk)
    assert run.state == "done" and run.pdf
    return run


def _get(client, name, *args):
    return client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="en")


def test_the_client_reads_and_downloads_its_brands_finished_reports(client_of_a, done_run, login):
    client = login(client_of_a)
    home = _get(client, "portal:home").content.decode()
    assert f'data-latest-report="{done_run.pk}"' in home
    archive = _get(client, "portal:reports").content.decode()
    assert f'data-report="{done_run.pk}"' in archive
    assert reverse("portal:reports") in archive  # the navigation's entry

    web = _get(client, "portal:report_web", done_run.pk)
    assert web.status_code == 200 and "<html" in web.content.decode()
    pdf = _get(client, "portal:report_pdf", done_run.pk)
    assert pdf.status_code == 200 and "attachment" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_another_brands_or_an_unfinished_report_is_not_the_clients(
    client_of_a, agency_a, done_run, login
):
    other_brand = BrandFactory(agency=agency_a, name="Marque voisine")
    theirs = ReportRunFactory(agency=agency_a, brand=other_brand, state="done")
    queued = ReportRunFactory(agency=agency_a, brand=done_run.brand, state="queued")
    client = login(client_of_a)
    archive = _get(client, "portal:reports").content.decode()
    assert f'data-report="{theirs.pk}"' not in archive
    assert f'data-report="{queued.pk}"' not in archive
    for run in (theirs, queued):
        assert _get(client, "portal:report_web", run.pk).status_code == 404
        assert _get(client, "portal:report_pdf", run.pk).status_code == 404


def test_without_a_finished_report_the_archive_says_so_and_home_has_no_slot(client_of_a, login):
    client = login(client_of_a)
    assert "data-latest-report" not in _get(client, "portal:home").content.decode()
    assert "No report has been sent to you yet" in _get(client, "portal:reports").content.decode()
