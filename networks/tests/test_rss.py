import gzip
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import respx

from networks.rss import FeedError, fetch_feed

FIXTURES = Path(__file__).parent / "fixtures"
URL = "https://journal.example/feed.xml"
RSS = (FIXTURES / "feed_rss.xml").read_bytes()
ATOM = (FIXTURES / "feed_atom.xml").read_bytes()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""

RSS_091_DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link>
<description>d</description><language>fr</language>
<item><title>Item</title><link>https://old.example/1</link></item></channel></rss>"""


@respx.mock
def test_rss_entries_are_parsed_with_utc_dates_language_and_raw_html():
    respx.get(URL).respond(
        200,
        content=RSS,
        headers={
            "Content-Type": "application/rss+xml",
            "ETag": '"v1"',
            "Last-Modified": "Sun, 01 Mar 2026 10:31:00 GMT",
        },
    )

    result = fetch_feed(URL)

    assert result.status == "ok"
    assert (result.etag, result.last_modified) == ('"v1"', "Sun, 01 Mar 2026 10:31:00 GMT")
    first, second = result.entries
    assert first.guid == "journal-2026-0301-17"
    assert first.author == "Samira El Idrissi"
    assert first.published == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert first.language == "fr-MA"
    assert "<script>" in first.content  # raw: the pipeline sanitises
    assert second.published is None and second.guid == "https://journal.example/sans-date"


@respx.mock
def test_atom_relative_links_are_resolved_against_the_final_url():
    respx.get(URL).respond(200, content=ATOM, headers={"Content-Type": "application/atom+xml"})
    entry = fetch_feed(URL).entries[0]
    assert entry.link == "https://journal.example/billets/atlas"
    assert entry.language == "ar"
    assert entry.published == datetime(2026, 3, 2, 18, 30, 2, tzinfo=UTC)


@respx.mock
def test_conditional_get_sends_validators_and_handles_304():
    route = respx.get(URL).respond(304, headers={"ETag": '"v1"'})

    result = fetch_feed(URL, etag='"v1"', last_modified="Sun, 01 Mar 2026 10:31:00 GMT")

    request = route.calls.last.request
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Sun, 01 Mar 2026 10:31:00 GMT"
    assert result.status == "not_modified" and result.entries == []
    assert result.last_modified == "Sun, 01 Mar 2026 10:31:00 GMT"


@respx.mock
def test_gzip_encoded_feeds_are_decoded():
    respx.get(URL).respond(
        200,
        content=gzip.compress(RSS),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
    )
    assert len(fetch_feed(URL).entries) == 2


@respx.mock
def test_redirects_are_followed_and_the_final_url_reported():
    respx.get(URL).respond(301, headers={"Location": "https://new.example/rss"})
    respx.get("https://new.example/rss").respond(200, content=RSS)
    assert fetch_feed(URL).final_url == "https://new.example/rss"


@respx.mock
def test_more_than_five_redirects_is_an_error():
    for n in range(7):
        respx.get(f"https://loop.example/{n}").respond(
            302, headers={"Location": f"https://loop.example/{n + 1}"}
        )
    with pytest.raises(FeedError, match="more than 5 redirects"):
        fetch_feed("https://loop.example/0")


@respx.mock
def test_oversize_feed_is_refused_while_streaming_even_when_compressed():
    bomb = gzip.compress(b"<rss>" + b" " * (6 * 1024 * 1024) + b"</rss>")
    assert len(bomb) < 100_000
    respx.get(URL).respond(200, content=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FeedError, match="larger than 5 MiB"):
        fetch_feed(URL)


@respx.mock
def test_declared_oversize_is_refused_before_reading():
    respx.get(URL).respond(200, content=b"<rss/>", headers={"Content-Length": str(6 * 2**20)})
    with pytest.raises(FeedError, match="larger than 5 MiB"):
        fetch_feed(URL)


@respx.mock
def test_billion_laughs_is_refused_before_parsing():
    respx.get(URL).respond(200, content=BILLION_LAUGHS)
    with pytest.raises(FeedError, match="declares XML entities, which we refuse"):
        fetch_feed(URL)


@respx.mock
def test_external_entities_are_refused():
    respx.get(URL).respond(200, content=EXTERNAL_ENTITY)
    with pytest.raises(FeedError, match="which we refuse"):
        fetch_feed(URL)


@respx.mock
def test_a_plain_rss_091_doctype_is_accepted():
    respx.get(URL).respond(200, content=RSS_091_DOCTYPE)
    assert fetch_feed(URL).entries[0].title == "Item"


@respx.mock
def test_html_page_is_not_a_feed():
    respx.get(URL).respond(
        200,
        content=b"<!DOCTYPE html><html><body>Hi</body></html>",
        headers={"Content-Type": "text/html"},
    )
    with pytest.raises(FeedError, match="not a feed: .* HTML page"):
        fetch_feed(URL)


@respx.mock
def test_xml_that_is_not_a_feed_is_named():
    respx.get(URL).respond(200, content=b"<?xml version='1.0'?><sitemap/>")
    with pytest.raises(FeedError, match="root is <sitemap>"):
        fetch_feed(URL)


@respx.mock
def test_malformed_xml_is_reported():
    respx.get(URL).respond(200, content=b"<rss><channel><title>oops</channel></rss>")
    with pytest.raises(FeedError, match="not well-formed XML"):
        fetch_feed(URL)


@respx.mock
def test_http_errors_name_the_status_and_url():
    respx.get(URL).respond(404)
    with pytest.raises(FeedError, match="HTTP 404 from https://journal.example/feed.xml") as e:
        fetch_feed(URL)
    assert e.value.status == 404


@respx.mock
def test_timeouts_and_unreachable_hosts_are_feed_errors():
    respx.get(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(FeedError, match="did not answer in time"):
        fetch_feed(URL)
    respx.get("https://down.example/rss").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(FeedError, match="could not reach"):
        fetch_feed("https://down.example/rss")
