"""RSS/Atom reader for the listening pipeline.

Guarantees of :func:`fetch_feed`:

* Conditional GET: ``If-None-Match``/``If-Modified-Since`` are sent when given; a 304 gives
  ``status="not_modified"`` and no entries.
* At most 5 redirects; ``final_url`` is where the feed was really read (store it when the
  feed moved permanently).
* The body is capped at ``max_bytes`` (5 MiB by default) *after* decompression, counted
  while streaming, so a small gzip bomb cannot fill memory.
* The body is read by :func:`networks.feeds.parse_feed` (its docstring says what is accepted:
  encodings, HTML entities, dates; and refused: entity declarations, JSON Feed, HTML pages).
* Every failure is a :class:`FeedError` with a message a person can act on.
* Entry text is returned raw (it is untrusted HTML: the pipeline cleans it).
"""

from __future__ import annotations

import httpx

from .feeds import FeedEntry, FeedError, FeedResult, parse_feed
from .http import HttpSettings, make_client, redact_url

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)

__all__ = ["FeedEntry", "FeedError", "FeedResult", "fetch_feed", "parse_feed"]


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

    # The HTTP charset counts (RFC 3023): parse_feed decodes with it.
    result = parse_feed(body, content_type=response.headers.get("content-type", ""), url=final_url)
    result.etag, result.last_modified = new_etag, new_modified
    return result


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
