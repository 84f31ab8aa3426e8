"""Reading one feed document: bytes in, entries out, or a :class:`FeedError` that says why.

The fetch half lives in :mod:`networks.rss`; this is the parse half, so that a document can be
read (and tested) without the network. Guarantees of :func:`parse_feed`:

* Characters are decoded the way feedparser and RFC 3023 decide: a byte-order mark (or the
  UTF-16/32 byte pattern of ``<``) wins; otherwise the charset of the HTTP ``Content-Type``
  (for ``application/*xml`` it overrides the XML declaration; for ``text/*`` without one the
  default is US-ASCII), then the XML declaration, then UTF-8, then Windows-1252. Legacy East
  Asian labels are read as the supersets that real servers produce, as the WHATWG Encoding
  Standard does (Shift_JIS as cp932, GB2312/GBK as GB18030, Big5 as Big5-HKSCS, EUC-KR as
  cp949), and ISO-8859-1 as Windows-1252. An unknown label falls back like a missing one.
* Whitespace (with or without a byte-order mark) before the document is ignored.
* Entity *declarations* are refused (billion laughs, external entities): any ``<!ENTITY`` in
  the DOCTYPE. HTML named entities used without declaration (``&nbsp;``, ``&eacute;``) are
  resolved, as feedparser does; an unknown ``&name;`` is kept as text. A bare ``<!DOCTYPE>``
  (RSS 0.91) is accepted.
* A date that cannot be read, or lies before 1970 or more than two days ahead, is dropped:
  the entry is kept without it.
* A JSON document (by its first character, or a JSON ``Content-Type`` over a body that is
  not markup) is read as a JSON Feed 1.0/1.1 by :mod:`networks.jsonfeed`, into the same
  entries; JSON that is not a JSON Feed is refused with what is wrong in it.
* Every failure is a :class:`FeedError`; no other exception leaves :func:`parse_feed`.
* Entry text is returned raw (it is untrusted HTML: the listening pipeline cleans it).
"""

from __future__ import annotations

import calendar
import codecs
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.entities import html5
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml import ElementTree as SafeElementTree

logger = logging.getLogger("networks.feeds")

