"""A source given a blog's home page follows the feed the page announces (form, API and the
one service behind them), then polls it into mentions; a page without a feed is a field
error. The remote is faked at the transport (respx)."""

import pytest
import respx
from django.utils import translation

from reputation import matching
from reputation.models.mentions import Mention
from reputation.models.sources import Source
from reputation.services.polling import source_poll
from reputation.tests.factories import ListeningQueryFactory, SourceFactory

pytestmark = pytest.mark.usefixtures("in_agency_a")

HOME = "https://yasmine.example/"
PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Le blog de Yasmine</title>
<link rel="alternate" type="application/rss+xml" title="Yasmine » Flux des commentaires"
 href="/comments/feed/">
<link rel="alternate" type="application/feed+json" title="Le blog de Yasmine" href="/feed.json">
</head><body>…</body></html>"""
FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "Le blog de Yasmine",
 "items": [{"id": "p1", "url": "https://yasmine.example/p1", "title": "Au Caf\\u00e9 Tanger",
 "content_text": "Le caf\\u00e9 tanger de F\\u00e8s est excellent.",
 "date_published": "2026-11-20T10:00:00Z"}]}"""


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.OUTBOUND_RESOLVER = lambda host, port: ["93.184.215.14"]
    matching.clear_cache()
    with translation.override("en"):
        yield
    matching.clear_cache()


@respx.mock
def test_a_home_page_given_through_the_api_follows_its_feed_which_is_polled(
    agency_a, brand_a, owner_of_a, api_as
):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    respx.get(HOME).respond(200, text=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    respx.get("https://yasmine.example/feed.json").respond(
        200, content=FEED, headers={"Content-Type": "application/feed+json"}
    )

    response = api_as(owner_of_a).post(
        "/api/v1/listening/sources/", {"kind": "rss", "url": HOME}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"] == "https://yasmine.example/feed.json"  # not the comments feed
    assert body["discovered_from"] == HOME
    assert body["name"] == "Le blog de Yasmine"
    source = Source.objects.get(pk=body["id"])
    assert source_poll(source=source).status == "ok"
    mention = Mention.unscoped.get()
    assert (mention.brand, mention.url) == (brand_a, "https://yasmine.example/p1")


@respx.mock
def test_a_page_without_a_feed_is_refused_on_the_address(owner_of_a, api_as, login):
    respx.get(HOME).respond(200, text="<!doctype html><html><head></head></html>")

    response = api_as(owner_of_a).post(
        "/api/v1/listening/sources/", {"kind": "rss", "url": HOME}, format="json"
    )
    assert response.status_code == 400
    assert "url" in response.json()["error"]["fields"]

    page = login(owner_of_a).post(
        "/listening/sources/", {"kind": "rss", "url": HOME, "poll_interval_minutes": 15}
    )
    assert page.status_code == 200
    assert "n’annonce aucun flux RSS, Atom ou JSON" in page.content.decode()  # French UI
    assert not Source.objects.exists()


@respx.mock
def test_the_form_says_which_feed_it_found(owner_of_a, login):
    respx.get(HOME).respond(200, text=PAGE, headers={"Content-Type": "text/html"})

    page = login(owner_of_a).post(
        "/listening/sources/",
        {"kind": "rss", "url": HOME, "poll_interval_minutes": 15},
        follow=True,
    )

    text = page.content.decode()
    assert "annonce le flux https://yasmine.example/feed.json" in text  # French UI
    assert Source.objects.get().url == "https://yasmine.example/feed.json"


@respx.mock
def test_a_feed_address_is_kept_and_an_unreachable_one_left_to_the_poll(owner_of_a, api_as):
    respx.get("https://yasmine.example/feed.json").respond(200, content=FEED)
    respx.get("https://down.example/rss").respond(503)

    api = api_as(owner_of_a)
    kept = api.post(
        "/api/v1/listening/sources/",
        {"kind": "rss", "url": "https://yasmine.example/feed.json"},
        format="json",
    ).json()
    down = api.post(
        "/api/v1/listening/sources/", {"kind": "rss", "url": "https://down.example/rss"}
    ).json()

    assert (kept["url"], kept["discovered_from"]) == ("https://yasmine.example/feed.json", "")
    assert (down["url"], down["discovered_from"]) == ("https://down.example/rss", "")


@respx.mock
def test_changing_a_feed_to_a_home_page_follows_its_feed(agency_a, owner_of_a, api_as):
    respx.get(HOME).respond(200, text=PAGE, headers={"Content-Type": "text/html"})
    source = SourceFactory(agency=agency_a, url="https://old.example/rss")

    response = api_as(owner_of_a).patch(
        f"/api/v1/listening/sources/{source.pk}/", {"url": HOME}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["url"] == "https://yasmine.example/feed.json"
    assert response.json()["discovered_from"] == HOME
