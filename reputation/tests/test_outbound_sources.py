"""Listening sources cannot be aimed at the platform's own network: refused when created (a
clear field error) and checked again at every poll, through the one outbound guard."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from agency.tenancy import tenant_scope
from reputation.models.mentions import Mention
from reputation.models.sources import SourceKind
from reputation.services.polling import source_poll
from reputation.services.sources import source_create
from reputation.tests.factories import SourceFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English; the product's default language is French.
    with translation.override("en"):
        yield


INTERNAL_FEEDS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://localhost/feed",
    "http://localhost./feed",
    "http://127.1/feed",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0/",
    "http://[fd00::1]/",
    "http://100.64.0.1/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "https://loopback.example/feed",  # resolves to 127.0.0.1
]


def _resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


@pytest.fixture(autouse=True)
def _dns(settings):
    settings.OUTBOUND_RESOLVER = _resolver(
        {"loopback.example": ["127.0.0.1"], "news.example": ["93.184.215.14"]}
    )


@pytest.mark.parametrize("url", INTERNAL_FEEDS)
def test_an_internal_feed_address_is_refused_with_a_field_error(url, owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/listening/sources/", {"kind": "rss", "url": url}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "url" in response.json()["error"]["fields"]


def test_an_internal_feed_address_is_refused_by_the_service(owner_of_a):
    from django.core.exceptions import ValidationError

    with tenant_scope(owner_of_a.agency), pytest.raises(ValidationError) as error:
        source_create(actor=owner_of_a, kind=SourceKind.RSS, url="http://127.1/")
    assert "private or internal network" in str(error.value.message_dict["url"])


def test_changing_a_feed_to_an_internal_address_is_refused(owner_of_a, agency_a, api_as):
    source = SourceFactory(agency=agency_a, url="https://news.example/rss")
    response = api_as(owner_of_a).patch(
        f"/api/v1/listening/sources/{source.pk}/", {"url": "http://10.1.2.3/"}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()["error"]["fields"]


def test_a_public_feed_address_is_accepted(owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/listening/sources/",
        {"kind": "rss", "url": "https://news.example/rss"},
        format="json",
    )
    assert response.status_code == 201, response.content


class _Secret(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 - http.server's name
        _Secret.hits += 1
        body = b"<rss><channel><item><title>internal secret</title></item></channel></rss>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_service():
    _Secret.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Secret)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_name_that_now_resolves_inside_is_refused_at_the_poll(
    agency_a, settings, internal_service
):
    # Accepted when it resolved to a public address; the DNS answer changed since.
    source = SourceFactory(agency=agency_a, url=f"http://news.example:{internal_service}/rss")
    settings.OUTBOUND_RESOLVER = _resolver({"news.example": ["127.0.0.1"]})
    outcome = source_poll(source=source)
    assert outcome.status == "failed"
    assert "private or internal network" in outcome.error
    assert _Secret.hits == 0
    assert not Mention.unscoped.filter(agency=agency_a).exists()


def test_a_feed_on_the_own_network_is_polled_when_private_addresses_are_allowed(
    agency_a, settings, internal_service
):
    source = SourceFactory(agency=agency_a, url=f"http://127.0.0.1:{internal_service}/rss")
    assert source_poll(source=source).status == "failed"
    assert _Secret.hits == 0
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    assert source_poll(source=source).status == "ok"
    assert _Secret.hits == 1
