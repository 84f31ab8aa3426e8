"""What reputation asks of the publishing engine, without importing it.

An owned-comments source reads the replies to what the brand published on an account. The
published posts are campaigns' variants, written by the engine; reputation stands beside
campaigns (neither imports the other) and below publishing, so it asks here, and the publishing
app registers its selector in its AppConfig.ready(), as it fills campaigns/engine_hooks.py.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from clients.models import SocialAccount

PublishedPostIds = Callable[..., list[str]]
PublishedAmong = Callable[..., set[str]]

_published_post_ids: PublishedPostIds | None = None
_published_among: PublishedAmong | None = None


def published_post_ids_register(func: PublishedPostIds) -> None:
    """Called once by publishing.apps: ``func(*, account, since, limit) -> list[str]`` lists
    the network ids of the posts published on ``account`` since ``since``, newest first, at
    most ``limit``."""
    global _published_post_ids
    _published_post_ids = func


def published_post_ids(*, account: SocialAccount, since: datetime, limit: int) -> list[str]:
    """The network ids of the posts published on the account lately (the registered selector)."""
    if _published_post_ids is None:
        raise RuntimeError("The publishing app is not installed: add it to INSTALLED_APPS.")
    return _published_post_ids(account=account, since=since, limit=limit)


def published_among_register(func: PublishedAmong) -> None:
    """Called once by publishing.apps: ``func(*, account, external_ids) -> set[str]`` says
    which of these network ids are posts the engine published on ``account`` (whenever)."""
    global _published_among
    _published_among = func


def published_among(*, account: SocialAccount, external_ids: Collection[str]) -> set[str]:
    """The ids among ``external_ids`` of posts published through us on the account: an
    account's post listed by the network is recognised as ours by its id alone."""
    if _published_among is None:
        raise RuntimeError("The publishing app is not installed: add it to INSTALLED_APPS.")
    return _published_among(account=account, external_ids=external_ids) if external_ids else set()
