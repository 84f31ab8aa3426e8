"""Feed autodiscovery: a site's page gives the address of its main feed (pages shaped like
WordPress's and a JSON Feed blog's head), through the outbound guard."""

import httpx
import pytest
import respx

from networks.addresses import OutboundPolicy
from networks.discovery import FeedLink, choose_feed, discover_feed, feed_links
from networks.feeds import FeedError

HOME = "https://blog.example/"

# What WordPress prints in every page's head: the posts feed, then the comments feed.
WORDPRESS = """<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="UTF-8">
<title>Le blog de Yasmine</title>
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="Le blog de Yasmine &raquo; Flux"
 href="https://blog.example/feed/" />
<link rel="alternate" type="application/rss+xml"
 title="Le blog de Yasmine &raquo; Flux des commentaires"
 href="https://blog.example/comments/feed/" />
<link rel="https://api.w.org/" href="https://blog.example/wp-json/" />
</head><body><p>Bienvenue</p></body></html>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><guid>1</guid><title>Un</title></item></channel></rss>"""


@respx.mock
def test_a_home_page_gives_its_main_feed_not_the_comments_feed():
    respx.get(HOME).respond(200, text=WORDPRESS, headers={"Content-Type": "text/html"})
    found = discover_feed(HOME)
    assert found.feed_url == "https://blog.example/feed/"
    assert found.page_url == HOME
    assert found.title == "Le blog de Yasmine » Flux"
    assert [c.url for c in found.candidates] == [
        "https://blog.example/feed/",
        "https://blog.example/comments/feed/",
    ]


@respx.mock
def test_relative_hrefs_are_resolved_against_the_base_or_the_final_address():
    respx.get(HOME).respond(301, headers={"Location": "https://www.blog.example/fr/"})
    respx.get("https://www.blog.example/fr/").respond(
        200,
        text='<html><head><link rel="Alternate feed" type="application/feed+json" '
        'href="feed.json"></head></html>',
    )
    assert discover_feed(HOME).feed_url == "https://www.blog.example/fr/feed.json"
    page = (
        '<head><base href="https://cdn.example/x/">'
        '<link rel=alternate type="application/atom+xml" href="../atom.xml"></head>'
    )
    assert feed_links(page, HOME)[0].url == "https://cdn.example/atom.xml"


@respx.mock
def test_an_address_that_is_already_a_feed_is_kept():
    respx.get("https://blog.example/feed/").respond(
        200,
        content=RSS,
        headers={"Content-Type": "text/html"},  # mislabelled, still a feed
    )
    found = discover_feed("https://blog.example/feed/")
    assert found.feed_url == "https://blog.example/feed/"
    assert found.page_url == ""


@respx.mock
def test_a_page_without_a_feed_is_a_clear_error():
    respx.get(HOME).respond(
        200,
        text='<!doctype html><html><head><link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" hreflang="en" href="/en/"></head></html>',
    )
    with pytest.raises(FeedError, match="no feed announced on https://blog.example/"):
        discover_feed(HOME)


@respx.mock
def test_errors_and_non_html_answers_are_feed_errors():
    respx.get(HOME).respond(404)
    with pytest.raises(FeedError, match="HTTP 404"):
        discover_feed(HOME)
    respx.get("https://api.example/").respond(200, json={"error": "x"})
    with pytest.raises(FeedError, match="not a JSON Feed"):
        discover_feed("https://api.example/")
    respx.get("https://slow.example/").mock(side_effect=httpx.ConnectTimeout("t"))
    with pytest.raises(FeedError, match="no answer"):
        discover_feed("https://slow.example/")


def test_internal_addresses_are_refused_before_any_request():
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(url__regex=".*")
        for url in ("http://127.0.0.1/", "http://169.254.169.254/latest/", "http://[::1]/"):
            with pytest.raises(FeedError):
                discover_feed(url, policy=OutboundPolicy())
        assert not route.called


@respx.mock
def test_a_redirect_to_an_internal_address_is_refused():
    respx.get(HOME).respond(302, headers={"Location": "http://10.0.0.7/admin"})
    with pytest.raises(FeedError):
        discover_feed(HOME)


def test_only_http_feeds_and_at_most_fifty_candidates_are_kept():
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/f{n}.xml">' for n in range(80)
    )
    page = '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">' + links
    found = feed_links(page, HOME)
    assert len(found) == 49  # the javascript: one counted, then dropped
    assert all(link.url.startswith("https://blog.example/f") for link in found)


def test_the_choice_is_the_first_feed_that_is_not_a_comment_feed():
    comments = FeedLink("https://b.example/comments/feed/", "application/rss+xml", "Comments")
    atom = FeedLink("https://b.example/atom.xml", "application/atom+xml", "Atom")
    rss = FeedLink("https://b.example/rss.xml", "application/rss+xml", "RSS")
    assert choose_feed([comments, atom, rss]) == atom
    assert choose_feed([comments]) == comments
    assert choose_feed([]) is None
