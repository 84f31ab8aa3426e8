"""Reading a JSON Feed document (https://jsonfeed.org/version/1.1, and 1.0) into the same
entries as RSS and Atom, so the listening pipeline does not know which format it read.

What the spec says and what we take (version 1.1, 2020-08-07; 1.0, 2017-05-17):

* top level: ``version`` (required, the spec's URL), ``title`` (required), ``home_page_url``,
  ``feed_url``, ``language`` (1.1), ``authors`` (1.1, a list of ``{name, url, avatar}``) or
  ``author`` (1.0, one object, deprecated in 1.1 but still published), ``items`` (required);
* an item: ``id`` (required; a string in 1.1, a number in some 1.0 feeds: read as its text),
  ``url`` (else ``external_url``), ``title``, ``content_html`` / ``content_text`` (one of
  them is required), ``summary``, ``date_published`` / ``date_modified`` (RFC 3339),
  ``authors`` / ``author``, ``language``.

Guarantees of :func:`parse_json_feed`: every failure is a ``FeedError`` naming the problem
(not JSON, with the parser's line and column; not an object; no ``items``; the path of a
member of the wrong type, e.g. ``items[3].title``); a missing or null optional member is an
empty one; an item without ``id`` is named; dates are read as RSS dates are (an unreadable or
implausible one is dropped, the item kept); relative links are resolved against the feed's
address. Text is returned raw (untrusted HTML: the pipeline cleans it).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

from .feeds import EARLIEST_DATE, FUTURE_SLACK, FeedEntry, FeedError, FeedResult

JSON_FEED_VERSION = re.compile(r"^https?://(www\.)?jsonfeed\.org/version/1(\.\d+)?/?$")


def looks_like_json_feed(text: str) -> bool:
    """Whether a document's first characters say JSON Feed (for a server that labels it
    text/plain or not at all)."""
    return text.startswith("{") and bool(
        re.search(r'"version"\s*:\s*"https?://(www\.)?jsonfeed\.org/version/', text[:4096])
    )


def parse_json_feed(text: str, *, url: str = "") -> FeedResult:
    """A JSON Feed 1.0 or 1.1 as a :class:`FeedResult`. Raises :class:`FeedError` only."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"not a JSON Feed: the JSON is malformed (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})",
            url=url,
        ) from None
    except (ValueError, RecursionError) as exc:  # a number too long to read, deep nesting
        raise FeedError(f"not a JSON Feed: the JSON cannot be read ({exc})", url=url) from None
    if not isinstance(document, dict):
        raise FeedError(
            f"not a JSON Feed: the document is {_kind(document)}, not an object", url=url
        )
    version = document.get("version")
    if not isinstance(version, str) or not JSON_FEED_VERSION.match(version.strip()):
        raise FeedError(
            'not a JSON Feed: its "version" is not https://jsonfeed.org/version/1.1 (or 1)',
            url=url,
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError(f'not a JSON Feed: "items" must be a list, not {_kind(items)}', url=url)
    base = url or _text(document, "feed_url", "feed_url")
    feed_language = _text(document, "language", "language")
    feed_author = _author(document, "")
    now = datetime.now(UTC)
    entries = [
        _entry(item, f"items[{n}]", base, feed_language, feed_author, now)
        for n, item in enumerate(items)
    ]
    return FeedResult(
        status="ok",
        entries=entries,
        final_url=url,
        title=_text(document, "title", "title"),
        language=feed_language,
    )


def _entry(item, path: str, base: str, language: str, author: str, now) -> FeedEntry:
    if not isinstance(item, dict):
        raise FeedError(f"not a JSON Feed: {path} is {_kind(item)}, not an object", url=base)
    raw_id = item.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | float) or raw_id == "":
        raise FeedError(f"not a JSON Feed: {path}.id is missing or not a string", url=base)
    link = _text(item, "url", f"{path}.url") or _text(item, "external_url", f"{path}.external_url")
    link = urljoin(base, link) if link else ""
    return FeedEntry(
        guid=str(raw_id),
        link=link,
        title=_text(item, "title", f"{path}.title"),
        summary=_text(item, "summary", f"{path}.summary"),
        content=_text(item, "content_html", f"{path}.content_html")
        or _text(item, "content_text", f"{path}.content_text"),
        author=_author(item, path) or author,
        published=_date(_text(item, "date_published", f"{path}.date_published"), now)
        or _date(_text(item, "date_modified", f"{path}.date_modified"), now),
        language=_text(item, "language", f"{path}.language") or language,
    )


def _author(holder: dict, path: str) -> str:
    """The first author's name (1.1 ``authors``, else 1.0 ``author``), else its URL."""
    prefix = f"{path}." if path else ""
    authors = holder.get("authors")
    if authors is not None and not isinstance(authors, list):
        raise FeedError(f"not a JSON Feed: {prefix}authors must be a list, not {_kind(authors)}")
    candidates = [(f"{prefix}authors[{n}]", a) for n, a in enumerate(authors or [])]
    if holder.get("author") is not None:
        candidates.append((f"{prefix}author", holder["author"]))
    for where, author in candidates:
        if not isinstance(author, dict):
            raise FeedError(f"not a JSON Feed: {where} is {_kind(author)}, not an object")
        name = _text(author, "name", f"{where}.name") or _text(author, "url", f"{where}.url")
        if name:
            return name
    return ""


def _text(holder: dict, key: str, path: str) -> str:
    value = holder.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FeedError(f"not a JSON Feed: {path} must be a string, not {_kind(value)}")
    return value.strip()


def _date(value: str, now: datetime) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    return when if EARLIEST_DATE <= when <= now + FUTURE_SLACK else None


def _kind(value) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
