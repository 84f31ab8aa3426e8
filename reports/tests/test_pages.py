"""The reports pages: the history (agency-wide, per brand), run now, a run's page polled with
htmx for its step and percentage, the retry button, the downloads, and a client who sees only
their brands' reports."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook

from agency.tenancy import tenant_scope
from analytics.periods import Period
from clients.tests.factories import BrandFactory
from reports.models import ReportRun, ReportSchedule, RunState
from reports.services.runs import run_request
from reports.tasks import generate_report
from reports.tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def fr(text: str) -> str:
    """The page's words: agency A works in French."""
    with translation.override("fr"):
        return gettext(text)


def _done_run(actor, brand, template) -> ReportRun:
    with tenant_scope(actor.agency_id):
        run = run_request(
            actor=actor, brand=brand, template=template, period=Period.month(2026, 11)
        )
    generate_report(agency_id=run.agency_id, run_id=run.pk)
    return ReportRun.unscoped.get(pk=run.pk)


def test_run_now_queues_a_run_and_opens_its_page_which_polls_its_progress(
    member_of_a, brand_a, template_a, login
):
    client = login(member_of_a)
    response = client.post(
        reverse("reports:run_now", args=[brand_a.pk]), {"template": template_a.pk}
    )
    run = ReportRun.unscoped.get(brand=brand_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="{reverse("reports:run_progress", args=[run.pk])}"' in page
    assert 'data-step="waiting"' in page and escape(fr("Waiting for a worker")) in page

    ReportRun.unscoped.filter(pk=run.pk).update(
        state=RunState.RENDERING, step="rendering_pdf", progress=45
    )
    poll = client.get(reverse("reports:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    body = poll.content.decode()
    assert escape(fr("Making the PDF")) in body and "45 %" in body
    assert 'hx-trigger="every 2s"' in body
    assert "HX-Refresh" not in poll

    ReportRun.unscoped.filter(pk=run.pk).update(state=RunState.DONE, progress=100)
    done = client.get(reverse("reports:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_a_failed_run_shows_why_and_a_retry_button_that_queues_it_again(
    member_of_a, brand_a, agency_a, login
):
    run = ReportRunFactory(
        agency=agency_a, brand=brand_a, state=RunState.FAILED, error="Le serveur SMTP a refusé."
    )
    client = login(member_of_a)
    page = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert "Le serveur SMTP a refusé." in page
    assert reverse("reports:run_retry", args=[run.pk]) in page
    client.post(reverse("reports:run_retry", args=[run.pk]))
    assert ReportRun.unscoped.get(pk=run.pk).state == RunState.QUEUED


def test_a_done_runs_pdf_csv_and_xlsx_download(member_of_a, brand_a, template_a, login):
    run = _done_run(member_of_a, brand_a, template_a)
    client = login(member_of_a)
    page = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    for name in ("run_pdf", "run_csv", "run_xlsx"):
        assert reverse(f"reports:{name}", args=[run.pk]) in page

    pdf = client.get(reverse("reports:run_pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert "attachment" in pdf["Content-Disposition"]

    exported = client.get(reverse("reports:run_csv", args=[run.pk]))
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows and rows[0]

    workbook = client.get(reverse("reports:run_xlsx", args=[run.pk]))
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames


def test_a_run_not_done_has_no_downloads(member_of_a, brand_a, agency_a, login):
    run = ReportRunFactory(agency=agency_a, brand=brand_a, state=RunState.RENDERING)
    client = login(member_of_a)
    for name in ("run_pdf", "run_csv", "run_xlsx"):
        assert client.get(reverse(f"reports:{name}", args=[run.pk])).status_code == 404


def test_a_client_sees_only_their_brands_reports_and_cannot_run_one(
    client_of_a, agency_a, brand_a, template_a, login
):
    other_brand = BrandFactory(agency=agency_a, name="Marque Voisine")
    mine = ReportRunFactory(agency=agency_a, brand=brand_a, template=template_a)
    theirs = ReportRunFactory(agency=agency_a, brand=other_brand, template=template_a)
    client = login(client_of_a)
    history = client.get(reverse("reports:runs")).content.decode()
    assert reverse("reports:run", args=[mine.pk]) in history
    assert reverse("reports:run", args=[theirs.pk]) not in history
    assert client.get(reverse("reports:run", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("reports:brand_reports", args=[other_brand.pk])).status_code == 404
    page = client.get(reverse("reports:brand_reports", args=[brand_a.pk])).content.decode()
    assert reverse("reports:run_now", args=[brand_a.pk]) not in page
    refused = client.post(reverse("reports:run_now", args=[brand_a.pk]), {"template": 1})
    assert refused.status_code == 403


def test_a_schedule_is_added_from_the_brands_page_and_a_bad_address_is_named(
    member_of_a, brand_a, template_a, login
):
    client = login(member_of_a)
    form = {
        "template": template_a.pk,
        "frequency": "weekly",
        "weekday": "0",
        "hour": "9",
        "contacts": "all",
        "extra_recipients": "direction@client.test\nnot-an-address",
        "active": "on",
    }
    response = client.post(reverse("reports:schedule_new", args=[brand_a.pk]), form, follow=True)
    expected = fr("“%(email)s” is not an e-mail address.") % {"email": "not-an-address"}
    assert escape(expected) in response.content.decode()
    assert not ReportSchedule.unscoped.exists()

    form["extra_recipients"] = "Direction@Client.test"
    client.post(reverse("reports:schedule_new", args=[brand_a.pk]), form)
    schedule = ReportSchedule.unscoped.get(brand=brand_a)
    assert schedule.extra_recipients == ["direction@client.test"]
    assert schedule.next_run_at is not None
    page = client.get(reverse("reports:brand_reports", args=[brand_a.pk])).content.decode()
    assert reverse("reports:schedule_edit", args=[schedule.pk]) in page

    form["active"] = ""
    client.post(reverse("reports:schedule_edit", args=[schedule.pk]), form)
    schedule.refresh_from_db()
    assert not schedule.active and schedule.next_run_at is None
    client.post(reverse("reports:schedule_delete", args=[schedule.pk]))
    assert not ReportSchedule.unscoped.exists()
