"""Where a mention was said, as one place the community census ranks (docs/listening.md).

A place is ``<network>:<name>``: the site's host for the web and forums (``web:le360.ma``,
``discourse:forum.example``; ``www.`` dropped), the subreddit for Reddit
(``reddit:r/Morocco``), the author's account on a social network (``mastodon:@salma``).
Computed once at ingest from what the source delivered; pure, so a source's own address gives
its place the same way (whether we follow a place).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_PLACE = 200
WEB_NETWORKS = ("web", "discourse")
_SUBREDDIT = re.compile(r"^/r/([A-Za-z0-9_]{2,21})(/|$)")


def host_of(url: str) -> str:
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def place_of(network: str, url: str = "", author_handle: str = "") -> str:
    """The place of a mention, or "" when nothing says where it was (no address, no author)."""
    network = (network or "").strip().lower()
    if network == "reddit":
        try:
            match = _SUBREDDIT.match(urlsplit(url).path)
        except ValueError:
            match = None
        return f"reddit:r/{match.group(1)}"[:MAX_PLACE] if match else ""
    if network in WEB_NETWORKS:
        host = host_of(url)
        if host.endswith("reddit.com"):  # a subreddit's RSS feed read as a web feed
            return place_of("reddit", url)
        return f"{network}:{host}"[:MAX_PLACE] if host else ""
    handle = (author_handle or "").strip().lstrip("@")
    return f"{network}:@{handle}"[:MAX_PLACE] if network and handle else ""


def place_parts(place: str) -> tuple[str, str]:
    """(network, name) of a place."""
    network, _, name = place.partition(":")
    return network, name


def place_url(place: str) -> str:
    """An address for the place where one is obvious (a site, a subreddit), else ""."""
    network, name = place_parts(place)
    if network in WEB_NETWORKS and name:
        return f"https://{name}/"
    if network == "reddit" and name:
        return f"https://www.reddit.com/{name}/"
    return ""
