"""Dashboard pages of listening: stream, triage over htmx, queries, sources, charts, exports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from clients.tests.factories import BrandFactory
from reputation import matching
from reputation.models.mentions import Mention, SentimentCorrection
from reputation.models.queries import ListeningQuery
from reputation.models.sources import Source
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.tests.factories import ListeningQueryFactory, MentionFactory, SourceFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


def test_stream_escapes_hostile_text_and_highlights_terms(agency_a, brand_a, owner_of_a, login):
    MentionFactory(
        agency=agency_a,
        brand=brand_a,
        title='<script>alert("t")</script>',
        text='Le <img src=x onerror=alert(1)> Café Tanger "rocks"',
        matched_terms=["cafe tanger"],
    )
    body = login(owner_of_a).get("/listening/").content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<mark>Café Tanger</mark>" in body


def test_stream_filters_by_sentiment_and_search(agency_a, brand_a, owner_of_a, login):
    MentionFactory(agency=agency_a, brand=brand_a, text="Tout va bien", sentiment_label="positive")
    MentionFactory(
        agency=agency_a, brand=brand_a, text="Panne générale", sentiment_label="negative"
    )
    client = login(owner_of_a)
    body = client.get("/listening/?sentiment=negative").content.decode()
    assert "Panne générale" in body and "Tout va bien" not in body
    body = client.get("/listening/?q=bien").content.decode()
    assert "Tout va bien" in body and "Panne générale" not in body


def test_correcting_sentiment_over_htmx_returns_the_row(agency_a, brand_a, owner_of_a, login):
    mention = MentionFactory(agency=agency_a, brand=brand_a, sentiment_label="positive")
    response = login(owner_of_a).post(
        f"/listening/mentions/{mention.pk}/sentiment/",
        {"label": "negative"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="mention-{mention.pk}"' in response.content.decode()
    mention.refresh_from_db()
    assert mention.sentiment_label == "negative" and mention.sentiment_corrected
    assert SentimentCorrection.unscoped.filter(mention=mention).count() == 1


def test_triage_over_htmx(agency_a, brand_a, owner_of_a, member_of_a, login):
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    response = login(owner_of_a).post(
        f"/listening/mentions/{mention.pk}/triage/",
        {"tags": "presse, urgent", "assigned_to": member_of_a.user_id, "reviewed": ["0", "1"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    mention.refresh_from_db()
    assert mention.tags == ["presse", "urgent"]
    assert mention.assigned_to_id == member_of_a.user_id and mention.reviewed


def test_client_cannot_triage_or_manage(agency_a, brand_a, client_of_a, login):
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    client = login(client_of_a)
    assert (
        client.post(
            f"/listening/mentions/{mention.pk}/sentiment/", {"label": "negative"}
        ).status_code
        == 403
    )
    assert client.post("/listening/queries/", {"name": "x"}).status_code == 403
    assert client.get("/listening/queries/").status_code == 200


def test_client_cannot_see_another_brands_mention(agency_a, brand_a, client_of_a, login):
    other = BrandFactory(agency=agency_a, name="Autre", slug="autre")
    hidden = MentionFactory(agency=agency_a, brand=other, text="Secret de l'autre marque")
    client = login(client_of_a)
    assert "Secret de l" not in client.get("/listening/?brand=").content.decode()
    assert client.get(f"/listening/?brand={other.pk}").status_code == 200
    assert "Secret de l" not in client.get(f"/listening/?brand={other.pk}").content.decode()
    assert hidden.pk


def test_creating_a_query_with_a_bad_expression_shows_where(agency_a, brand_a, owner_of_a, login):
    with translation.override("en"):
        response = login(owner_of_a).post(
            "/listening/queries/",
            {"brand": brand_a.pk, "name": "Café", "expression": "cafe AND (tanger"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert (
        "character 10" in response.content.decode() or "caractère 10" in response.content.decode()
    )
    assert not ListeningQuery.unscoped.exists()


def test_creating_and_editing_a_query(agency_a, brand_a, owner_of_a, login):
    client = login(owner_of_a)
    response = client.post(
        "/listening/queries/",
        {
            "brand": brand_a.pk,
            "name": "Café",
            "expression": '"café tanger"',
            "excluded_words": "recrutement, emploi",
            "languages": ["fr", "ary"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    query = ListeningQuery.unscoped.get()
    assert query.excluded_words == ["recrutement", "emploi"] and query.languages == ["fr", "ary"]
    response = client.post(
        f"/listening/queries/{query.pk}/edit/",
        {"brand": brand_a.pk, "name": "Café", "expression": "tanger", "active": ""},
    )
    assert response.status_code == 302
    query.refresh_from_db()
    assert query.expression == "tanger" and not query.active


def test_adding_a_feed_and_importing_opml(
    agency_a, owner_of_a, login, eager_tasks, django_capture_on_commit_callbacks
):
    client = login(owner_of_a)
    response = client.post(
        "/listening/sources/",
        {"kind": "rss", "url": "https://le360.example/rss", "poll_interval_minutes": 15},
    )
    assert response.status_code == 302
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="Presse"><outline text="Hespress" xmlUrl="https://hespress.example/feed"/>
      <outline text="Le360" xmlUrl="https://le360.example/rss"/></outline>
      <outline text="Sans adresse"/>
      <outline text="Mauvais" xmlUrl="javascript:alert(1)"/></body></opml>"""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/listening/sources/import/",
            {"file": SimpleUploadedFile("feeds.opml", opml, content_type="text/x-opml")},
        )
    body = client.get(response["Location"]).content.decode()
    # All or nothing: the javascript: address refuses the whole file, and the page says which
    # outline; the outline without an address and the feed already followed are noted.
    assert set(Source.unscoped.values_list("url", flat=True)) == {"https://le360.example/rss"}
    assert "Sans adresse" in body and "Mauvais" in body and "Le360" in body
    opml = opml.replace(b'<outline text="Mauvais" xmlUrl="javascript:alert(1)"/>', b"")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/listening/sources/import/", {"file": SimpleUploadedFile("feeds.opml", opml)})
    assert set(Source.unscoped.values_list("url", flat=True)) == {
        "https://le360.example/rss",
        "https://hespress.example/feed",
    }


