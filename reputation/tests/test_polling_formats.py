"""Sources in other formats through the real pipeline: a poll with the remote faked at the
transport (respx), mentions stored. JSON Feed here; autodiscovery, Discourse and Reddit in
their own modules."""

import json
from pathlib import Path

import pytest
import respx

from reputation import matching
from reputation.models.mentions import Mention
from reputation.models.sources import Source
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


# --- Discourse ------------------------------------------------------------------------------

FORUM = "https://forum.example"


def _load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_a_discourse_search_source_is_polled_into_mentions_from_its_cursor(
    agency_a, brand_a, owner_of_a, api_as, settings
):
    settings.OUTBOUND_RESOLVER = lambda host, port: ["93.184.215.14"]
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    created = api_as(owner_of_a).post(
        "/api/v1/listening/sources/",
        {"kind": "discourse", "url": f"{FORUM}/latest", "search_terms": "café tanger"},
        format="json",
    )
    assert created.status_code == 201, created.content
    source = Source.objects.get(pk=created.json()["id"])

    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(f"{FORUM}/search.json").respond(json=_load("discourse_search.json"))
        assert source_poll(source=source).status == "ok"
        source.refresh_from_db()
        assert source.cursor == "1048"
        assert source_poll(source=source).status == "ok"  # nothing newer: nothing stored twice

    assert route.call_count == 2
    mentions = {m.url: m for m in Mention.unscoped.select_related("author")}
    assert set(mentions) == {
        f"{FORUM}/t/ou-boire-un-bon-cafe-a-fes/311/4",
        f"{FORUM}/t/livraison-cafe-tanger/298/1",
    }
    salma = mentions[f"{FORUM}/t/ou-boire-un-bon-cafe-a-fes/311/4"]
    assert salma.author.handle == "salma@forum.example"
    assert salma.author.network == "discourse"
    assert salma.published_at.isoformat() == "2026-11-20T10:00:00+00:00"


