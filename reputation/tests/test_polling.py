"""Feeds served by a real HTTP server on 127.0.0.1: polled, matched, scored, shown (network
sources: test_polling_networks.py).

The server answers each path as the test scripted it: a good RSS feed, a malformed one, a huge
one, a redirect, a 304 when the conditional headers match, an XML bomb, a 500.
"""

import gzip
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from clients.tests.factories import BrandFactory
from reputation import matching, tasks
from reputation.models.mentions import Mention
from reputation.models.sources import Source
from reputation.services.polling import source_poll, sources_claim_due_across_agencies
from reputation.tests.factories import ListeningQueryFactory, SourceFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")

ETAG = '"v1"'

GOOD_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le360 Economie</title><language>fr</language>
<item><guid>https://le360.example/1</guid><link>https://le360.example/1</link>
<title>Café Tanger ouvre un nouveau point de vente</title>
<description>&lt;p&gt;Le &lt;b&gt;Café Tanger&lt;/b&gt; est excellent,
 les clients adorent !&lt;/p&gt;</description>
<author>redaction@le360.example (Salma B.)</author>
<pubDate>Fri, 20 Nov 2026 09:00:00 GMT</pubDate></item>
<item><guid>https://le360.example/2</guid><link>https://le360.example/2</link>
<title>Atlas Télécom : panne géante, les abonnés très déçus</title>
<description>Panne du réseau Atlas Télécom, un service nul selon les clients.</description>
<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid>https://le360.example/3</guid><link>https://le360.example/3</link>
<title>Météo : du soleil sur Rabat</title><description>Rien sur nos marques.</description>
</item>
</channel></rss>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""

JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "Blog", "items": {}}'