def test_opml_with_entities_is_refused(agency_a, owner_of_a, login):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>'
    response = login(owner_of_a).post(
        "/listening/sources/import/",
        {"file": SimpleUploadedFile("x.opml", bomb)},
        follow=True,
    )
    assert response.status_code == 200
    assert not Source.unscoped.exists()


def test_overview_draws_charts_and_escapes_competitor_names(agency_a, brand_a, owner_of_a, login):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    ListeningQueryFactory(
        agency=agency_a,
        brand=brand_a,
        expression="rival",
        is_competitor=True,
        competitor_name="<b>Rival</b>",
    )
    mentions_ingest(
        agency_id=agency_a.pk,
        items=[
            RawMention(external_id="1", text="Tanger est excellent", author_handle="salma"),
            RawMention(external_id="2", text="Rival est nul"),
        ],
    )
    body = login(owner_of_a).get("/listening/overview/?brand=").content.decode()
    assert body.count("<svg") >= 5
    assert "&lt;b&gt;Rival&lt;/b&gt;" in body and "<b>Rival</b>" not in body


def test_influencers_page_and_exports(agency_a, brand_a, owner_of_a, login):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    mentions_ingest(
        agency_id=agency_a.pk,
        items=[
            RawMention(
                external_id="1",
                text='=HYPERLINK("http://evil") Tanger',
                author_handle="salma",
                author_name="Salma",
                author_followers=12000,
            )
        ],
    )
    client = login(owner_of_a)
    assert "Salma" in client.get("/listening/influencers/?brand=").content.decode()
    export = client.get("/listening/export.csv?brand=").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in export and "Tanger" in export
    influencers = client.get("/listening/influencers/export.csv?brand=").content.decode()
    assert "Salma" in influencers and "12000" in influencers
    assert Mention.unscoped.count() == 1


def test_source_page_poll_now_and_delete(agency_a, owner_of_a, login):
    source = SourceFactory(agency=agency_a, last_error="timeout", consecutive_failures=2)
    client = login(owner_of_a)
    assert client.post(f"/listening/sources/{source.pk}/poll/").status_code == 302
    source.refresh_from_db()
    assert source.lease_until is None
    assert client.post(f"/listening/sources/{source.pk}/delete/").status_code == 302
    assert not Source.unscoped.exists()


def test_support_admin_lists_sources_with_their_errors(agency_a, agency_b, client):
    from agency.tests.factories import UserFactory

    SourceFactory(agency=agency_a, name="Flux A", last_error="HTTP 500")
    SourceFactory(agency=agency_b, name="Flux B")
    staff = UserFactory(email="support@example.test", is_staff=True, is_superuser=True)
    client.force_login(staff)
    body = client.get("/admin/reputation/source/").content.decode()
    assert "Flux A" in body and "Flux B" in body and "HTTP 500" in body
    assert client.get("/admin/reputation/mention/").status_code == 200
