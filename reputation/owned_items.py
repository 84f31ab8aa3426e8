"""What listening hands on of the items read from a brand's own accounts, without importing
the app that takes them.

An owned-comments source reads the replies to the brand's posts and the account's mentions;
the ingest pipeline stores them as mentions and then passes every one of them (stored now or
earlier, and also those whose text repeats another's) to the handler registered here: the
inbox (engagement), which sits above reputation and registers it in its AppConfig.ready().
The handler runs inside the pipeline's transaction, so the mentions and the inbox's rows are
stored together or not at all (docs/decisions.md). Without a handler nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# What an owned item was read as: a reply to one of the brand's posts, or a notification.
KIND_COMMENT = "comment"
KIND_MENTION = "mention"
# A private message of a direct conversation (Messenger, Instagram): never a listening mention.
KIND_DIRECT = "direct_message"
# A review of the account (a Google location's), read as a comment on the account itself.
KIND_REVIEW = "review"


@dataclass(frozen=True)
class OwnedItem:
    """One item said on or to a brand's account, normalised and scored by the pipeline."""

    external_id: str
    kind: str  # KIND_COMMENT, KIND_REVIEW, KIND_MENTION or KIND_DIRECT
    text: str
    url: str
    published_at: datetime  # the network's time
    language: str
    sentiment_label: str
    sentiment_score: float
    author_id: int | None
    author_handle: str
    author_name: str
    author_external_id: str = ""
    parent_external_id: str = ""  # what it replies to (a post or another comment)
    post_external_id: str = ""  # the brand's post it is under, when known
    raw: Any = None
    thread_external_id: str = ""  # a direct conversation's id (the other party's), if one


@dataclass(frozen=True)
class OwnedBatch:
    agency_id: int
    brand_id: int
    social_account_id: int
    network: str
    items: list[OwnedItem]
    # The source's first successful read (backfill): old items must not alert anyone.
    backfill: bool


_handler: Callable[[OwnedBatch], None] | None = None


def owned_items_handler_register(func: Callable[[OwnedBatch], None]) -> None:
    """Called once by the engagement app: ``func(batch)`` stores the batch in the inbox."""
    global _handler
    _handler = func


def owned_items_ingested(batch: OwnedBatch) -> None:
    """Hand a batch to the registered handler (inside the caller's transaction)."""
    if _handler is not None and batch.items:
        _handler(batch)
