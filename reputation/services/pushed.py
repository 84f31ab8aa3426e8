"""Items a network pushed (Meta's webhooks) into the same pipeline as the polls.

A pushed comment goes through ``mentions_ingest`` with the brand's owned-comments source, as
the poll of that source would store it: same normaliser (polling.owned_comment_raw), same
language, sentiment and authors, same hand-over to the inbox in the same transaction (so the
inbox's unique constraints make a comment pushed and polled one message, and moderation,
notifications and webhook events run once, on whichever arrived first). The poll keeps
running behind the webhooks and picks up what a lost delivery missed.
"""

from __future__ import annotations

import logging

from reputation.models.sources import Source, SourceKind
from reputation.owned_items import KIND_DIRECT
from reputation.services.ingest import IngestResult, RawMention, mentions_ingest
from reputation.services.polling import owned_comment_raw

logger = logging.getLogger(__name__)


def owned_source_of(*, brand_id: int, network: str) -> Source | None:
    """The brand's active owned-comments source for ``network`` (the inbox's), if any."""
    return (
        Source.objects.filter(
            brand_id=brand_id, network=network, kind=SourceKind.OWNED_COMMENTS, active=True
        )
        .order_by("pk")
        .first()
    )


def owned_items_pushed(*, account, items: list[RawMention]) -> IngestResult | None:
    """Store pushed items of the connected ``account`` (in its agency's scope). None when
    the brand has no owned-comments source: without it the inbox does not read this account,
    and a push must not start reading it behind the agency's back."""
    source = owned_source_of(brand_id=account.brand_id, network=account.network)
    if source is None:
        logger.info(
            "pushed items for account %s ignored: its brand has no owned-comments source",
            account.pk,
        )
        return None
    return mentions_ingest(
        agency_id=account.agency_id,
        items=items,
        source=source,
        account_id=account.pk,
        backfill=False,  # pushed now: news, whatever the poll has read so far
    )


def owned_comments_pushed(*, account, comments) -> IngestResult | None:
    """``comments``: [(post external id, Comment)], as networks.meta_webhooks parses them."""
    items = [owned_comment_raw(account.network, post_id, c) for post_id, c in comments]
    return owned_items_pushed(account=account, items=items) if items else None


def owned_messages_pushed(*, account, messages) -> IngestResult | None:
    """``messages``: [(the other party's id, Comment)] of direct conversations (Messenger,
    Instagram), as networks.meta_webhooks parses them: one conversation per other party."""
    items = [owned_message_raw(account.network, thread_id, c) for thread_id, c in messages]
    return owned_items_pushed(account=account, items=items) if items else None


def owned_message_raw(network: str, thread_id: str, c) -> RawMention:
    """A private message (pushed or polled) as the pipeline's input."""
    return RawMention(
        external_id=c.external_id,
        text=c.text,
        published_at=c.created_at,
        network=network,
        author_handle=c.author.handle or c.author.external_id,
        author_name=c.author.name,
        kind=KIND_DIRECT,
        author_external_id=c.author.external_id,
        thread_external_id=thread_id,
        raw=c.raw,
    )
