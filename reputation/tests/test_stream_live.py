"""The mention stream grows without a reload (issue 17): the page polls, with htmx, for the
mentions that arrived after the newest one it shows, under its own filters, and puts only those
rows on top; never another agency's, never a client's other brand's."""

import re

import pytest
from django.urls import reverse

from clients.tests.factories import BrandFactory
from reputation.tests.factories import MentionFactory

pytestmark = pytest.mark.usefixtures("in_agency_a")

NEW = reverse("listening:mentions_new")


def _poll_url(page: str) -> str:
    match = re.search(r'id="mention-poller" hx-get="([^"]+)"', page)
    assert match, "the stream page has no poller"
    return match.group(1).replace("&amp;", "&")


def _row_ids(body: str) -> list[int]:
    return [
        int(i) for i in re.findall(r'<article class="card mention[^"]*" id="mention-(\d+)"', body)
    ]


def test_the_page_polls_after_its_newest_mention_with_its_own_filters(
    agency_a, brand_a, owner_of_a, login
):
    shown = MentionFactory(agency=agency_a, brand=brand_a, sentiment_label="negative")
    page = login(owner_of_a).get("/listening/?sentiment=negative&page=1").content.decode()
    url = _poll_url(page)
    assert url.startswith(NEW)
    assert f"after={shown.pk}" in url and "sentiment=negative" in url and "page=" not in url
    assert 'hx-target="#mention-stream"' in page and 'hx-swap="afterbegin"' in page
    assert 'hx-trigger="every 30s' in page


def test_the_poll_answers_only_the_mentions_that_arrived_then_the_next_cursor(
    agency_a, brand_a, owner_of_a, login
):
    client = login(owner_of_a)
    shown = MentionFactory(agency=agency_a, brand=brand_a, title="Déjà là")
    url = _poll_url(client.get("/listening/").content.decode())
    assert client.get(url, HTTP_HX_REQUEST="true").content == b""  # nothing new yet
    first = MentionFactory(agency=agency_a, brand=brand_a, title="Arrivée 1")
    second = MentionFactory(agency=agency_a, brand=brand_a, title="Arrivée 2")
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert _row_ids(body) == [second.pk, first.pk]
    assert shown.title not in body
    assert re.search(r'id="mention-stream-news"[^>]*hx-swap-oob="true">2 ', body)
    # The answer carries the next poller, after the newest row it brought: no row twice.
    next_url = _poll_url(body)
    assert f"after={second.pk}" in next_url and 'hx-swap-oob="true"' in body
    assert client.get(next_url, HTTP_HX_REQUEST="true").content == b""


def test_the_poll_honours_the_pages_filters(agency_a, brand_a, owner_of_a, login):
    other_brand = BrandFactory(agency=agency_a, name="Dar Chaï")
    client = login(owner_of_a)
    page = client.get(f"/listening/?brand={brand_a.pk}&sentiment=negative").content.decode()
    url = _poll_url(page)
    wanted = MentionFactory(agency=agency_a, brand=brand_a, sentiment_label="negative")
    MentionFactory(agency=agency_a, brand=brand_a, sentiment_label="positive")
    MentionFactory(agency=agency_a, brand=other_brand, sentiment_label="negative")
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert _row_ids(body) == [wanted.pk]


def test_the_poll_never_brings_another_agencys_mentions(
    agency_a, agency_b, brand_a, brand_b, owner_of_a, login
):
    client = login(owner_of_a)
    MentionFactory(agency=agency_b, brand=brand_b, title="Bahia en panne")
    ours = MentionFactory(agency=agency_a, brand=brand_a)
    body = client.get(f"{NEW}?after=0", HTTP_HX_REQUEST="true").content.decode()
    assert _row_ids(body) == [ours.pk]
    assert "Bahia" not in body


def test_a_clients_poll_brings_only_its_brands_mentions(agency_a, brand_a, client_of_a, login):
    other_brand = BrandFactory(agency=agency_a, name="Dar Chaï")
    MentionFactory(agency=agency_a, brand=other_brand, title="Pas pour le client")
    theirs = MentionFactory(agency=agency_a, brand=brand_a)
    body = login(client_of_a).get(f"{NEW}?after=0").content.decode()
    assert _row_ids(body) == [theirs.pk]


def test_a_later_page_does_not_poll(agency_a, brand_a, owner_of_a, login):
    MentionFactory.create_batch(26, agency=agency_a, brand=brand_a)
    page = login(owner_of_a).get("/listening/?page=2").content.decode()
    assert 'id="mention-poller"' not in page


def test_an_empty_stream_polls_too_and_its_first_row_replaces_the_empty_state(
    agency_a, brand_a, owner_of_a, login
):
    client = login(owner_of_a)
    page = client.get("/listening/").content.decode()
    assert 'id="mention-empty"' in page and 'id="mention-stream"' in page
    url = _poll_url(page)
    assert "after=0" in url
    first = MentionFactory(agency=agency_a, brand=brand_a)
    body = client.get(url).content.decode()
    assert _row_ids(body) == [first.pk]
    assert '<div id="mention-empty" hx-swap-oob="true"></div>' in body


def test_a_cursor_that_is_not_a_number_is_refused_clearly(owner_of_a, login):
    client = login(owner_of_a)
    for bad in ("abc", "-1", "1.5", "9" * 30):
        response = client.get(f"{NEW}?after={bad}")
        assert response.status_code == 400, bad
        assert "after" in response.content.decode()


def test_without_a_cursor_the_poll_starts_from_now(agency_a, brand_a, owner_of_a, login):
    existing = MentionFactory(agency=agency_a, brand=brand_a)
    body = login(owner_of_a).get(NEW).content.decode()
    assert _row_ids(body) == []
    assert f"after={existing.pk}" in _poll_url(body)
