"""Meta's webhook deliveries -> the inbox, through the same pipeline as the polls.

The receiver (engagement/views/meta_webhooks.py) checks the signature and the shape, then
``meta_delivery_route_across_agencies`` finds the connected accounts the delivery is about
(a Page id or an Instagram account id, in whichever agency connected it) and queues one task
per account with its raw entries. The task, in the account's agency scope, calls
``meta_entries_store``: comments go to reputation's pipeline with the brand's owned-comments
source (reputation.services.pushed) exactly as a poll stores them, so one message per
(account, external id) whichever arrives first, and whatever runs at ingest (the inbox's
events, alerts, moderation rules) runs once.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from clients.models import AccountStatus, SocialAccount
from networks.meta_webhooks import VERB_REMOVE, AccountEvents, entry_comments, entry_messages
from reputation.services.pushed import owned_comments_pushed, owned_messages_pushed

logger = logging.getLogger(__name__)


def meta_delivery_route_across_agencies(events: list[AccountEvents]) -> int:
    """Queue one store task per connected account a delivery names; the number queued.

    Cross-agency by design: a delivery names a Page, not an agency, and one Page may be
    connected by two agencies (each gets its copy). An id nobody connected is logged and
    dropped: Meta must get its 200 anyway, or it retries and finally disables the app.
    """
    from engagement.tasks import store_meta_entries

    queued = 0
    for event in events:
        accounts = list(
            SocialAccount.unscoped.filter(
                network=event.network,
                external_id=event.account_id,
                status=AccountStatus.CONNECTED,
            ).values_list("agency_id", "pk")
        )
        if not accounts:
            logger.info(
                "meta webhook: no connected %s account %s; delivery ignored",
                event.network,
                event.account_id,
            )
        for agency_id, account_id in accounts:
            transaction.on_commit(
                partial(
                    store_meta_entries.delay,
                    agency_id=agency_id,
                    account_id=account_id,
                    entries=event.entries,
                )
            )
            queued += 1
    return queued


def meta_entries_store(*, account_id: int, entries: list[dict]) -> int:
    """Store what the entries say for the account (in its agency's scope); the number of
    items handed to the pipeline (stored once there, new or not). A removal is not applied:
    the inbox keeps what was said (the reconciliation poll does not delete either)."""
    account = SocialAccount.objects.filter(pk=account_id, status=AccountStatus.CONNECTED).first()
    if account is None:
        return 0
    comments = [
        (pushed.post_id, pushed.comment)
        for entry in entries
        for pushed in entry_comments(account.network, entry)
        if pushed.verb != VERB_REMOVE and pushed.comment.text
    ]
    messages = [
        (pushed.thread_id, pushed.comment)
        for entry in entries
        for pushed in entry_messages(account.network, entry)
        if pushed.comment.text
    ]
    stored = 0
    if comments and owned_comments_pushed(account=account, comments=comments) is not None:
        stored += len(comments)
    if messages and owned_messages_pushed(account=account, messages=messages) is not None:
        stored += len(messages)
    return stored