FEED_ROOTS = {"rss", "feed", "RDF", "rdf:RDF"}
EARLIEST_DATE = datetime(1970, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time-zone mistakes and scheduled items, not year 9999


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


def parse_feed(body: bytes, *, content_type: str = "", url: str = "") -> FeedResult:
    """Read an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom or JSON Feed document. Raises
    :class:`FeedError` only.

    ``content_type`` is the HTTP ``Content-Type`` the document came with (its charset
    counts); ``url`` is where it was read, for relative links and messages.
    """
    text = _decode(body, content_type)
    if _is_json(text, content_type):
        from .jsonfeed import parse_json_feed  # it builds on this module's types

        return parse_json_feed(text, url=url)
    document = _check(text, content_type, url)
    try:
        return _read(document, url)
    except Exception as exc:  # noqa: BLE001 - the promise is FeedError only; ops get the trace
        logger.exception("feedparser failed on a document that passed our checks (%s)", url)
        raise FeedError(
            f"the feed could not be read ({type(exc).__name__}); tell us the address", url=url
        ) from exc


# --- characters -------------------------------------------------------------------------

_SNIFFED = (  # XML spec appendix F: the first bytes of "<" or "<?" in each encoding
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF8, "utf-8", 3),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
)
# Labels read as what servers really send under them (WHATWG Encoding Standard).
_SUPERSETS = {
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "iso8859-1": "cp1252",
}
# Codecs that are not a document's character encoding, or that smuggle markup (UTF-7).
_REFUSED_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
_APPLICATION_XML = (
    "application/xml",
    "application/xml-dtd",
    "application/xml-external-parsed-entity",
)
_TEXT_XML = ("text/xml", "text/xml-external-parsed-entity")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$")
_DECLARED = re.compile(r"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_DECLARATION = re.compile(r"^<\?xml\s[^>]*?\?>")


def _decode(body: bytes, content_type: str) -> str:
    """The document as text, by the rules in the module docstring; never raises."""
    sniffed, data = _sniff(body)
    if sniffed:
        text = _try(data, sniffed)
        if text is not None:
            return text.lstrip("\ufeff \t\r\n")
    declared = _DECLARED.match(data[:1024].decode("latin-1"))
    xml_encoding = declared.group(1) if declared else ""
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    http_encoding = ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            http_encoding = value.strip().strip("\"'")
    if mime in _APPLICATION_XML or (mime.startswith("application/") and mime.endswith("+xml")):
        rfc3023 = http_encoding or xml_encoding or "utf-8"
    elif mime.startswith("text/"):  # text/xml and text/*+xml included: US-ASCII by default
        rfc3023 = http_encoding or "us-ascii"
    else:
        rfc3023 = xml_encoding or "utf-8"
    for label in (rfc3023, xml_encoding, "utf-8", "windows-1252"):
        text = _try(data, label)
        if text is not None:
            return text.lstrip("\ufeff \t\r\n")
    return data.decode("windows-1252", errors="replace").lstrip("\ufeff \t\r\n")


def _sniff(body: bytes) -> tuple[str, bytes]:
    """(encoding, body without its byte-order mark) when the first bytes decide, else ("", body)."""
    for bom, encoding, size in _SNIFFED:
        if body.startswith(bom) and not (size == 2 and body[2:4] == b"\x00\x00"):
            return encoding, body[size:]
    head = body[:4]
    if len(head) == 4:
        if head[0] and not head[1] and head[2] and not head[3]:
            return "utf-16-le", body
        if not head[0] and head[1] and not head[2] and head[3]:
            return "utf-16-be", body
        if head[0] and not any(head[1:]):
            return "utf-32-le", body
        if not any(head[:3]) and head[3]:
            return "utf-32-be", body
    return "", body


def _try(data: bytes, label: str) -> str | None:
    if not label or not _LABEL.match(label):
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _REFUSED_CODECS:
        return None
    for codec in dict.fromkeys((_SUPERSETS.get(name, name), name)):
        try:
            return data.decode(codec)
        except (UnicodeError, LookupError):
            continue
    return None


# --- structure --------------------------------------------------------------------------

_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_REFERENCE = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|&([A-Za-z][\w.:-]*);", re.S)
_JSON_TYPES = ("application/feed+json", "application/json")


def _is_json(text: str, content_type: str) -> bool:
    """JSON by its shape (``{`` or ``[`` first), or by a JSON Content-Type over a body that is
    not markup (servers label real XML feeds application/json too)."""
    mime = content_type.partition(";")[0].strip().lower()
    if text.startswith(("{", "[")):
        return True
    json_type = mime in _JSON_TYPES or mime.endswith("+json")
    return json_type and bool(text.strip()) and not text.startswith("<")


def _check(text: str, content_type: str, url: str) -> bytes:
    """The document as UTF-8 bytes that expat reads without entity declarations."""
    head = text[:512].lower()
    if not head.strip():
        raise FeedError(f"not a feed: the response from {url} is empty", url=url)
    # Sniff the body, not the Content-Type: many servers label real feeds text/html.
    if head.startswith(("<!doctype html", "<html")):
        raise FeedError(f"not a feed: {url} returned an HTML page", url=url)
    text = _DECLARATION.sub("", text, count=1)
    document = ('<?xml version="1.0" encoding="utf-8"?>' + _REFERENCE.sub(_resolve, text)).encode(
        "utf-8", errors="replace"
    )
    try:
        root = SafeElementTree.fromstring(
            document, forbid_dtd=False, forbid_entities=True, forbid_external=True
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
    if _spaced_namespace(root):  # expat's SAX reader (feedparser's) splits names on whitespace
        raise FeedError(
            "the feed is not well-formed XML (a namespace name contains a space)", url=url
        )
    return document


def _spaced_namespace(root) -> bool:
    for element in root.iter():
        for name in (element.tag, *element.attrib):
            if name.startswith("{") and any(c.isspace() for c in name[1 : name.find("}")]):
                return True
    return False


def _resolve(match: re.Match) -> str:
    """An undeclared ``&name;`` as feedparser reads it: the HTML character, else literal text."""
    name = match.group(1)
    if name is None or name in _XML_ENTITIES:  # CDATA, a comment, or an XML entity
        return match.group(0)
    characters = html5.get(name + ";")
    if characters is None:
        return f"&amp;{name};"
    return "".join(f"&#{ord(c)};" for c in characters)


# --- entries ----------------------------------------------------------------------------


def _read(document: bytes, url: str) -> FeedResult:
    parsed = feedparser.parse(
        document,
        # Raw HTML on purpose: the listening pipeline owns sanitising (one place, one policy).
        sanitize_html=False,
        # Already UTF-8 with a declaration that says so: feedparser must not decode again.
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
    )
    feed_language = parsed.feed.get("language", "") or ""
    now = datetime.now(UTC)
    return FeedResult(
        status="ok",
        entries=[_entry(e, feed_language, now) for e in parsed.entries],
        final_url=url,
        title=parsed.feed.get("title", "") or "",
        language=feed_language,
    )


def _entry(entry, feed_language: str, now: datetime) -> FeedEntry:
    content = ""
    if entry.get("content"):
        content = entry["content"][0].get("value", "") or ""
    language = ""
    for detail in ("title_detail", "summary_detail"):
        language = (entry.get(detail) or {}).get("language") or ""
        if language:
            break
    return FeedEntry(
        guid=entry.get("id") or entry.get("link") or "",
        link=entry.get("link", "") or "",
        title=entry.get("title", "") or "",
        summary=entry.get("summary", "") or "",
        content=content,
        author=entry.get("author", "") or "",
        # dict.get: FeedParserDict maps a missing published_parsed to updated_parsed, warning.
        published=_date(dict.get(entry, "published_parsed"), now)
        or _date(dict.get(entry, "updated_parsed"), now),
        language=language or feed_language,
    )


def _date(parsed, now: datetime) -> datetime | None:
    """A feed date in UTC, or None when it is unreadable or implausible (0000-00-00, 9999)."""
    if not parsed:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    if not EARLIEST_DATE <= when <= now + FUTURE_SLACK:
        return None
    return when
