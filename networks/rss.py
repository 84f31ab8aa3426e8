"""RSS/Atom reader for the listening pipeline.

Guarantees of :func:`fetch_feed`:

* Conditional GET: ``If-None-Match``/``If-Modified-Since`` are sent when given; a 304 gives
  ``status="not_modified"`` and no entries.
* At most 5 redirects; ``final_url`` is where the feed was really read (store it when the
  feed moved permanently).
* The body is capped at ``max_bytes`` (5 MiB by default) *after* decompression, counted
  while streaming, so a small gzip bomb cannot fill memory.
* The XML is checked with ``defusedxml`` before ``feedparser`` sees it: entity declarations
  (billion laughs, external entities) are refused. A bare ``<!DOCTYPE>`` without entities is
  accepted, since RSS 0.91 feeds carry one.
* Every failure is a :class:`FeedError` with a message a person can act on.
* Entry text is returned raw (it is untrusted HTML: the pipeline cleans it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import feedparser
import httpx
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml import ElementTree as SafeElementTree

from .http import HttpSettings, make_client, redact_url

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
FEED_ROOTS = {"rss", "feed", "RDF", "rdf:RDF"}
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


class FeedError(Exception):
    """The feed could not be read; ``str(error)`` says why in plain English."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


@dataclass
class FeedEntry:
    guid: str
    link: str
    title: str
    summary: str
    content: str
    author: str
    published: datetime | None
    language: str = ""


@dataclass
class FeedResult:
    status: str  # "ok" or "not_modified"
    entries: list[FeedEntry] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    final_url: str = ""
    title: str = ""
    language: str = ""


def fetch_feed(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    *,
    client: httpx.Client | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    settings: HttpSettings | None = None,
) -> FeedResult:
    """Fetch and parse one feed. Raises :class:`FeedError`; never returns partial data."""
    own_client = client is None
    client = client or make_client(settings, follow_redirects=True, max_redirects=MAX_REDIRECTS)
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        body, response = _download(client, url, headers, max_bytes)
    finally:
        if own_client:
            client.close()

    final_url = str(response.url)
    new_etag = response.headers.get("etag") or etag
    new_modified = response.headers.get("last-modified") or last_modified
    if response.status_code == 304:
        return FeedResult(
            status="not_modified", etag=new_etag, last_modified=new_modified, final_url=final_url
        )

    _validate(body, final_url)
    parsed = feedparser.parse(
        body,
        # Raw HTML on purpose: the listening pipeline owns sanitising (one place, one policy).
        sanitize_html=False,
        response_headers={
            "content-type": response.headers.get("content-type", "application/xml"),
            "content-location": final_url,
        },
    )
    feed_language = parsed.feed.get("language", "") or ""
    entries = [_entry(e, feed_language) for e in parsed.entries]
    return FeedResult(
        status="ok",
        entries=entries,
        etag=new_etag,
        last_modified=new_modified,
        final_url=final_url,
        title=parsed.feed.get("title", ""),
        language=feed_language,
    )


def _download(client, url, headers, max_bytes) -> tuple[bytes, httpx.Response]:
    shown = redact_url(url)
    try:
        with client.stream("GET", url, headers=headers, follow_redirects=True) as response:
            if response.status_code == 304:
                return b"", response
            if response.is_error:
                raise FeedError(
                    f"HTTP {response.status_code} from {redact_url(response.url)}",
                    url=url,
                    status=response.status_code,
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FeedError(_too_large(max_bytes), url=url)
            chunks, total = [], 0
            for chunk in response.iter_bytes():  # decompressed bytes: the cap bounds memory
                total += len(chunk)
                if total > max_bytes:
                    raise FeedError(_too_large(max_bytes), url=url)
                chunks.append(chunk)
            return b"".join(chunks), response
    except httpx.TooManyRedirects as exc:
        raise FeedError(f"more than {MAX_REDIRECTS} redirects from {shown}", url=url) from exc
    except httpx.TimeoutException as exc:
        raise FeedError(f"{shown} did not answer in time", url=url) from exc
    except httpx.DecodingError as exc:
        raise FeedError(f"the response from {shown} is not valid compressed data", url=url) from exc
    except httpx.TransportError as exc:
        raise FeedError(f"could not reach {shown} ({type(exc).__name__})", url=url) from exc


def _too_large(max_bytes: int) -> str:
    return f"the feed is larger than {max_bytes / (1024 * 1024):g} MiB"


def _validate(body: bytes, url: str) -> None:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if not head:
        raise FeedError(f"not a feed: the response from {url} is empty", url=url)
    # Sniff the body, not the Content-Type: many servers label real feeds text/html.
    if head.startswith((b"<!doctype html", b"<html")):
        raise FeedError(f"not a feed: {url} returned an HTML page", url=url)
    try:
        root = SafeElementTree.fromstring(
            body, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except (EntitiesForbidden, DTDForbidden) as exc:
        raise FeedError("the feed declares XML entities, which we refuse", url=url) from exc
    except DefusedXmlException as exc:
        raise FeedError(
            "the feed refers to external XML resources, which we refuse", url=url
        ) from exc
    except ParseError as exc:
        raise FeedError(f"the feed is not well-formed XML ({exc})", url=url) from exc
    tag = root.tag.rsplit("}", 1)[-1]
    if tag not in FEED_ROOTS:
        raise FeedError(f"not a feed: the XML document's root is <{tag}>", url=url)


def _entry(entry, feed_language: str) -> FeedEntry:
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None
    content = ""
    if entry.get("content"):
        content = entry["content"][0].get("value", "")
    language = ""
    for detail in ("title_detail", "summary_detail"):
        language = (entry.get(detail) or {}).get("language") or ""
        if language:
            break
    return FeedEntry(
        guid=entry.get("id") or entry.get("link") or "",
        link=entry.get("link", ""),
        title=entry.get("title", ""),
        summary=entry.get("summary", ""),
        content=content,
        author=entry.get("author", ""),
        published=published,
        language=language or feed_language,
    )
