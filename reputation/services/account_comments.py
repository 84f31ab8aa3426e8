"""Comments said on the account itself rather than under one of its posts: a Google
location's reviews (networks capability ``read_account_comments``).

The owned-comments poll (polling._owned_comments) reads them first, with the same cursor as the
posts' comments, and hands them to the same pipeline under the account's own id as their "post",
so they reach the inbox like any comment; a comment with a ``rating`` is a review there
(``owned_items.KIND_REVIEW``).
"""

from __future__ import annotations

from datetime import datetime

from networks.base import Comment


def account_comments(adapter, account, creds, since: datetime | None) -> list[tuple[str, Comment]]:
    """``[(the account's external id, comment)]``; empty where the network has none."""
    if not adapter.capabilities.read_account_comments:
        return []
    found = adapter.list_comments(creds, account.external_id, since=since)
    return [(account.external_id, comment) for comment in found]