@respx.mock
def test_a_discourse_source_without_terms_reads_the_latest_posts_without_quotes(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    respx.get(f"{FORUM}/posts.json").respond(json=_load("discourse_posts.json"))
    source = SourceFactory(agency=agency_a, kind="discourse", url=FORUM, search_terms="")

    assert source_poll(source=source).status == "ok"

    mentions = {m.url: m for m in Mention.unscoped.all()}
    assert set(mentions) == {
        f"{FORUM}/t/reouverture/330/1",
        f"{FORUM}/t/livraison-cafe-tanger/298/2",  # its topic's title names the brand
    }
    reply = mentions[f"{FORUM}/t/livraison-cafe-tanger/298/2"]
    assert "livré en 20 minutes" in reply.text
    assert "lente" not in reply.text  # what it quotes is not its text


@respx.mock
def test_a_forum_that_does_not_answer_json_is_an_error_on_the_source(agency_a):
    respx.get(f"{FORUM}/posts.json").respond(200, text="<html>Maintenance</html>")
    source = SourceFactory(agency=agency_a, kind="discourse", url=FORUM, search_terms="")

    assert source_poll(source=source).status == "failed"

    source.refresh_from_db()
    assert "did not answer JSON" in source.last_error


# --- Reddit ---------------------------------------------------------------------------------

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
SEARCH_URL = "https://oauth.reddit.com/search"


@pytest.fixture
def reddit(settings):
    from django.core.cache import cache

    from reputation.services.web_sources import REDDIT_PAUSE_KEY, REDDIT_TOKEN_KEY

    settings.REDDIT_CLIENT_ID, settings.REDDIT_CLIENT_SECRET = "app-id", "app-secret"
    settings.REDDIT_USER_AGENT = "web:agency-social-listening:1.0 (by /u/atlas)"
    cache.delete_many([REDDIT_TOKEN_KEY, REDDIT_PAUSE_KEY])
    yield
    cache.delete_many([REDDIT_TOKEN_KEY, REDDIT_PAUSE_KEY])


def _token():
    return {"access_token": "app-token", "token_type": "bearer", "expires_in": 86400, "scope": "*"}


def test_a_reddit_source_is_polled_into_mentions_with_one_app_token(
    agency_a, brand_a, owner_of_a, api_as, reddit
):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    created = api_as(owner_of_a).post(
        "/api/v1/listening/sources/",
        {"kind": "reddit", "search_terms": '"café tanger"', "brand": brand_a.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    source = Source.objects.get(pk=created.json()["id"])

    with respx.mock(assert_all_called=True) as mock:
        token = mock.post(TOKEN_URL).respond(json=_token())
        search = mock.get(SEARCH_URL).respond(
            json=_load("reddit_search.json"),
            headers={"X-Ratelimit-Remaining": "99", "X-Ratelimit-Reset": "300"},
        )
        assert source_poll(source=source).status == "ok"
        assert source_poll(source=source).status == "ok"

    assert token.call_count == 1  # cached for every later search
    request = search.calls[0].request
    assert request.headers["User-Agent"] == "web:agency-social-listening:1.0 (by /u/atlas)"
    assert request.headers["Authorization"] == "bearer app-token"
    mentions = {m.external_id: m for m in Mention.unscoped.select_related("author")}
    assert set(mentions) == {"t3_1h2abce", "t3_1h2abcd"}
    post = mentions["t3_1h2abce"]
    assert post.url.startswith("https://www.reddit.com/r/Morocco/comments/1h2abce/")
    assert post.author.handle == "casa_foodie"
    assert mentions["t3_1h2abcd"].author is None  # a [deleted] author is nobody
    source.refresh_from_db()
    assert float(source.cursor) == 1795600800.0


def test_reddit_rate_limit_headers_hold_back_the_next_search(agency_a, brand_a, reddit):
    source = SourceFactory(agency=agency_a, kind="reddit", url="", search_terms="cafe")
    with respx.mock(assert_all_called=True) as mock:
        mock.post(TOKEN_URL).respond(json=_token())
        search = mock.get(SEARCH_URL).respond(
            json=_load("reddit_search.json"),
            headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "240"},
        )
        assert source_poll(source=source).status == "ok"
        second = source_poll(source=source)

    assert search.call_count == 1  # the window is spent: no request until it resets
    assert second.status == "failed"
    assert "rate limit" in second.error.lower() or "limite" in second.error.lower()


def test_a_refused_token_is_asked_again_once_then_reported(agency_a, reddit):
    source = SourceFactory(agency=agency_a, kind="reddit", url="", search_terms="cafe")
    with respx.mock() as mock:
        token = mock.post(TOKEN_URL).respond(json=_token())
        search = mock.get(SEARCH_URL).respond(401)
        outcome = source_poll(source=source)
    assert outcome.status == "failed"
    assert "401" in outcome.error
    assert (token.call_count, search.call_count) == (2, 2)


def test_reddit_is_refused_when_the_platform_has_no_reddit_app(owner_of_a, api_as, settings):
    settings.REDDIT_CLIENT_ID = settings.REDDIT_CLIENT_SECRET = ""
    response = api_as(owner_of_a).post(
        "/api/v1/listening/sources/", {"kind": "reddit", "search_terms": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_the_source_form_offers_the_networks_whose_adapters_can_search(owner_of_a):
    from networks.registry import ADAPTERS
    from reputation.forms import SourceForm

    offered = {value for value, _ in SourceForm(brands=[]).fields["network"].choices if value}
    readable = {
        n.value
        for n, adapter in ADAPTERS.items()
        if adapter.capabilities.search_mentions or adapter.capabilities.read_comments
    }
    assert offered == readable


# --- The guard, for the new kinds -----------------------------------------------------------


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://localhost:3000/", "http://[::1]/"])
def test_a_forum_on_an_internal_address_is_refused_on_the_address(url, owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/listening/sources/", {"kind": "discourse", "url": url}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()["error"]["fields"]


@respx.mock
def test_a_forum_redirecting_inside_the_network_fails_the_poll_not_the_poller(agency_a):
    respx.get(f"{FORUM}/posts.json").respond(302, headers={"Location": "http://169.254.169.254/"})
    source = SourceFactory(agency=agency_a, kind="discourse", url=FORUM, search_terms="")

    outcome = source_poll(source=source)

    source.refresh_from_db()
    assert outcome.status == "failed"
    assert source.last_error
    assert source.consecutive_failures == 1
