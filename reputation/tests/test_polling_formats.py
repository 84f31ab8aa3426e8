"""Sources in other formats through the real pipeline: a poll with the remote faked at the
transport (respx), mentions stored. JSON Feed here; autodiscovery, Discourse and Reddit in
their own modules."""

import json
from pathlib import Path

import pytest
import respx

from reputation import matching
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import ListeningQueryFactory, SourceFactory

pytestmark = pytest.mark.usefixtures("in_agency_a")

FIXTURES = Path(__file__).resolve().parents[2] / "networks" / "tests" / "fixtures"
FEED_URL = "https://yasmine.example/feed.json"


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


@respx.mock
def test_a_json_feed_source_is_polled_into_mentions(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    respx.get(FEED_URL).respond(
        200,
        content=(FIXTURES / "jsonfeed_1_1.json").read_bytes(),
        headers={"Content-Type": "application/feed+json", "ETag": '"j1"'},
    )
    source = SourceFactory(agency=agency_a, url=FEED_URL)

    outcome = source_poll(source=source)

    assert outcome.status == "ok", outcome.error
    mention = Mention.unscoped.get()
    assert mention.brand == brand_a
    assert mention.url == "https://yasmine.example/2026/11/cafe-tanger"
    assert "alert" not in mention.text  # the pipeline cleaned the item's HTML
    assert mention.language == "fr"
    source.refresh_from_db()
    assert source.etag == '"j1"'


@respx.mock
def test_a_malformed_json_feed_is_an_error_on_the_source_not_a_crash(agency_a):
    document = json.loads((FIXTURES / "jsonfeed_1_1.json").read_text())
    document["items"][0]["title"] = {"not": "text"}
    respx.get(FEED_URL).respond(200, json=document)
    source = SourceFactory(agency=agency_a, url=FEED_URL)

    outcome = source_poll(source=source)

    source.refresh_from_db()
    assert outcome.status == "failed"
    assert "items[0].title must be a string" in source.last_error
    assert source.consecutive_failures == 1
    assert not Mention.unscoped.exists()
