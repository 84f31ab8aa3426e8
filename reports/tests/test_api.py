"""The reports API: templates (read for all, write for the team), schedules (field errors by
code), runs (run now, detail with progress, retry, downloads), a client's brands only."""

import io

import pytest
from openpyxl import load_workbook

from agency.tenancy import tenant_scope
from agency.tests.factories import ApiKeyFactory
from analytics.periods import Period
from clients.tests.factories import BrandFactory
from reports.models import ReportRun, ReportSchedule, ReportTemplate, RunState
from reports.services.runs import run_request
from reports.tasks import generate_report
from reports.tests.factories import ReportRunFactory, ReportScheduleFactory

pytestmark = pytest.mark.django_db


def test_templates_are_read_by_a_read_key_and_written_by_the_team(
    api_as, agency_a, member_of_a, template_a
):
    reader = api_as(ApiKeyFactory(agency=agency_a, scope="read"))
    listed = reader.get("/api/v1/report-templates/").json()["results"]
    assert [t["name"] for t in listed] == ["Rapport mensuel"]
    assert reader.post("/api/v1/report-templates/", {"name": "x"}, format="json").status_code == 403

    team = api_as(member_of_a)
    created = team.post(
        "/api/v1/report-templates/",
        {"name": "Hebdo", "sections": ["cover", "kpis"], "period_kind": "last_week"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["sections"] == ["cover", "kpis"]
    duplicate = team.post(
        "/api/v1/report-templates/", {"name": "hebdo", "sections": ["cover"]}, format="json"
    )
    assert duplicate.status_code == 400
    bad = team.post(
        "/api/v1/report-templates/", {"name": "Autre", "sections": ["nope"]}, format="json"
    )
    assert bad.status_code == 400 and "sections" in bad.json()["error"]["fields"]
    pk = created.json()["id"]
    assert (
        team.patch(
            f"/api/v1/report-templates/{pk}/", {"commentary": "Bravo"}, format="json"
        ).json()["commentary"]
        == "Bravo"
    )
    assert team.delete(f"/api/v1/report-templates/{pk}/").status_code == 204
    assert not ReportTemplate.unscoped.filter(pk=pk).exists()


def test_a_schedule_is_created_with_its_next_firing_and_bad_fields_are_named(
    api_as, member_of_a, brand_a, template_a
):
    api = api_as(member_of_a)
    payload = {
        "brand": brand_a.pk,
        "template": template_a.pk,
        "frequency": "weekly",
        "weekday": 0,
        "hour": 9,
        "extra_recipients": ["Direction@Client.test"],
    }
    created = api.post("/api/v1/report-schedules/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["extra_recipients"] == ["direction@client.test"] and body["next_run_at"]

    no_day = api.post("/api/v1/report-schedules/", {**payload, "weekday": None}, format="json")
    assert no_day.status_code == 400 and "weekday" in no_day.json()["error"]["fields"]
    bad_hour = api.post("/api/v1/report-schedules/", {**payload, "hour": 24}, format="json")
    assert bad_hour.status_code == 400 and "hour" in bad_hour.json()["error"]["fields"]
    bad_mail = api.post(
        "/api/v1/report-schedules/", {**payload, "extra_recipients": ["x"]}, format="json"
    )
    assert bad_mail.status_code == 400
    assert "extra_recipients" in bad_mail.json()["error"]["fields"]
    assert ReportSchedule.unscoped.count() == 1

    pk = body["id"]
    paused = api.patch(f"/api/v1/report-schedules/{pk}/", {"active": False}, format="json")
    assert paused.json()["next_run_at"] is None


def test_run_now_through_the_api_then_its_progress_and_its_downloads(
    api_as, member_of_a, brand_a, template_a
):
    api = api_as(member_of_a)
    created = api.post(
        "/api/v1/report-runs/",
        {
            "brand": brand_a.pk,
            "template": template_a.pk,
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    run = created.json()
    assert (run["state"], run["progress"], run["step"]) == ("queued", 0, "waiting")
    assert run["downloads"] == {}

    generate_report(agency_id=brand_a.agency_id, run_id=run["id"])
    detail = api.get(f"/api/v1/report-runs/{run['id']}/").json()
    assert (detail["state"], detail["progress"]) == ("done", 100)
    assert set(detail["downloads"]) == {"pdf", "csv", "xlsx"}

    pdf = api.get(f"/api/v1/report-runs/{run['id']}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    csv_export = api.get(f"/api/v1/report-runs/{run['id']}/csv/")
    assert csv_export.status_code == 200 and csv_export["Content-Type"].startswith("text/csv")
    xlsx = api.get(f"/api/v1/report-runs/{run['id']}/xlsx/")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_run_now_refuses_a_reversed_period_by_field(api_as, member_of_a, brand_a, template_a):
    api = api_as(member_of_a)
    refused = api.post(
        "/api/v1/report-runs/",
        {
            "brand": brand_a.pk,
            "template": template_a.pk,
            "period_start": "2026-11-30",
            "period_end": "2026-11-01",
        },
        format="json",
    )
    assert refused.status_code == 400 and "period_end" in refused.json()["error"]["fields"]
    half = api.post(
        "/api/v1/report-runs/",
        {"brand": brand_a.pk, "template": template_a.pk, "period_start": "2026-11-01"},
        format="json",
    )
    assert half.status_code == 400 and "period_end" in half.json()["error"]["fields"]
    assert not ReportRun.unscoped.exists()


def test_a_failed_run_is_retried_through_the_api(api_as, member_of_a, brand_a, agency_a):
    run = ReportRunFactory(agency=agency_a, brand=brand_a, state=RunState.FAILED, error="x")
    api = api_as(member_of_a)
    retried = api.post(f"/api/v1/report-runs/{run.pk}/retry/")
    assert retried.status_code == 200 and retried.json()["state"] == "queued"
    again = api.post(f"/api/v1/report-runs/{run.pk}/retry/")
    assert again.status_code == 400 and "state" in again.json()["error"]["fields"]


def test_a_client_api_caller_sees_only_their_brands_runs_and_schedules(
    api_as, client_of_a, agency_a, brand_a, template_a
):
    other = BrandFactory(agency=agency_a, name="Marque Voisine")
    mine = ReportRunFactory(agency=agency_a, brand=brand_a, template=template_a)
    theirs = ReportRunFactory(agency=agency_a, brand=other, template=template_a)
    ReportScheduleFactory(agency=agency_a, brand=other, template=template_a)
    api = api_as(client_of_a)
    assert [r["id"] for r in api.get("/api/v1/report-runs/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/report-runs/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/report-runs/{theirs.pk}/pdf/").status_code == 404
    assert api.get("/api/v1/report-schedules/").json()["results"] == []
    refused = api.post(
        "/api/v1/report-runs/", {"brand": brand_a.pk, "template": template_a.pk}, format="json"
    )
    assert refused.status_code == 403


def test_a_run_of_a_client_brand_is_downloadable_by_that_client(
    api_as, client_of_a, owner_of_a, brand_a, template_a
):
    with tenant_scope(owner_of_a.agency_id):
        run = run_request(
            actor=owner_of_a, brand=brand_a, template=template_a, period=Period.month(2026, 10)
        )
    generate_report(agency_id=run.agency_id, run_id=run.pk)
    pdf = api_as(client_of_a).get(f"/api/v1/report-runs/{run.pk}/pdf/")
    assert pdf.status_code == 200
