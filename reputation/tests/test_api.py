"""The listening API: queries, sources, mentions, authors, statistics. Query counts asserted."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from agency.tests.factories import ApiKeyFactory
from clients.tests.factories import BrandFactory
from reputation import matching
from reputation.models.mentions import Mention, SentimentCorrection
from reputation.models.queries import ListeningQuery
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.tests.factories import (
    AuthorFactory,
    ListeningQueryFactory,
    MentionFactory,
    SourceFactory,
)

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


def test_create_query_with_an_invalid_expression_names_the_character(owner_of_a, brand_a, api_as):
    with translation.override("en"):
        response = api_as(owner_of_a).post(
            "/api/v1/listening/queries/",
            {"brand": brand_a.pk, "name": "Café", "expression": "(café OR tanger"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["expression"][0]
    assert "character 1" in message


def test_create_update_and_delete_a_query(owner_of_a, brand_a, api_as):
    client = api_as(owner_of_a)
    created = client.post(
        "/api/v1/listening/queries/",
        {
            "brand": brand_a.pk,
            "name": "Concurrent",
            "expression": '"café maure"',
            "is_competitor": True,
            "competitor_name": "Café Maure",
            "languages": ["fr", "ary"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    query_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/listening/queries/{query_id}/", {"active": False}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert client.delete(f"/api/v1/listening/queries/{query_id}/").status_code == 204
    assert not ListeningQuery.unscoped.filter(pk=query_id).exists()


def test_query_for_a_brand_of_another_agency_is_refused(owner_of_a, brand_b, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/listening/queries/",
        {"brand": brand_b.pk, "name": "x", "expression": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "brand" in response.json()["error"]["fields"]


def test_sources_show_their_last_error(owner_of_a, agency_a, api_as):
    SourceFactory(
        agency=agency_a, last_error="HTTP 404 from https://x.test", consecutive_failures=3
    )
    rows = api_as(owner_of_a).get("/api/v1/listening/sources/").json()["results"]
    assert rows[0]["last_error"].startswith("HTTP 404") and rows[0]["consecutive_failures"] == 3


def test_create_a_feed_source_and_refuse_a_bad_address(owner_of_a, api_as):
    client = api_as(owner_of_a)
    ok = client.post(
        "/api/v1/listening/sources/",
        {"kind": "rss", "url": "https://le360.example/rss"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    again = client.post(
        "/api/v1/listening/sources/",
        {"kind": "rss", "url": "https://le360.example/rss"},
        format="json",
    )
    assert again.status_code == 400
    bad = client.post(
        "/api/v1/listening/sources/", {"kind": "rss", "url": "file:///etc/passwd"}, format="json"
    )
    assert bad.status_code == 400 and "url" in bad.json()["error"]["fields"]


def _mentions(agency, brand, n):
    author = AuthorFactory(agency=agency)
    source = SourceFactory(agency=agency)
    return [
        MentionFactory(agency=agency, brand=brand, author=author, source=source) for _ in range(n)
    ]


def test_mention_list_pages_with_a_cursor_in_a_fixed_number_of_queries(
    owner_of_a, agency_a, brand_a, api_as, django_assert_max_num_queries
):
    _mentions(agency_a, brand_a, 7)
    client = api_as(owner_of_a)
    with django_assert_max_num_queries(8):
        first = client.get("/api/v1/listening/mentions/?page_size=5").json()
    assert len(first["results"]) == 5 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and not second["next"]
    ids = [m["id"] for m in first["results"] + second["results"]]
    assert len(set(ids)) == 7
    # Same number of queries for more rows: no query per mention.
    _mentions(agency_a, brand_a, 30)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/listening/mentions/?page_size=40").json()["results"]) == 37


def test_mention_filters(owner_of_a, agency_a, brand_a, api_as):
    other = BrandFactory(agency=agency_a, name="Autre", slug="autre")
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    query = ListeningQueryFactory(agency=agency_a, brand=other, expression="rabat")
    mentions_ingest(
        agency_id=agency_a.pk,
        items=[
            RawMention(external_id="1", text="Tanger est génial !"),
            RawMention(external_id="2", text="Rabat, service nul et décevant"),
            RawMention(
                external_id="3",
                text="Rabat is great",
                published_at=datetime(2026, 1, 5, tzinfo=UTC),
            ),
        ],
    )
    client = api_as(owner_of_a)

    def ids(query_string):
        rows = client.get(f"/api/v1/listening/mentions/?{query_string}").json()["results"]
        return sorted(r["external_id"] for r in rows)

    assert ids(f"brand={brand_a.pk}") == ["1"]
    assert ids(f"query={query.pk}") == ["2", "3"]
    assert ids("sentiment=negative") == ["2"]
    assert ids("language=en") == ["3"]
    assert ids("since=2026-02-01T00:00:00Z") == ["1", "2"]
    assert ids("q=service décevant") == ["2"]


def test_correct_sentiment_keeps_the_analysers_verdict(owner_of_a, agency_a, brand_a, api_as):
    mention = MentionFactory(agency=agency_a, brand=brand_a, sentiment_label="positive")
    response = api_as(owner_of_a).post(
        f"/api/v1/listening/mentions/{mention.pk}/sentiment/", {"label": "negative"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["sentiment_label"] == "negative"
    assert response.json()["sentiment_corrected"] is True
    correction = SentimentCorrection.unscoped.get(mention=mention)
    assert (correction.previous_label, correction.label) == ("positive", "negative")


def test_triage_tags_assigns_and_reviews(owner_of_a, member_of_a, agency_a, brand_a, api_as):
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    response = api_as(owner_of_a).post(
        f"/api/v1/listening/mentions/{mention.pk}/triage/",
        {"tags": ["presse", "Presse", "SAV"], "assigned_to": member_of_a.user_id, "reviewed": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["tags"] == ["presse", "SAV"]
    assert body["assigned_to"] == member_of_a.user_id and body["reviewed"] is True


def test_triage_refuses_to_assign_to_a_client(owner_of_a, client_of_a, agency_a, brand_a, api_as):
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    response = api_as(owner_of_a).post(
        f"/api/v1/listening/mentions/{mention.pk}/triage/",
        {"assigned_to": client_of_a.user_id},
        format="json",
    )
    assert response.status_code == 400


def test_client_sees_only_their_brands_mentions_authors_and_statistics(
    client_of_a, agency_a, brand_a, api_as
):
    other = BrandFactory(agency=agency_a, name="Autre", slug="autre")
    mine = MentionFactory(agency=agency_a, brand=brand_a)
    theirs = MentionFactory(agency=agency_a, brand=other)
    client = api_as(client_of_a)
    rows = client.get("/api/v1/listening/mentions/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert client.get(f"/api/v1/listening/mentions/{theirs.pk}/").status_code == 404
    authors = client.get("/api/v1/listening/authors/").json()["results"]
    assert [a["id"] for a in authors] == [mine.author_id]
    assert (
        client.post(
            f"/api/v1/listening/mentions/{mine.pk}/sentiment/", {"label": "negative"}, format="json"
        ).status_code
        == 403
    )


def test_statistics(owner_of_a, agency_a, brand_a, api_as, django_assert_max_num_queries):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    ListeningQueryFactory(
        agency=agency_a,
        brand=brand_a,
        expression="maure",
        is_competitor=True,
        competitor_name="Café Maure",
    )
    mentions_ingest(
        agency_id=agency_a.pk,
        items=[
            RawMention(external_id="1", text="Tanger est excellent !", author_handle="a"),
            RawMention(external_id="2", text="Tanger : service nul", author_handle="b"),
            RawMention(external_id="3", text="Le café Maure est top"),
        ],
    )
    client = api_as(ApiKeyFactory(agency=agency_a, scope="read"))
    with django_assert_max_num_queries(10):
        body = client.get(f"/api/v1/listening/statistics/?brand={brand_a.pk}&days=7").json()
    assert body["totals"]["volume"] == 2
    assert body["totals"]["positive"] == 1 and body["totals"]["negative"] == 1
    voices = {row["voice"]: row["volume"] for row in body["share_of_voice"]}
    assert voices == {"": 2, "Café Maure": 1}
    assert 0 <= body["reputation_score"] <= 100
    assert len(body["top_authors"]) == 2
    assert Mention.unscoped.count() == 3
