"""Feed autodiscovery: from a site's page to the address of its feed.

A blog announces its feeds in its page's head (the RSS Board's autodiscovery convention, the
Atom and JSON Feed specs)::

    <link rel="alternate" type="application/rss+xml" title="…" href="/feed/">

Guarantees of :func:`discover_feed`:

* The page is fetched through the outbound guard (internal addresses refused, also after a
  redirect; one deadline; at most ``max_bytes``).
* An address that already is a feed (it parses as RSS, Atom or JSON Feed) is kept as it is
  (``Discovery.page_url`` empty).
* Otherwise, for an HTML page, the ``<link>`` elements whose ``rel`` has ``alternate`` and
  whose ``type`` is ``application/rss+xml``, ``application/atom+xml``,
  ``application/feed+json`` or ``application/json`` (JSON Feed 1.0) are the candidates, their
  ``href`` resolved against ``<base href>`` or the page's final address; only http(s) ones.
* The choice (:func:`choose_feed`): comment feeds are passed over when another feed exists
  (an ``href`` or ``title`` naming comments: WordPress lists "Comments Feed" beside the posts
  feed), then the **first in the page's order**: sites list their main feed first (WordPress,
  Blogger, Ghost, Hugo, Jekyll, Discourse all do), and a format preference would pick a
  category's Atom feed over the site's RSS one.
* A page without any is :class:`NoFeedFound` "no feed announced on …"; a page that is neither a
  feed nor HTML is :class:`FeedError` with the feed reader's reason. Nothing else is raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from .addresses import OutboundError, OutboundPolicy
from .feeds import FeedError, parse_feed
from .http import HttpSettings, redact_url
from .outbound import fetch

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
)
MAX_PAGE_BYTES = 2 * 1024 * 1024
DEADLINE_SECONDS = 20.0
MAX_CANDIDATES = 50
ACCEPT = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, */*;q=0.5"
_COMMENTS = re.compile(r"comment|commentaire|تعليق", re.I)
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)", re.I | re.S)


class NoFeedFound(FeedError):
    """The address is an HTML page that announces no feed."""


@dataclass(frozen=True)
class FeedLink:
    url: str
    type: str
    title: str


@dataclass(frozen=True)
class Discovery:
    feed_url: str  # the feed to follow
    page_url: str = ""  # the page it was announced on; empty when the address was a feed
    title: str = ""  # the link's title, else the feed's
    type: str = ""  # the link's type
    candidates: tuple[FeedLink, ...] = ()  # every feed the page announced, in its order


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and not self.base:
            self.base = values.get("href", "").strip()
        elif tag == "link" and len(self.links) < MAX_CANDIDATES:
            rel = values.get("rel", "").lower().split()
            kind = values.get("type", "").split(";")[0].strip().lower()
            href = values.get("href", "").strip()
            if "alternate" in rel and kind in FEED_TYPES and href:
                self.links.append((href, kind, values.get("title", "").strip()))


def feed_links(html: str, page_url: str) -> list[FeedLink]:
    """The feeds a page announces, in its order, with absolute http(s) addresses."""
    parser = _LinkParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser on badly broken markup
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    found, seen = [], set()
    for href, kind, title in parser.links:
        url = urljoin(base, href)
        if url.lower().startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            found.append(FeedLink(url=url, type=kind, title=title[:200]))
    return found


def choose_feed(links: list[FeedLink]) -> FeedLink | None:
    """The site's main feed: the first that is not a comment feed, else the first."""
    main = [link for link in links if not _COMMENTS.search(f"{link.url} {link.title}")]
    return (main or links or [None])[0]


def discover_feed(
    url: str,
    *,
    policy: OutboundPolicy | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
    deadline_seconds: float = DEADLINE_SECONDS,
    settings: HttpSettings | None = None,
) -> Discovery:
    """The feed to follow for ``url`` (a feed's or a site's address). Raises FeedError only."""
    try:
        page = fetch(
            "GET",
            url,
            policy=policy or OutboundPolicy(),
            headers={"Accept": ACCEPT},
            deadline_seconds=deadline_seconds,
            max_bytes=max_bytes,
            max_redirects=5,
            settings=settings,
        )
    except OutboundError as exc:
        raise FeedError(str(exc), url=url) from exc
    if page.is_error:
        raise FeedError(
            f"HTTP {page.status_code} from {redact_url(page.url)}",
            url=url,
            status=page.status_code,
        )
    content_type = page.headers.get("content-type", "")
    try:
        parse_feed(page.content, content_type=content_type, url=page.url)
    except FeedError as not_a_feed:
        text = page.content.decode(_charset(content_type), errors="replace")
        mime = content_type.partition(";")[0].strip().lower()
        if mime not in ("text/html", "application/xhtml+xml") and not _HTML_START.match(text):
            raise
        links = feed_links(text, page.url)
        chosen = choose_feed(links)
        if chosen is None:
            raise NoFeedFound(
                f"no feed announced on {redact_url(page.url)}: the page has no "
                '<link rel="alternate"> to an RSS, Atom or JSON feed',
                url=url,
            ) from not_a_feed
        return Discovery(
            feed_url=chosen.url,
            page_url=page.url,
            title=chosen.title,
            type=chosen.type,
            candidates=tuple(links),
        )
    return Discovery(feed_url=url)


def _charset(content_type: str) -> str:
    import codecs

    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            label = value.strip().strip("\"'")
            try:
                return codecs.lookup(label).name
            except LookupError:
                break
    return "utf-8"
