"""JSON Feed 1.0 and 1.1 read into the same entries as RSS; anything else a FeedError that
names the problem (documents shaped like jsonfeed.org's own feed and the 1.1 spec's fields)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import respx

from networks.feeds import FeedError, parse_feed
from networks.rss import fetch_feed

FIXTURES = Path(__file__).parent / "fixtures"
V1_0 = (FIXTURES / "jsonfeed_1_0.json").read_bytes()
V1_1 = (FIXTURES / "jsonfeed_1_1.json").read_bytes()
URL = "https://yasmine.example/feed.json"


def _feed(**changes) -> bytes:
    document = json.loads(V1_1)
    document.update(changes)
    return json.dumps(document).encode()


def _item(**changes) -> bytes:
    document = json.loads(V1_1)
    document["items"][0].update(changes)
    return json.dumps(document).encode()


def test_a_json_feed_1_1_gives_entries_shaped_like_rss_entries():
    result = parse_feed(V1_1, content_type="application/feed+json", url=URL)
    assert result.status == "ok"
    assert result.title == "Le blog de Yasmine"
    assert result.language == "fr-MA"
    first, second = result.entries
    assert first.guid == "https://yasmine.example/2026/11/cafe-tanger"
    assert first.link == "https://yasmine.example/2026/11/cafe-tanger"
    assert first.title == "Café Tanger : mon nouveau repaire"
    assert first.content.startswith("<p>Le <b>Café Tanger</b>")  # raw: the pipeline cleans it
    assert first.summary == "Un café à Fès"
    assert first.author == "Omar (invité)"  # the item's authors before the feed's
    assert first.published == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert first.language == "fr"
    # external_url when there is no url; an impossible date dropped, the item kept; the
    # feed's author and language for an item without its own.
    assert second.link == "https://autre.example/rabat"
    assert second.content == "Week-end à Rabat."
    assert second.published is None
    assert second.author == "Yasmine B."
    assert second.language == "fr-MA"


def test_a_json_feed_1_0_with_its_single_author_and_numeric_ids_is_read():
    result = parse_feed(V1_0, content_type="application/json", url="https://jsonfeed.org/feed.json")
    first, second = result.entries
    assert first.author == "Brent Simmons and Manton Reece"
    assert first.published == datetime(2017, 5, 17, 15, 2, 12, tzinfo=UTC)
    assert second.guid == "2"
    assert second.link == "https://jsonfeed.org/2017/05/18/micro"  # relative link resolved
    assert second.title == ""
    assert second.author == "https://twitter.com/manton"  # an author with only a url
    assert second.published == datetime(2017, 5, 18, 9, tzinfo=UTC)  # date_modified


@pytest.mark.parametrize(
    "content_type", ["application/feed+json", "application/json", "", "text/plain"]
)
def test_a_json_feed_is_recognised_whatever_its_content_type(content_type):
    assert len(parse_feed(V1_1, content_type=content_type, url=URL).entries) == 2


def test_a_json_content_type_over_an_rss_body_is_read_as_rss():
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    assert parse_feed(rss, content_type="application/json", url=URL).title == "T"


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "application/feed+json",
            "malformed (line 1, column",
        ),
        (b"oops, not json", "application/json", "malformed"),
        (b"[1, 2, 3]", "application/json", "the document is a list, not an object"),
        (b'{"error": "rate limited"}', "application/json", '"version"'),
        (b'{"version": "https://example.com/version/9", "items": []}', "", '"version"'),
        (_feed(items={"id": "1"}), "", '"items" must be a list, not an object'),
        (_feed(items=None), "", '"items" must be a list, not null'),
        (_feed(items=["a string"]), "", "items[0] is a string, not an object"),
        (_item(id=None), "", "items[0].id is missing"),
        (_item(id=True), "", "items[0].id is missing or not a string"),
        (_item(title=["a", "list"]), "", "items[0].title must be a string, not a list"),
        (_item(content_html={"x": 1}), "", "items[0].content_html must be a string"),
        (_item(date_published=20261120), "", "items[0].date_published must be a string"),
        (_item(authors={"name": "x"}), "", "items[0].authors must be a list"),
        (_item(authors=["x"]), "", "items[0].authors[0] is a string"),
        (_feed(language=7), "", "language must be a string, not a number"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "cannot be read"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "n": 1' + b"0" * 5000 + b"}",
            "",
            "cannot be read",
        ),
    ],
    ids=[
        "truncated",
        "not-json",
        "a-list",
        "other-json",
        "other-version",
        "items-object",
        "items-null",
        "item-string",
        "no-id",
        "boolean-id",
        "title-list",
        "content-object",
        "date-number",
        "authors-object",
        "author-string",
        "language-number",
        "deep-nesting",
        "huge-number",
    ],
)
def test_hostile_or_malformed_json_is_a_feed_error_naming_the_problem(body, content_type, problem):
    with pytest.raises(FeedError) as error:
        parse_feed(body, content_type=content_type, url=URL)
    assert problem in str(error.value)


def test_optional_members_set_to_null_are_empty():
    result = parse_feed(_item(title=None, summary=None, authors=None, url=None), url=URL)
    entry = result.entries[0]
    assert (entry.title, entry.summary, entry.link) == ("", "", "")
    assert entry.author == "Yasmine B."


@respx.mock
def test_a_json_feed_is_fetched_through_the_guard_and_a_huge_one_refused():
    route = respx.get(URL).respond(
        200, content=V1_1, headers={"Content-Type": "application/feed+json"}
    )
    result = fetch_feed(URL)
    assert "application/feed+json" in route.calls[0].request.headers["Accept"]
    assert len(result.entries) == 2
    huge = b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b'{"id": "1"},' * 600_000
    respx.get("https://big.example/feed.json").respond(200, content=huge)
    with pytest.raises(FeedError, match="larger than 5 MiB"):
        fetch_feed("https://big.example/feed.json")
