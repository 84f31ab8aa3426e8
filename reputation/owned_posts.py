"""What reputation asks of the publishing engine, without importing it.

An owned-comments source reads the replies to what the brand published on an account. The
published posts are campaigns' variants, written by the engine; reputation stands beside
campaigns (neither imports the other) and below publishing, so it asks here, and the publishing
app registers its selector in its AppConfig.ready(), as it fills campaigns/engine_hooks.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from clients.models import SocialAccount

PublishedPostIds = Callable[..., list[str]]

_published_post_ids: PublishedPostIds | None = None


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