# What real servers send: the charset only in the Content-Type, HTML entities, a null date.
LEGACY_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>L’Économiste</title>
<item><guid>https://leconomiste.example/1</guid><link>https://leconomiste.example/1</link>
<title>Caf&eacute;&nbsp;Tanger : « un succès »</title>
<pubDate>0000-00-00T00:00:00Z</pubDate></item>
</channel></rss>""".encode("windows-1252")


class FeedHandler(BaseHTTPRequestHandler):
    routes: dict = {}
    hits: list = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.hits.append((self.path, dict(self.headers)))
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        status, headers, body = route(self)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(settings):
    # The feeds live on 127.0.0.1, which the outbound guard refuses unless allowed.
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    FeedHandler.routes = {}
    FeedHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base, FeedHandler
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _good(handler):
    if handler.headers.get("If-None-Match") == ETAG:
        return 304, {"ETag": ETAG}, b""
    return 200, {"Content-Type": "application/rss+xml", "ETag": ETAG}, GOOD_FEED.encode()


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


@pytest.fixture
def listening(agency_a, brand_a):
    atlas = BrandFactory(agency=agency_a, name="Atlas Télécom", slug="atlas-telecom")
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    ListeningQueryFactory(agency=agency_a, brand=atlas, expression="atlas AND (telecom OR réseau)")
    return brand_a, atlas


def test_a_feed_is_polled_matched_scored_and_shown(
    feed_server, agency_a, listening, owner_of_a, login
):
    base, handler = feed_server
    handler.routes["/feed.xml"] = _good
    cafe, atlas = listening
    source = SourceFactory(agency=agency_a, url=f"{base}/feed.xml")

    outcome = source_poll(source=source)

    assert outcome.status == "ok" and outcome.result.stored == 2
    cafe_mention = Mention.unscoped.get(brand=cafe)
    assert cafe_mention.sentiment_label == "positive"
    assert cafe_mention.language == "fr"
    assert "<" not in cafe_mention.text
    assert Mention.unscoped.get(brand=atlas).sentiment_label == "negative"
    source.refresh_from_db()
    assert source.etag == ETAG and source.consecutive_failures == 0 and not source.last_error
    assert source.mentions_found == 2

    page = login(owner_of_a).get("/listening/?brand=")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<mark>Café Tanger</mark>" in body
    assert "Atlas Télécom" in body and "Météo" not in body


def test_a_not_modified_feed_sends_conditional_headers_and_stores_nothing(
    feed_server, agency_a, listening
):
    base, handler = feed_server
    handler.routes["/feed.xml"] = _good
    source = SourceFactory(agency=agency_a, url=f"{base}/feed.xml")
    source_poll(source=source)
    source.refresh_from_db()

    outcome = source_poll(source=source)

    assert outcome.status == "not_modified"
    assert handler.hits[-1][1].get("If-None-Match") == ETAG
    assert Mention.unscoped.count() == 2


def test_a_redirected_feed_is_followed(feed_server, agency_a, listening):
    base, handler = feed_server
    handler.routes["/old"] = lambda h: (301, {"Location": f"{base}/feed.xml"}, b"")
    handler.routes["/feed.xml"] = _good
    source = SourceFactory(agency=agency_a, url=f"{base}/old")
    assert source_poll(source=source).status == "ok"
    assert Mention.unscoped.count() == 2


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (lambda h: (200, {"Content-Type": "application/xml"}, b"<rss><channel><item>"), "XML"),
        (lambda h: (200, {"Content-Type": "text/html"}, b"<!doctype html><p>hi</p>"), "HTML"),
        (lambda h: (200, {"Content-Type": "application/xml"}, BOMB.encode()), "entities"),
        (lambda h: (500, {}, b"oops"), "HTTP 500"),
        (lambda h: (200, {"Content-Type": "application/feed+json"}, JSON_FEED), '"items" must'),
        (
            lambda h: (
                200,
                {"Content-Type": "application/xml", "Content-Encoding": "gzip"},
                gzip.compress(b"<rss>" + b" " * (6 * 1024 * 1024) + b"</rss>"),
            ),
            "larger than",
        ),
    ],
    ids=["malformed", "html", "xml-bomb", "server-error", "json-feed", "huge-gzip"],
)
def test_a_bad_feed_records_the_error_and_backs_off(
    feed_server, agency_a, listening, route, expected
):
    base, handler = feed_server
    handler.routes["/feed.xml"] = route
    source = SourceFactory(agency=agency_a, url=f"{base}/feed.xml", poll_interval_minutes=10)
    before = timezone.now()

    first = source_poll(source=source)
    source.refresh_from_db()
    assert first.status == "failed" and expected in source.last_error
    assert source.consecutive_failures == 1
    assert source.next_poll_at >= before + timedelta(minutes=17)  # 10 × 2 × 0.9 jitter
    assert source.lease_until is None

    source_poll(source=source)
    source.refresh_from_db()
    assert source.consecutive_failures == 2
    assert source.next_poll_at >= timezone.now() + timedelta(minutes=35)
    assert not Mention.unscoped.exists()


def test_a_legacy_encoded_feed_with_html_entities_and_a_null_date_is_polled(
    feed_server, agency_a, listening
):
    base, handler = feed_server
    handler.routes["/feed.xml"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml; charset=windows-1252"},
        LEGACY_FEED,
    )
    source = SourceFactory(agency=agency_a, url=f"{base}/feed.xml")

    outcome = source_poll(source=source)

    assert outcome.status == "ok", outcome.error
    mention = Mention.unscoped.get()
    assert mention.title.startswith("Café Tanger") and "succès" in mention.title
    assert mention.published_at is not None  # the null date was dropped: dated when read


def test_the_source_page_shows_the_last_error(feed_server, agency_a, owner_of_a, login):
    base, handler = feed_server
    source = SourceFactory(agency=agency_a, url=f"{base}/missing.xml", name="Flux cassé")
    source_poll(source=source)
    body = login(owner_of_a).get("/listening/sources/").content.decode()
    assert "Flux cassé" in body and "HTTP 404" in body


def test_a_recovered_feed_resets_its_failures(feed_server, agency_a, listening):
    base, handler = feed_server
    handler.routes["/feed.xml"] = lambda h: (503, {}, b"")
    source = SourceFactory(agency=agency_a, url=f"{base}/feed.xml")
    source_poll(source=source)
    handler.routes["/feed.xml"] = _good
    source.refresh_from_db()
    assert source_poll(source=source).status == "ok"
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_error == ""


def test_the_dispatcher_claims_due_sources_of_every_agency_once(
    eager_tasks,
    feed_server,
    agency_a,
    agency_b,
    listening,
    django_capture_on_commit_callbacks,
):
    base, handler = feed_server
    handler.routes["/feed.xml"] = _good
    due_a = SourceFactory(agency=agency_a, url=f"{base}/feed.xml")
    due_b = SourceFactory(agency=agency_b, url=f"{base}/feed.xml")
    SourceFactory(agency=agency_a, next_poll_at=timezone.now() + timedelta(hours=1))
    SourceFactory(agency=agency_a, active=False)

    claimed = sources_claim_due_across_agencies()
    assert sorted(claimed) == sorted([(agency_a.pk, due_a.pk), (agency_b.pk, due_b.pk)])
    # Leased: a second dispatcher finds nothing to claim.
    assert sources_claim_due_across_agencies() == []

    # The lease expires when a poll dies: the source is claimed again.
    Source.unscoped.update(lease_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_due_sources() == 2
    assert Mention.unscoped.filter(agency=agency_a).count() == 2
    assert not Mention.unscoped.filter(agency=agency_b).exists()  # B has no query
    due_a.refresh_from_db()
    assert due_a.last_success_at is not None and due_a.next_poll_at > timezone.now()


def test_poll_task_ignores_a_deleted_source(agency_a):
    assert tasks.poll_source(agency_id=agency_a.pk, source_id=999999) == "gone"


def test_client_viewer_sees_only_their_brand_mentions(
    feed_server, agency_a, listening, client_of_a, login
):
    base, handler = feed_server
    handler.routes["/feed.xml"] = _good
    source_poll(source=SourceFactory(agency=agency_a, url=f"{base}/feed.xml"))
    body = login(client_of_a).get("/listening/?brand=").content.decode()
    assert "Café Tanger" in body and "panne géante" not in body


def test_a_feed_entry_about_two_brands_appears_for_each_brand_and_no_other(
    feed_server, agency_a, listening, owner_of_a, login
):
    base, handler = feed_server
    feed = GOOD_FEED.replace(
        "<title>Météo : du soleil sur Rabat</title>",
        "<title>Partenariat entre Café Tanger et Atlas Télécom</title>",
    )
    handler.routes["/feed.xml"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        feed.encode(),
    )
    cafe, atlas = listening
    third = BrandFactory(agency=agency_a, name="Souk Market", slug="souk")
    source_poll(source=SourceFactory(agency=agency_a, url=f"{base}/feed.xml"))

    assert set(
        Mention.unscoped.filter(external_id="https://le360.example/3").values_list(
            "brand_id", flat=True
        )
    ) == {cafe.pk, atlas.pk}
    client = login(owner_of_a)
    for brand in (cafe, atlas):
        assert "Partenariat entre" in client.get(f"/listening/?brand={brand.pk}").content.decode()
    assert "Partenariat entre" not in client.get(f"/listening/?brand={third.pk}").content.decode()
