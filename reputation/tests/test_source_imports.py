"""OPML imports run in a task, all or nothing, with progress the status page shows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from reputation.models.sources import Source, SourceImport, SourceImportState
from reputation.services.source_imports import source_import_run, source_import_start
from reputation.tests.factories import SourceFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")

PUBLIC = ["93.184.215.14"]


@pytest.fixture(autouse=True)
def _dns(settings):
    def resolve(host, port):
        return ["10.0.0.7"] if host == "intranet.example" else PUBLIC

    settings.OUTBOUND_RESOLVER = resolve


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _opml(count: int, *, bad_at: int | None = None, folder: bool = True) -> bytes:
    outlines = []
    for n in range(1, count + 1):
        url = f"https://news{n}.example/feed"
        if n == bad_at:
            url = "https://intranet.example/feed"  # resolves to a private address
        outlines.append(f'<outline type="rss" text="Journal {n}" xmlUrl="{url}"/>')
    body = "".join(outlines)
    if folder:
        body = f'<outline text="Presse">{body}</outline>'
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'.encode()


def _start(actor, data: bytes, **kwargs) -> SourceImport:
    from agency.tenancy import tenant_scope

    with tenant_scope(actor.agency_id):
        return source_import_start(actor=actor, data=data, file_name="feeds.opml", **kwargs)


def test_4000_outlines_are_all_followed_by_the_task(
    owner_of_a, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner_of_a, _opml(4000))
    job.refresh_from_db()
    assert (job.state, job.processed, job.total, job.created_count) == ("done", 4000, 4000, 4000)
    assert Source.unscoped.filter(agency=owner_of_a.agency).count() == 4000
    assert job.data in (b"", memoryview(b"")) or bytes(job.data) == b""


def test_one_bad_outline_among_4000_creates_nothing_and_is_named(
    owner_of_a, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(owner_of_a, _opml(4000, bad_at=3999))
    job.refresh_from_db()
    assert job.state == SourceImportState.FAILED
    assert job.processed == 4000 and job.error_count == 1
    assert job.errors == [
        "“Journal 3999”: This address points to a private or internal network, which is not "
        "allowed."
    ]
    assert not Source.unscoped.exists()


def test_progress_is_saved_while_the_outlines_are_checked(owner_of_a, settings):
    """The status page reads progress from another connection: it must be committed as the
    task goes, not only at the end. The resolver (the outbound guard's, which tests control)
    reads the job's progress each time it is asked for a name."""
    seen = []

    def resolve(host, port):
        seen.append(SourceImport.unscoped.values_list("processed", flat=True).get())
        return PUBLIC

    job = _start(owner_of_a, _opml(300))
    settings.OUTBOUND_RESOLVER = resolve
    source_import_run(source_import_id=job.pk)
    assert seen[0] == 0 and seen[60] == 50 and seen[-1] == 250
    assert sorted(set(seen)) == [0, 50, 100, 150, 200, 250]
    job.refresh_from_db()
    assert (job.state, job.processed) == ("done", 300)


def test_feeds_already_followed_are_passed_over_and_noted(owner_of_a, agency_a):
    SourceFactory(agency=agency_a, url="https://news2.example/feed", brand=None)
    job = _start(owner_of_a, _opml(3) + b"")
    source_import_run(source_import_id=job.pk)
    job.refresh_from_db()
    assert job.state == "done" and job.created_count == 2
    assert job.notes == ["“Journal 2”: already followed."]
    assert Source.unscoped.count() == 3


def test_an_import_runs_once(owner_of_a):
    job = _start(owner_of_a, _opml(3))
    assert source_import_run(source_import_id=job.pk) is not None
    assert source_import_run(source_import_id=job.pk) is None
    assert Source.unscoped.count() == 3


def test_too_many_feeds_is_refused_at_once_and_nothing_is_stored(owner_of_a):
    with pytest.raises(ValidationError, match="has 5001 feeds; an import may have at most 5000"):
        _start(owner_of_a, _opml(5001))
    assert not SourceImport.unscoped.exists()


def test_a_file_over_2_mib_is_refused(owner_of_a):
    with pytest.raises(ValidationError, match="larger than 2 MiB"):
        _start(owner_of_a, _opml(1) + b" " * (2 * 1024 * 1024))


def test_the_status_page_shows_progress_and_polls_until_finished(owner_of_a, login):
    client = login(owner_of_a)
    response = client.post(
        reverse("listening:sources_import"),
        {"file": SimpleUploadedFile("feeds.opml", _opml(120))},
    )
    job = SourceImport.unscoped.get()
    assert response.status_code == 302
    assert response["Location"] == f"/listening/sources/imports/{job.pk}/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 of 120 outlines checked." in page and 'hx-trigger="every 1s"' in page

    source_import_run(source_import_id=job.pk)
    part = client.get(
        response["Location"], HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<html" not in part and "hx-trigger" not in part
    assert "120 of 120 outlines checked." in part and "120 feeds are now followed." in part


def test_a_failed_import_lists_the_refused_outlines_on_its_page(owner_of_a, login):
    job = _start(owner_of_a, _opml(10, bad_at=4))
    source_import_run(source_import_id=job.pk)
    page = (
        login(owner_of_a)
        .get(f"/listening/sources/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Nothing was imported: 1 outline is refused." in page
    assert "Journal 4" in page


def test_another_agencys_import_is_not_found(owner_of_a, owner_of_b, login):
    job = _start(owner_of_a, _opml(2))
    assert login(owner_of_b).get(f"/listening/sources/imports/{job.pk}/").status_code == 404


def test_a_client_cannot_start_an_import(client_of_a, login):
    response = login(client_of_a).post(
        reverse("listening:sources_import"), {"file": SimpleUploadedFile("f.opml", _opml(2))}
    )
    assert response.status_code == 403
    assert not SourceImport.unscoped.exists()


def test_outlines_with_only_a_site_address_follow_the_feed_its_page_announces(owner_of_a):
    import respx

    page = (
        '<!doctype html><html><head><link rel="alternate" type="application/rss+xml" '
        'href="/feed/"></head></html>'
    )
    opml = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline text="Blog" htmlUrl="https://blog.example/"/>'
        b'<outline text="Vitrine" htmlUrl="https://vitrine.example/"/>'
        b'<outline text="Journal" xmlUrl="https://news.example/rss"/>'
        b"</body></opml>"
    )
    job = _start(owner_of_a, opml)
    with respx.mock(assert_all_called=True) as mock:
        mock.get("https://blog.example/").respond(200, text=page)
        mock.get("https://vitrine.example/").respond(200, text="<!doctype html><p>Bonjour</p>")
        source_import_run(source_import_id=job.pk)

    job.refresh_from_db()
    assert job.state == SourceImportState.DONE, job.errors
    assert set(Source.unscoped.values_list("url", flat=True)) == {
        "https://blog.example/feed/",
        "https://news.example/rss",
    }
    notes = " ".join(job.notes)
    assert "“Blog”: the feed https://blog.example/feed/ found on https://blog.example/" in notes
    assert "“Vitrine”: its page announces no feed." in notes
