"""A run from "run now" to its PDF and e-mail, in this process: its progress, the stored PDF,
the e-mail in the brand's language with the PDF and the signed link, the web version behind
the link (404 for a bad token, 410 once expired), failures with their reason and the retry,
a second delivery of the message, and the sweep of runs whose worker or message was lost."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from agency.tenancy import tenant_scope
from analytics.periods import Period
from clients.tests.factories import BrandFactory
from reports.models import ReportRun, RunState, RunStep
from reports.selectors.runs import RUN_LINK_SALT, run_from_token, run_web_url
from reports.services.runs import run_request, run_retry, runs_sweep_across_agencies
from reports.tasks import generate_report

pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2026, 11)


def _request(actor, brand, template, **kwargs) -> ReportRun:
    with tenant_scope(actor.agency_id):
        return run_request(actor=actor, brand=brand, template=template, **kwargs)


def _generate(run) -> str:
    return generate_report(agency_id=run.agency_id, run_id=run.pk)


def _fresh(run) -> ReportRun:
    return ReportRun.unscoped.get(pk=run.pk)


def test_a_run_ends_done_with_its_pdf_stored_and_e_mailed_in_the_brands_language(
    owner_of_a, agency_a, template_a
):
    brand = BrandFactory(agency=agency_a, name="Café Tanger FR", languages=["fr"])
    run = _request(
        owner_of_a,
        brand,
        template_a,
        period=NOVEMBER,
        recipients=["Salma@Client.test", "direction@client.test"],
    )
    assert (run.state, run.progress, run.step) == (RunState.QUEUED, 0, RunStep.WAITING)
    assert run.language == "fr"

    assert _generate(run) == RunState.DONE
    run = _fresh(run)
    assert (run.state, run.progress, run.step) == (RunState.DONE, 100, RunStep.FINISHED)
    assert run.pdf.name.endswith(".pdf") and run.attempts == 1
    with run.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert run.emailed_at is not None and run.finished_at is not None

    assert sorted(m.to[0] for m in mail.outbox) == ["direction@client.test", "salma@client.test"]
    message = mail.outbox[0]
    assert len(message.to) == 1  # one message each: no one sees the others' addresses
    assert "Café Tanger FR" in message.subject and "rapport" in message.subject.lower()
    assert agency_a.name in message.from_email
    [(filename, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf" and content[:5] == b"%PDF-"
    assert filename == "cafe-tanger-fr-2026-11-01-2026-11-30.pdf"
    # The link names this run (its token is signed with the second it was made: compare the
    # run it opens, not the text, which a second's tick would change).
    token = re.search(r"/r/([^/\s]+)/", message.body).group(1)
    assert run_from_token(token).pk == run.pk


def test_the_web_version_opens_with_the_signed_link_and_not_with_a_bad_one(
    client, owner_of_a, brand_a, template_a
):
    run = _request(owner_of_a, brand_a, template_a, period=NOVEMBER)
    _generate(run)
    run = _fresh(run)
    with tenant_scope(run.agency_id):
        url = run_web_url(run)
    response = client.get(url)
    assert response.status_code == 200
    assert brand_a.name in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"

    token = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("reports:run_web", args=[token[:-2] + "xx"])).status_code == 404
    forged = signing.dumps({"r": run.pk + 1000, "a": run.agency_id}, salt=RUN_LINK_SALT)
    assert client.get(reverse("reports:run_web", args=[forged])).status_code == 404
    other_salt = signing.dumps({"r": run.pk, "a": run.agency_id}, salt="campaigns.share-link")
    assert client.get(reverse("reports:run_web", args=[other_salt])).status_code == 404

    ReportRun.unscoped.filter(pk=run.pk).update(link_expires_at=timezone.now())
    expired = client.get(url)
    assert expired.status_code == 410
    with translation.override("fr"):
        reason = gettext("This link has expired. Ask your agency for the report again.")
    assert escape(reason) in expired.content.decode()


def test_a_run_whose_template_was_deleted_fails_with_the_reason_and_can_be_retried(
    owner_of_a, brand_a, template_a
):
    run = _request(owner_of_a, brand_a, template_a, period=NOVEMBER)
    ReportRun.unscoped.filter(pk=run.pk).update(template=None)
    assert _generate(run) == RunState.FAILED
    run = _fresh(run)
    with translation.override("fr"):  # the agency's language
        reason = gettext("The template of this report was deleted; start a run from another one.")
    assert run.state == RunState.FAILED and run.error == reason and run.finished_at
    assert not run.pdf

    with tenant_scope(run.agency_id):
        run = run_retry(actor=owner_of_a, run=run)
    assert (run.state, run.error, run.progress, run.attempts) == (RunState.QUEUED, "", 0, 0)
    with tenant_scope(run.agency_id), pytest.raises(ValidationError):
        run_retry(actor=owner_of_a, run=run)  # only a failed run


def test_a_second_delivery_of_the_message_makes_nothing_twice(owner_of_a, brand_a, template_a):
    run = _request(owner_of_a, brand_a, template_a, period=NOVEMBER, recipients=["a@b.test"])
    assert _generate(run) == RunState.DONE
    first_pdf = _fresh(run).pdf.name
    assert _generate(run) == RunState.DONE  # the redelivered message finds it done
    assert _fresh(run).pdf.name == first_pdf and _fresh(run).attempts == 1
    assert len(mail.outbox) == 1


def test_the_sweep_queues_again_a_run_whose_worker_died_and_fails_it_after_three_deaths(
    owner_of_a, brand_a, template_a
):
    run = _request(owner_of_a, brand_a, template_a, period=NOVEMBER)
    past = timezone.now() - dt.timedelta(minutes=1)
    ReportRun.unscoped.filter(pk=run.pk).update(
        state=RunState.RENDERING, lease_until=past, attempts=1
    )
    assert runs_sweep_across_agencies() == 1
    assert _fresh(run).state == RunState.QUEUED
    # A queued run whose message was lost is queued again once its grace is over.
    ReportRun.unscoped.filter(pk=run.pk).update(lease_until=past)
    assert runs_sweep_across_agencies() == 1
    assert _fresh(run).lease_until > timezone.now()

    ReportRun.unscoped.filter(pk=run.pk).update(
        state=RunState.RENDERING, lease_until=past, attempts=3
    )
    assert runs_sweep_across_agencies() == 1
    run = _fresh(run)
    assert run.state == RunState.FAILED and "3" in run.error


def test_an_e_mailed_run_that_is_made_again_is_not_e_mailed_again(owner_of_a, brand_a, template_a):
    run = _request(owner_of_a, brand_a, template_a, period=NOVEMBER, recipients=["a@b.test"])
    ReportRun.unscoped.filter(pk=run.pk).update(emailed_at=timezone.now())  # sent, then died
    assert _generate(run) == RunState.DONE
    assert mail.outbox == []


def test_run_now_refuses_bad_addresses_client_roles_and_another_agencys_template(
    owner_of_a, client_of_a, brand_a, template_a, agency_b
):
    from reports.tests.factories import ReportTemplateFactory

    with pytest.raises(ValidationError) as refused:
        _request(owner_of_a, brand_a, template_a, recipients=["not-an-address"])
    assert "recipients" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        _request(client_of_a, brand_a, template_a)
    with pytest.raises(ValidationError) as refused:
        _request(owner_of_a, brand_a, ReportTemplateFactory(agency=agency_b))
    assert "template" in refused.value.message_dict
    assert not ReportRun.unscoped.exists()


def test_run_now_covers_the_templates_period_on_the_brands_calendar(
    owner_of_a, brand_a, template_a
):
    run = _request(owner_of_a, brand_a, template_a)
    today = timezone.now().astimezone(ZoneInfo(brand_a.time_zone)).date()
    expected = template_a.period_on(today)
    assert (run.period_start, run.period_end) == (expected.start, expected.end)


def test_the_web_version_behind_the_link_shows_the_agencys_logo_to_a_reader_not_signed_in(
    client, owner_of_a, brand_a, template_a, agency_logo
):
    run = _request(owner_of_a, brand_a, template_a, period=NOVEMBER)
    _generate(run)
    with tenant_scope(run.agency_id):
        url = run_web_url(_fresh(run))
    page = client.get(url).content.decode()
    # Written into the page: the media URL would answer this reader 404.
    assert 'class="agency-logo"' in page and 'src="data:image/png;base64,' in page
    assert "/media/" not in page


def test_the_web_version_and_the_data_stay_what_the_pdf_said_when_figures_change_later(
    owner_of_a, agency_a, brand_a, november, media_root
):
    from analytics.models import AccountMetricDay, PostMetricDay
    from reports.selectors.downloads import run_export, run_web_html
    from reports.tests.factories import ReportTemplateFactory

    template = ReportTemplateFactory(agency=agency_a, sections=["cover", "kpis"])
    run = _request(owner_of_a, brand_a, template, period=NOVEMBER)
    assert _generate(run) == RunState.DONE
    run = _fresh(run)
    with tenant_scope(run.agency_id):
        made = (run_web_html(run), run_export(run, fmt="csv"), run_export(run, fmt="xlsx"))
        # The figures are collected again (or corrected) after the report went out.
        PostMetricDay.objects.all().update(value=999_999)
        AccountMetricDay.objects.all().update(value=999_999)
        later = (run_web_html(run), run_export(run, fmt="csv"), run_export(run, fmt="xlsx"))
        assert "4" in made[1].content.decode()  # the KPIs' figures are in the data
        assert later[0] == made[0]
        assert later[1].content == made[1].content and later[2].content == made[2].content
        assert "999" not in later[1].content.decode() and "999" not in later[0]
        # A run made before these were stored is built again from today's figures.
        ReportRun.unscoped.filter(pk=run.pk).update(web_html="", data_csv="", data_xlsx="")
        rebuilt = run_export(_fresh(run), fmt="csv").content.decode()
    assert "999" in rebuilt
