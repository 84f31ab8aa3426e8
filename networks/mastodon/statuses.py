"""Mastodon statuses as the interface's dataclasses: HTML to plain text, authors, mentions."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from html.parser import HTMLParser

from networks.adapter import parse_time
from networks.base import Author, Mention


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(content: str) -> str:
    """Mastodon sends status text as HTML; this gives the plain text (still untrusted)."""
    parser = _TextExtractor()
    parser.feed(content)
    parser.close()
    return html.unescape("".join(parser.parts)).strip()


def status_author(account: dict) -> Author:
    return Author(
        external_id=account.get("id", ""),
        handle=account.get("acct", ""),
        name=account.get("display_name", ""),
        followers=account.get("followers_count"),
        url=account.get("url", ""),
    )


def status_mention(status: dict) -> Mention:
    return Mention(
        external_id=status["id"],
        author=status_author(status.get("account", {})),
        text=html_to_text(status.get("content", "")),
        url=status.get("url") or status.get("uri", ""),
        created_at=parse_time(status.get("created_at")),
        language=status.get("language") or "",
        raw=status,
    )


def seconds_until(iso: str | None) -> float | None:
    when = parse_time(iso)
    if when is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
