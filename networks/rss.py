"""RSS/Atom reader for the listening pipeline.

Guarantees of :func:`fetch_feed`:

* Fetched through the outbound guard (:mod:`networks.outbound`): an address that resolves to
  an internal network is refused, also after a redirect, unless the policy allows private
  addresses; the connection goes to the address that was checked.
* Conditional GET: ``If-None-Match``/``If-Modified-Since`` are sent when given; a 304 gives
  ``status="not_modified"`` and no entries.
* At most 5 redirects, each checked again; ``final_url`` is where the feed was really read
  (store it when the feed moved permanently).
* One overall deadline per download (``deadline_seconds``), not only per read: a server that
  drips a byte at a time is cut off.
* The body is capped at ``max_bytes`` (5 MiB by default) *after* decompression, counted
  while streaming, so a small gzip bomb cannot fill memory.
* The body is read by :func:`networks.feeds.parse_feed` (its docstring says what is accepted:
  encodings, HTML entities, dates, JSON Feed through :mod:`networks.jsonfeed`; and refused:
  entity declarations, HTML pages).
* Every failure is a :class:`FeedError` with a message a person can act on; a refused
  connection, a bad certificate and a timeout read alike (no map of what is behind an address).
* Entry text is returned raw (it is untrusted HTML: the pipeline cleans it).
"""

from __future__ import annotations

from .addresses import OutboundError, OutboundPolicy
from .feeds import FeedEntry, FeedError, FeedResult, parse_feed
from .http import HttpSettings, redact_url
from .outbound import Fetched, fetch

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
DEADLINE_SECONDS = 60.0
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.5, "
    "*/*;q=0.1"
)

__all__ = ["FeedEntry", "FeedError", "FeedResult", "fetch_feed", "parse_feed"]


def fetch_feed(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    *,
    policy: OutboundPolicy | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    deadline_seconds: float = DEADLINE_SECONDS,
    settings: HttpSettings | None = None,
) -> FeedResult:
    """Fetch and parse one feed. Raises :class:`FeedError`; never returns partial data.

    ``policy`` says which addresses may be reached (default: public addresses only).
    """
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    body, response = _download(
        url,
        headers,
        max_bytes,
        policy=policy or OutboundPolicy(),
        deadline_seconds=deadline_seconds,
        settings=settings,
    )

    final_url = response.url
    new_etag = response.headers.get("etag") or etag
    new_modified = response.headers.get("last-modified") or last_modified
    if response.status_code == 304:
        return FeedResult(
            status="not_modified", etag=new_etag, last_modified=new_modified, final_url=final_url
        )

    # The HTTP charset counts (RFC 3023): parse_feed decodes with it.
    result = parse_feed(body, content_type=response.headers.get("content-type", ""), url=final_url)
    result.etag, result.last_modified = new_etag, new_modified
    return result


def _download(url, headers, max_bytes, *, policy, deadline_seconds, settings):
    shown = redact_url(url)
    try:
        response: Fetched = fetch(
            "GET",
            url,
            policy=policy,
            headers=headers,
            deadline_seconds=deadline_seconds,
            max_bytes=max_bytes,
            max_redirects=MAX_REDIRECTS,
            settings=settings,
        )
    except OutboundError as exc:
        if exc.kind == OutboundError.TOO_LARGE:
            raise FeedError(_too_large(max_bytes), url=url) from exc
        if exc.kind == OutboundError.REDIRECTS:
            raise FeedError(f"more than {MAX_REDIRECTS} redirects from {shown}", url=url) from exc
        raise FeedError(str(exc), url=url) from exc
    if response.status_code == 304:
        return b"", response
    if response.is_error:
        raise FeedError(
            f"HTTP {response.status_code} from {redact_url(response.url)}",
            url=url,
            status=response.status_code,
        )
    return response.content, response


def _too_large(max_bytes: int) -> str:
    return f"the feed is larger than {max_bytes / (1024 * 1024):g} MiB"
