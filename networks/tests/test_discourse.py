"""Discourse forums read through their public JSON (search.json and posts.json shaped like
a Discourse forum's answers), through the outbound guard."""

from datetime import UTC, datetime

import httpx
import pytest
import respx

from networks.addresses import OutboundPolicy
from networks.discourse import forum_base, read_forum
from networks.feeds import FeedError
from networks.tests.conftest import load

FORUM = "https://forum.example"


@respx.mock
def test_a_search_gives_posts_with_their_topic_address_author_and_time():
    route = respx.get(f"{FORUM}/search.json").respond(json=load("discourse_search.json"))
    posts = read_forum(f"{FORUM}/", query="café tanger")
    assert route.calls[0].request.url.params["q"] == "café tanger order:latest"
    assert [p.id for p in posts] == [1031, 1048]  # oldest first
    newest = posts[1]
    assert newest.url == f"{FORUM}/t/ou-boire-un-bon-cafe-a-fes/311/4"
    assert newest.title == "Où boire un bon café à Fès ?"
    assert (newest.username, newest.name) == ("salma", "Salma B.")
    assert newest.created_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert "café tanger de Fès" in newest.text
    assert newest.likes == 3


@respx.mock
def test_the_latest_posts_give_cooked_html_without_the_quotes_of_other_posts():
    respx.get(f"{FORUM}/posts.json").respond(json=load("discourse_posts.json"))
    posts = read_forum(f"{FORUM}/latest")
    reply = posts[1]
    assert reply.url == f"{FORUM}/t/livraison-cafe-tanger/298/2"
    assert "livré en 20 minutes" in reply.text
    assert "la livraison est lente" not in reply.text  # what it quotes is not its text


@respx.mock
def test_only_posts_newer_than_the_cursor_are_returned():
    respx.get(f"{FORUM}/posts.json").respond(json=load("discourse_posts.json"))
    assert [p.id for p in read_forum(FORUM, since_id=2201)] == [2207]


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://forum.example/", "https://forum.example"),
        ("https://forum.example/latest", "https://forum.example"),
        ("https://forum.example/latest.json", "https://forum.example"),
        ("https://example.com/forum/search?q=x", "https://example.com/forum"),
        ("https://example.com/community/posts.rss", "https://example.com/community"),
    ],
)
def test_the_forum_root_is_found_from_the_address_people_paste(url, base):
    assert forum_base(url) == base


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        (httpx.Response(429, headers={"Retry-After": "30"}), "slow down (HTTP 429, retry after 30"),
        (httpx.Response(404), "HTTP 404"),
        (httpx.Response(200, text="<html>not a forum</html>"), "did not answer JSON"),
        (httpx.Response(200, json=[1, 2]), "did not answer a JSON object"),
        (httpx.Response(200, json={"latest_posts": {"id": 1}}), '"latest_posts" is not a list'),
        (httpx.Response(200, json={"latest_posts": ["x"]}), "posts[0] is not an object"),
        (httpx.Response(200, json={"latest_posts": [{"id": "a", "topic_id": 1}]}), "numeric id"),
        (httpx.Response(200, content=b"[" * 100_000), "did not answer JSON"),
    ],
    ids=[
        "rate-limited",
        "missing",
        "html",
        "a-list",
        "posts-object",
        "post-string",
        "bad-id",
        "deep",
    ],
)
def test_hostile_answers_are_feed_errors_that_name_the_problem(response, problem):
    with respx.mock:
        respx.get(f"{FORUM}/posts.json").mock(return_value=response)
        with pytest.raises(FeedError) as error:
            read_forum(FORUM)
    assert problem in str(error.value)


def test_an_internal_forum_address_is_refused():
    with pytest.raises(FeedError):
        read_forum("http://127.0.0.1:3000/", policy=OutboundPolicy())
